import fs from 'node:fs';
import path from 'node:path';
import { answerKey, evalCase, type AnswerKey, type EvalCase } from './eval.schemas.js';

export const CASES_DIR = path.join(import.meta.dirname, 'cases');

export interface LoadedCase {
  meeting: EvalCase;
  key: AnswerKey;
  transcript: string;
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
}

/** Every case under eval/cases (or those named), validated: a malformed key fails here, not as a low score. */
export function loadCases(options: { dir?: string; ids?: string[] } = {}): LoadedCase[] {
  const dir = options.dir ?? CASES_DIR;
  const available = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const unknown = (options.ids ?? []).filter((id) => !available.includes(id));
  if (unknown.length) throw new Error(`no such case: ${unknown.join(', ')} (there are ${available.join(', ')})`);
  const ids = options.ids?.length ? options.ids : available;
  return ids.map((id) => {
    const folder = path.join(dir, id);
    const parse = <T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { message: string } } }, file: string): T => {
      const result = schema.safeParse(readJson(path.join(folder, file)));
      if (!result.success) throw new Error(`${id}/${file}: ${result.error.message}`);
      return result.data;
    };
    const meeting = parse(evalCase, 'case.json');
    if (meeting.id !== id) throw new Error(`${id}/case.json says its id is ${meeting.id}`);
    return { meeting, key: parse(answerKey, 'answer.json'), transcript: fs.readFileSync(path.join(folder, 'transcript.vtt'), 'utf8') };
  });
}
