import type { AnswerKey, ExpectedDecision, ProducedRecord } from './eval.schemas.js';

/**
 * Scores one produced record against its answer key, field by field. Every field is a multiset
 * of small facts ("atoms"): a fact in both is a true positive, one only produced a false
 * positive, one only in the key a false negative. Decisions and action items are first paired
 * by time (an evidence time of the produced one within `toleranceSec` of the key's turn); the
 * facts of an unpaired one count against recall (key) or precision (produced) in every sub-field.
 */

export const scoredFields = [
  'chair',
  'secretary',
  'present',
  'absent',
  'quorum',
  'agenda',
  'decisions',
  'decision.outcome',
  'decision.vote',
  'decision.names',
  'decision.agendaItem',
  'actionItems',
  'actionItem.owner',
  'actionItem.ownerEmail',
  'actionItem.dueDate',
] as const;
export type ScoredField = (typeof scoredFields)[number];

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
export type FieldCounts = Record<ScoredField, Counts>;

export interface CaseScore {
  fields: FieldCounts;
  /** What differed, for a person reading the results. */
  mismatches: string[];
}

export const DEFAULT_TOLERANCE_SEC = 5;

const honorifics = /^(dr|dra|sr|sra|srta|mr|mrs|ms|don|dona|dona|dña)\.?\s+/;
/** Names compared without case, accents, honorifics or extra spaces. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(honorifics, '');
}

export function emptyCounts(): FieldCounts {
  return Object.fromEntries(scoredFields.map((field) => [field, { tp: 0, fp: 0, fn: 0 }])) as FieldCounts;
}

export function addCounts(into: FieldCounts, from: FieldCounts): FieldCounts {
  for (const field of scoredFields) {
    into[field].tp += from[field].tp;
    into[field].fp += from[field].fp;
    into[field].fn += from[field].fn;
  }
  return into;
}

/** Precision, recall and F1; a side with nothing to count scores 1 (nothing expected, nothing produced). */
export function rates({ tp, fp, fn }: Counts): { precision: number; recall: number; f1: number } {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

/** Micro-average: every field's facts counted together. */
export function totalOf(fields: FieldCounts): Counts {
  return scoredFields.reduce((sum, field) => ({ tp: sum.tp + fields[field].tp, fp: sum.fp + fields[field].fp, fn: sum.fn + fields[field].fn }), { tp: 0, fp: 0, fn: 0 });
}

function compare(counts: Counts, expected: string[], produced: string[]): { missing: string[]; extra: string[] } {
  const left = [...produced];
  const missing: string[] = [];
  for (const atom of expected) {
    const at = left.indexOf(atom);
    if (at >= 0) {
      left.splice(at, 1);
      counts.tp++;
    } else {
      missing.push(atom);
      counts.fn++;
    }
  }
  counts.fp += left.length;
  return { missing, extra: left };
}

export function secondsOf(time: string | null | undefined): number | undefined {
  const match = /^(\d+):(\d{2}):(\d{2})/.exec(time ?? '');
  return match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) : undefined;
}

/** Pairs key items with produced items by their closest evidence time, greedily, within the tolerance. */
export function pairByTime<K extends { time: string }, P extends { evidence: { time: string | null }[] }>(keyItems: K[], produced: P[], toleranceSec: number) {
  const candidates: { key: number; produced: number; distance: number }[] = [];
  keyItems.forEach((item, keyIndex) => {
    const at = secondsOf(item.time)!;
    produced.forEach((candidate, producedIndex) => {
      const distances = candidate.evidence.map((evidence) => secondsOf(evidence.time)).filter((seconds) => seconds !== undefined).map((seconds) => Math.abs(seconds - at));
      const distance = Math.min(Infinity, ...distances);
      if (distance <= toleranceSec) candidates.push({ key: keyIndex, produced: producedIndex, distance });
    });
  });
  candidates.sort((a, b) => a.distance - b.distance || a.key - b.key || a.produced - b.produced);
  const pairs = new Map<number, number>();
  const taken = new Set<number>();
  for (const candidate of candidates) {
    if (pairs.has(candidate.key) || taken.has(candidate.produced)) continue;
    pairs.set(candidate.key, candidate.produced);
    taken.add(candidate.produced);
  }
  return { pairs, unpairedProduced: produced.map((_, index) => index).filter((index) => !taken.has(index)) };
}

type ProducedDecision = ProducedRecord['decisions'][number];
type ProducedActionItem = ProducedRecord['actionItems'][number];

const voteAtoms = (vote: { method: string; inFavour: number | null; against: number | null; abstaining: number | null }, withCounts: boolean) => [
  `method:${vote.method}`,
  ...(withCounts ? (['inFavour', 'against', 'abstaining'] as const).flatMap((side) => (vote[side] === null ? [] : [`${side}:${vote[side]}`])) : []),
];
const nameAtoms = (vote: { inFavourNames: string[]; againstNames: string[]; abstainingNames: string[] }) => [
  ...vote.inFavourNames.map((name) => `inFavour:${normaliseName(name)}`),
  ...vote.againstNames.map((name) => `against:${normaliseName(name)}`),
  ...vote.abstainingNames.map((name) => `abstaining:${normaliseName(name)}`),
];

function decisionAtoms(decision: ExpectedDecision | ProducedDecision, countsCompared: boolean) {
  return {
    'decision.outcome': [`${decision.outcome ?? 'none'}`],
    'decision.vote': voteAtoms(decision.vote, countsCompared),
    'decision.names': nameAtoms(decision.vote),
    'decision.agendaItem': [`${decision.agendaItem ?? 'none'}`],
  } as const;
}

function actionItemAtoms(item: { owner: string | null; ownerEmail: string | null; dueDate: string | null }) {
  return {
    'actionItem.owner': [item.owner ? normaliseName(item.owner) : 'none'],
    'actionItem.ownerEmail': item.ownerEmail ? [item.ownerEmail.toLowerCase()] : [],
    'actionItem.dueDate': [item.dueDate ?? 'none'],
  } as const;
}

export function scoreCase(key: AnswerKey, produced: ProducedRecord, options: { toleranceSec?: number } = {}): CaseScore {
  const toleranceSec = options.toleranceSec ?? DEFAULT_TOLERANCE_SEC;
  const fields = emptyCounts();
  const mismatches: string[] = [];
  const field = (name: ScoredField, expected: string[], got: string[], label: string = name) => {
    const { missing, extra } = compare(fields[name], expected, got);
    if (missing.length || extra.length) mismatches.push(`${label}: expected ${JSON.stringify(missing)}, got ${JSON.stringify(extra)}`);
  };
  const one = (name: string | null | undefined) => (name ? [normaliseName(name)] : []);

  field('chair', one(key.chair), one(produced.chair?.name));
  field('secretary', one(key.secretary), one(produced.secretary?.name));
  field('present', key.present.map(normaliseName), produced.attendees.map((attendee) => normaliseName(attendee.name)));
  field('absent', key.absent.map(normaliseName), produced.absent.map(normaliseName));
  const quorumAtoms = (quorum: { expected: number | null; required: number | null; present: number | null; met: boolean | null } | null) =>
    quorum ? [`expected:${quorum.expected}`, `required:${quorum.required}`, `present:${quorum.present}`, `met:${quorum.met}`] : [];
  field('quorum', quorumAtoms(key.quorum), quorumAtoms(produced.quorum));
  field(
    'agenda',
    [...key.agenda.discussed.map((n) => `${n}:discussed`), ...key.agenda.notDiscussed.map((n) => `${n}:not discussed`), `off agenda:${key.agenda.offAgenda}`],
    [
      ...produced.agenda.flatMap((item) => (item.number === null ? [] : [`${item.number}:${item.discussion ? 'discussed' : 'not discussed'}`])),
      `off agenda:${produced.agenda.filter((item) => item.number === null).length}`,
    ],
  );

  const decisions = pairByTime(key.decisions, produced.decisions, toleranceSec);
  fields.decisions.tp += decisions.pairs.size;
  fields.decisions.fn += key.decisions.length - decisions.pairs.size;
  fields.decisions.fp += decisions.unpairedProduced.length;
  key.decisions.forEach((expected, index) => {
    const pairedIndex = decisions.pairs.get(index);
    const paired = pairedIndex === undefined ? undefined : produced.decisions[pairedIndex];
    const countsCompared = expected.vote.method === 'counted';
    const expectedAtoms = decisionAtoms(expected, countsCompared);
    const producedAtoms = paired ? decisionAtoms(paired, countsCompared) : undefined;
    if (!paired) mismatches.push(`decision at ${expected.time} (${expected.summary}): not found`);
    for (const name of ['decision.outcome', 'decision.vote', 'decision.names', 'decision.agendaItem'] as const) {
      field(name, [...expectedAtoms[name]], [...(producedAtoms?.[name] ?? [])], paired ? `decision at ${expected.time} ${name}` : 'skip');
    }
  });
  for (const index of decisions.unpairedProduced) {
    const extra = produced.decisions[index]!;
    mismatches.push(`decision not in the key, at ${extra.evidence.map((evidence) => evidence.time).join(', ') || 'no time'}: ${JSON.stringify(extra.text ?? '')}`);
    const atoms = decisionAtoms(extra, extra.vote.method === 'counted');
    for (const name of ['decision.outcome', 'decision.vote', 'decision.names', 'decision.agendaItem'] as const) field(name, [], [...atoms[name]], 'skip');
  }

  const actions = pairByTime(key.actionItems, produced.actionItems, toleranceSec);
  fields.actionItems.tp += actions.pairs.size;
  fields.actionItems.fn += key.actionItems.length - actions.pairs.size;
  fields.actionItems.fp += actions.unpairedProduced.length;
  key.actionItems.forEach((expected, index) => {
    const pairedIndex = actions.pairs.get(index);
    const paired: ProducedActionItem | undefined = pairedIndex === undefined ? undefined : produced.actionItems[pairedIndex];
    if (!paired) mismatches.push(`action item at ${expected.time} (${expected.summary}): not found`);
    const expectedAtoms = actionItemAtoms(expected);
    const producedAtoms = paired ? actionItemAtoms(paired) : undefined;
    for (const name of ['actionItem.owner', 'actionItem.ownerEmail', 'actionItem.dueDate'] as const) {
      field(name, [...expectedAtoms[name]], [...(producedAtoms?.[name] ?? [])], paired ? `action item at ${expected.time} ${name}` : 'skip');
    }
  });
  for (const index of actions.unpairedProduced) {
    const extra = produced.actionItems[index]!;
    mismatches.push(`action item not in the key, at ${extra.evidence.map((evidence) => evidence.time).join(', ') || 'no time'}: ${JSON.stringify(extra.task ?? '')}`);
    const atoms = actionItemAtoms(extra);
    for (const name of ['actionItem.owner', 'actionItem.ownerEmail', 'actionItem.dueDate'] as const) field(name, [], [...atoms[name]], 'skip');
  }

  return { fields, mismatches: mismatches.filter((line) => !line.startsWith('skip')) };
}
