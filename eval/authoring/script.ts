import type { AnswerKey, EvalCase, expectedVote } from '../eval.schemas.js';
import type { z } from 'zod';

/**
 * How a case is written: the meeting, the key's meeting-wide answers, and the transcript as a
 * script of hand-written turns, each decision and action item annotated with its answer right
 * where it is said, plus filler ("discussion until 00:40:00 among these people") drawn from
 * hand-written pools of discussion sentences (fillers.ts). build.ts lays the turns out in time,
 * deterministically, and writes transcript.vtt, case.json and answer.json with the key's times.
 */

export type Vote = z.input<typeof expectedVote>;

export interface DecisionNote {
  summary: string;
  outcome: 'approved' | 'rejected' | 'postponed' | 'no_vote';
  vote: Vote;
  item: number | null;
}
export interface ActionNote {
  summary: string;
  owner: string;
  /** Resolved by hand against the meeting's local date. */
  due: string | null;
}

export type Entry =
  | { kind: 'turn'; speaker: string; text: string; overlap: boolean; pauseSec?: number; decision?: DecisionNote; action?: ActionNote }
  | { kind: 'fill'; until: string; speakers: string[]; topical: string[] };

export interface CaseSource {
  meeting: EvalCase;
  /** Short names used in the script (`H: text`) → full names. */
  people: Record<string, string>;
  key: Omit<AnswerKey, 'decisions' | 'actionItems'>;
  /** Where the first turn starts, in seconds. */
  startsAtSec?: number;
  script: Entry[];
}

function turn(line: string, extra: Partial<Extract<Entry, { kind: 'turn' }>> = {}): Entry {
  const match = /^([^:]{1,40}): (.+)$/s.exec(line);
  if (!match) throw new Error(`not "Speaker: text": ${line}`);
  return { kind: 'turn', speaker: match[1]!, text: match[2]!, overlap: false, ...extra };
}

/** A turn: `"H: text"` (H a short name in `people`). */
export const say = (line: string) => turn(line);
/** A turn that starts before the previous one ends (people talking over each other). */
export const over = (line: string) => turn(line, { overlap: true });
/** A turn after a longer silence (a break, a count of votes). */
export const after = (pauseSec: number, line: string) => turn(line, { pauseSec });
/** A turn that states a decision: the key's answer for it. */
export const decision = (line: string, note: DecisionNote) => turn(line, { decision: note });
/** A turn in which someone takes on a task: the key's answer for it. */
export const action = (line: string, note: ActionNote) => turn(line, { action: note });
/**
 * Discussion until the clock reaches `until` (hh:mm:ss) among these short names: the `topical`
 * sentences (hand-written for this stretch, in order, each once) mixed with the language's pool.
 */
export const fill = (until: string, speakers: string, topical: string[] = []) => ({ kind: 'fill', until, speakers: speakers.split(/\s+/), topical }) as Entry;

export const unanimous: Vote = { method: 'unanimous' };
export const notStated: Vote = { method: 'not_stated' };
export const counted = (inFavour: number | null, against: number | null, abstaining: number | null, names: { against?: string[]; abstaining?: string[]; inFavour?: string[] } = {}): Vote => ({
  method: 'counted',
  inFavour,
  against,
  abstaining,
  againstNames: names.against ?? [],
  abstainingNames: names.abstaining ?? [],
  inFavourNames: names.inFavour ?? [],
});
