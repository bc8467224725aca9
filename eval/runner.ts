import pLimit from 'p-limit';
import type { LoadedCase } from './cases.js';
import { producedRecord } from './eval.schemas.js';
import { generateAta } from './generate-ata.js';
import { addCounts, emptyCounts, rates, scoreCase, scoredFields, totalOf, type Counts, type FieldCounts } from './score.js';

export interface FieldResult extends Counts {
  field: string;
  precision: number;
  recall: number;
  f1: number;
}

export interface CaseResult {
  id: string;
  language: string;
  kind: string;
  model: string | null;
  seconds: number;
  /** Set when the case could not be run; its key then counts as all missed. */
  error?: string;
  overall: FieldResult;
  fields: FieldResult[];
  mismatches: string[];
  structured?: unknown;
}

export interface EvalReport {
  date: string;
  /** The model the minutes name; `emulator-…` when the server's OpenAI is the local emulator (GET /v1/health). */
  model: string;
  baseUrl: string;
  toleranceSec: number;
  overall: FieldResult;
  fields: FieldResult[];
  cases: CaseResult[];
}

const resultOf = (field: string, counts: Counts): FieldResult => ({ field, ...counts, ...rates(counts) });
const fieldResults = (fields: FieldCounts) => scoredFields.map((field) => resultOf(field, fields[field]));

/** Generates every case's ata through the API at `baseUrl` and scores it; a case that fails scores zero recall, the run goes on. */
export async function runEval(options: {
  baseUrl: string;
  cases: LoadedCase[];
  concurrency?: number;
  toleranceSec?: number;
  timeoutMs?: number;
  onCase?: (result: CaseResult) => void;
}): Promise<EvalReport> {
  const limit = pLimit(options.concurrency ?? 3);
  const health = (await fetch(`${options.baseUrl}/v1/health`)
    .then((response) => response.json())
    .catch(() => ({}))) as { services?: { openai?: string } };
  const isEmulated = health.services?.openai === 'emulated';
  const toleranceSec = options.toleranceSec ?? 5;
  const cases = await Promise.all(
    options.cases.map((testCase) =>
      limit(async (): Promise<CaseResult> => {
        const { meeting, key } = testCase;
        let result: CaseResult;
        try {
          const ata = await generateAta(options.baseUrl, testCase, options.timeoutMs ? { timeoutMs: options.timeoutMs } : {});
          const parsed = producedRecord.safeParse(ata.structured ?? {});
          const score = scoreCase(key, parsed.success ? parsed.data : producedRecord.parse({}), { toleranceSec });
          result = {
            id: meeting.id,
            language: meeting.language,
            kind: meeting.kind,
            model: ata.model,
            seconds: Math.round(ata.seconds * 10) / 10,
            overall: resultOf('overall', totalOf(score.fields)),
            fields: fieldResults(score.fields),
            mismatches: [...(parsed.success ? [] : [`minutes.structured is not a record: ${parsed.error.message}`]), ...score.mismatches],
            structured: ata.structured,
          };
        } catch (error) {
          const score = scoreCase(key, producedRecord.parse({}), { toleranceSec });
          result = {
            id: meeting.id,
            language: meeting.language,
            kind: meeting.kind,
            model: null,
            seconds: 0,
            error: describeError(error),
            overall: resultOf('overall', totalOf(score.fields)),
            fields: fieldResults(score.fields),
            mismatches: score.mismatches,
          };
        }
        options.onCase?.(result);
        return result;
      }),
    ),
  );
  const total = emptyCounts();
  for (const result of cases) addCounts(total, Object.fromEntries(result.fields.map(({ field, tp, fp, fn }) => [field, { tp, fp, fn }])) as FieldCounts);
  const models = [...new Set(cases.map((result) => result.model).filter((model) => model !== null))];
  return {
    date: new Date().toISOString(),
    model: `${isEmulated ? 'emulator-' : ''}${models.join('+') || 'unknown'}`,
    baseUrl: options.baseUrl,
    toleranceSec,
    overall: resultOf('overall', totalOf(total)),
    fields: fieldResults(total),
    cases,
  };
}

/** An API error with what it said of the request (a validation error names the field). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const details = (error as { details?: unknown }).details;
  return details === undefined ? error.message : `${error.message}: ${JSON.stringify(details)}`;
}

const percent = (value: number) => value.toFixed(2);

/** The table printed at the end of a run: one line a field, then the overall micro-average. */
export function formatTable(report: EvalReport): string {
  const rows = [...report.fields, report.overall].map((row) => [row.field, percent(row.precision), percent(row.recall), percent(row.f1), String(row.tp), String(row.fp), String(row.fn)]);
  const header = ['field', 'P', 'R', 'F1', 'TP', 'FP', 'FN'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.slice(0, -1).map(line), line(widths.map((width) => '-'.repeat(width))), line(rows.at(-1)!)].join('\n');
}

/** The fields that fail a CI gate: F1 below `minF1`, or (with `requireAllFields`) nothing found of a field the keys expect. */
export function failingFields(report: EvalReport, gate: { minF1?: number; requireAllFields?: boolean }): string[] {
  return report.fields.flatMap((row) => {
    const expected = row.tp + row.fn > 0;
    if (gate.minF1 !== undefined && (expected || row.fp > 0) && row.f1 < gate.minF1) return [`${row.field}: F1 ${percent(row.f1)} < ${gate.minF1}`];
    if (gate.requireAllFields && expected && row.tp === 0) return [`${row.field}: nothing of it found`];
    return [];
  });
}
