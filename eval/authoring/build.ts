import fs from 'node:fs';
import path from 'node:path';
import { CASES_DIR } from '../cases.js';
import { answerKey, evalCase, type AnswerKey } from '../eval.schemas.js';
import { cases } from './cases/index.js';
import { cueInFiller, fillerPool } from './fillers.js';
import type { CaseSource, Entry } from './script.js';

/**
 * `node --import tsx eval/authoring/build.ts`: writes eval/cases/<id>/{transcript.vtt, case.json,
 * answer.json} from the scripts in ./cases. Deterministic: the same scripts give the same files.
 * Checks the key against the meeting (present and absent people, quorum counts) so a slip in a
 * hand-written key fails here rather than as a low score.
 */

function randomOf(seedText: string) {
  let seed = [...seedText].reduce((hash, char) => Math.imul(hash ^ char.charCodeAt(0), 16_777_619), 2_166_136_261) >>> 0;
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let value = seed;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');
function clock(seconds: number, withMs = false): string {
  const whole = Math.floor(seconds);
  const text = `${pad(Math.floor(whole / 3600))}:${pad(Math.floor((whole % 3600) / 60))}:${pad(whole % 60)}`;
  return withMs ? `${text}.${pad(Math.floor((seconds - whole) * 1000), 3)}` : text;
}
const secondsOf = (time: string) => time.split(':').reduce((sum, part) => sum * 60 + Number(part), 0);

interface Cue {
  start: number;
  end: number;
  speaker: string;
  text: string;
  entry?: Extract<Entry, { kind: 'turn' }>;
}

function layOut(source: CaseSource): Cue[] {
  const random = randomOf(source.meeting.id);
  const pool = fillerPool(source.meeting.language, source.meeting.kind);
  for (const sentence of pool) if (cueInFiller.test(sentence)) throw new Error(`filler sentence carries a cue: ${sentence}`);
  const fullName = (short: string) => {
    const name = source.people[short];
    if (!name) throw new Error(`${source.meeting.id}: no person "${short}"`);
    return name;
  };
  const cues: Cue[] = [];
  let end = source.startsAtSec ?? 2.4;
  const place = (speaker: string, text: string, options: { overlap?: boolean; pauseSec?: number; entry?: Cue['entry'] } = {}) => {
    const words = text.split(/\s+/).length;
    const previous = cues.at(-1);
    let start = options.overlap && previous ? end - (1 + random() * 1.5) : end + (options.pauseSec ?? 0.4 + random() * 1.8);
    if (previous && start <= previous.start + 0.5) start = previous.start + 0.5;
    const duration = Math.max(2, words / 2.6) + random() * 1.2;
    cues.push({ start, end: start + duration, speaker, text, ...(options.entry ? { entry: options.entry } : {}) });
    end = Math.max(end, start + duration);
  };
  let sentence = Math.floor(random() * pool.length);
  for (const entry of source.script) {
    if (entry.kind === 'turn') {
      place(fullName(entry.speaker), entry.text, { overlap: entry.overlap, ...(entry.pauseSec !== undefined ? { pauseSec: entry.pauseSec } : {}), entry });
      continue;
    }
    const until = secondsOf(entry.until);
    if (until < end) throw new Error(`${source.meeting.id}: filler until ${entry.until} but the clock is already at ${clock(end)}`);
    for (const line of entry.topical) if (cueInFiller.test(line)) throw new Error(`${source.meeting.id}: topical sentence carries a cue: ${line}`);
    const topical = [...entry.topical];
    // Spread the topical sentences over the stretch: about one turn in turnsPerTopical opens with one.
    const turnsLeft = (until - end) / 14;
    const turnsPerTopical = Math.max(1, Math.floor(turnsLeft / Math.max(1, topical.length)));
    let last = cues.at(-1)?.speaker;
    let turnIndex = 0;
    while (end < until - 20 || topical.length > 0) {
      const candidates = entry.speakers.map(fullName).filter((name) => name !== last);
      const speaker = candidates[Math.floor(random() * candidates.length)]!;
      const text: string[] = [];
      if (topical.length > 0 && turnIndex % turnsPerTopical === 0) text.push(topical.shift()!);
      const count = text.length ? Math.floor(random() * 2) : 1 + Math.floor(random() * 3);
      for (let i = 0; i < count; i++) {
        sentence = (sentence + 1 + Math.floor(random() * 5)) % pool.length;
        text.push(pool[sentence]!);
      }
      if (text.length) place(speaker, text.join(' '), { overlap: random() < 0.06 });
      last = speaker;
      turnIndex++;
    }
  }
  return cues;
}

function vttOf(cues: Cue[]): string {
  return `WEBVTT\n\n${cues.map((cue, index) => `${index + 1}\n${clock(cue.start, true)} --> ${clock(cue.end, true)}\n${cue.speaker}: ${cue.text}\n`).join('\n')}`;
}

const same = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

function check(source: CaseSource, cues: Cue[], key: AnswerKey) {
  const { meeting } = source;
  const problems: string[] = [];
  const speakers = new Set(cues.map((cue) => cue.speaker));
  for (const speaker of speakers) if (!key.present.includes(speaker)) problems.push(`${speaker} speaks but is not in present`);
  const expected = (meeting.members ?? meeting.participants).map((person) => person.name);
  const invited = [...new Set([...expected, ...meeting.participants.map((person) => person.name)])];
  const absent = invited.filter((name) => !key.present.includes(name));
  if (!same(absent, key.absent)) problems.push(`absent should be ${JSON.stringify(absent)}`);
  if (meeting.quorum) {
    const present = expected.filter((name) => key.present.includes(name)).length;
    const rule = meeting.quorum;
    const required = rule.rule === 'majority' ? Math.floor(expected.length / 2) + 1 : rule.rule === 'count' ? rule.count : Math.ceil(expected.length * rule.fraction - 1e-9);
    const quorum = { expected: expected.length, required, present, met: present >= required };
    if (JSON.stringify(quorum) !== JSON.stringify(key.quorum)) problems.push(`quorum should be ${JSON.stringify(quorum)}`);
  } else if (key.quorum) problems.push('a quorum in the key but no rule in the meeting');
  if (meeting.chair && key.chair !== meeting.chair) problems.push('the chair of the settings is the key');
  if (meeting.secretary && key.secretary !== meeting.secretary) problems.push('the secretary of the settings is the key');
  const items = [...key.agenda.discussed, ...key.agenda.notDiscussed].sort((a, b) => a - b);
  if (JSON.stringify(items) !== JSON.stringify(meeting.agenda.map((_, index) => index + 1))) problems.push('agenda: each item is discussed or not');
  for (const decision of key.decisions) if (decision.agendaItem !== null && decision.agendaItem > meeting.agenda.length) problems.push(`decision at ${decision.time}: no item ${decision.agendaItem}`);
  const length = (cues.at(-1)?.end ?? 0) / 60;
  if (Math.abs(length - meeting.durationMinutes) > Math.max(3, meeting.durationMinutes * 0.15)) problems.push(`the transcript lasts ${length.toFixed(0)} min, the meeting says ${meeting.durationMinutes}`);
  if (problems.length) throw new Error(`${meeting.id}:\n  ${problems.join('\n  ')}`);
}

function build(source: CaseSource) {
  const meeting = evalCase.parse(source.meeting);
  const cues = layOut(source);
  const people = [...meeting.participants, ...(meeting.members ?? [])];
  const emailOf = (name: string) => people.find((person) => person.name === name)?.email ?? null;
  const key = answerKey.parse({
    ...source.key,
    decisions: cues.flatMap(({ entry, start }) =>
      entry?.decision ? [{ time: clock(start), summary: entry.decision.summary, outcome: entry.decision.outcome, vote: entry.decision.vote, agendaItem: entry.decision.item }] : [],
    ),
    actionItems: cues.flatMap(({ entry, start }) =>
      entry?.action ? [{ time: clock(start), summary: entry.action.summary, owner: entry.action.owner, ownerEmail: emailOf(entry.action.owner), dueDate: entry.action.due }] : [],
    ),
  });
  check(source, cues, key);
  const folder = path.join(CASES_DIR, meeting.id);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'transcript.vtt'), vttOf(cues));
  fs.writeFileSync(path.join(folder, 'case.json'), `${JSON.stringify(meeting, null, 2)}\n`);
  fs.writeFileSync(path.join(folder, 'answer.json'), `${JSON.stringify(key, null, 2)}\n`);
  return { id: meeting.id, turns: cues.length, minutes: Math.round((cues.at(-1)?.end ?? 0) / 60) };
}

{
  for (const source of cases) {
    const built = build(source);
    process.stdout.write(`${built.id}: ${built.turns} turns, ${built.minutes} min\n`);
  }
}
