import { z } from 'zod';

/**
 * The eval's files: a case's meeting (case.json), its answer key (answer.json), and what the
 * product answered, read from `minutes.structured` (a MinutesRecord, src/modules/minutes/minutes.record.ts)
 * loosely, so a record with a field missing still scores instead of failing the whole run.
 */

export const evalLanguages = ['pt-BR', 'en', 'es'] as const;
export const evalKinds = ['board', 'shareholders', 'condominium', 'general'] as const;
const outcomes = ['approved', 'rejected', 'postponed', 'no_vote'] as const;
const methods = ['unanimous', 'counted', 'acclamation', 'consensus', 'not_stated'] as const;

const person = z.object({ name: z.string().min(1), email: z.email().optional() });
const clockTime = z.string().regex(/^\d{2}:\d{2}:\d{2}$/, 'hh:mm:ss');

/** case.json: the meeting as the product is told about it before the transcript. */
export const evalCase = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  description: z.string().describe('What the case exercises'),
  topic: z.string().min(1),
  language: z.enum(evalLanguages).describe('The language of the ata asked for'),
  kind: z.enum(evalKinds),
  startTime: z.iso.datetime({ offset: true }).describe('With the local offset: due dates resolve against this local date'),
  timeZone: z.string(),
  durationMinutes: z.int().min(1),
  agenda: z.array(z.string().min(1)).describe('One item per entry, numbered from 1 in this order'),
  participants: z.array(person.extend({ email: z.email() })).describe('Invitees, with e-mails'),
  members: z.array(person).optional().describe('Expected members (quorum); without it the invitees are'),
  quorum: z
    .discriminatedUnion('rule', [
      z.object({ rule: z.literal('majority') }),
      z.object({ rule: z.literal('fraction'), fraction: z.number().gt(0).lte(1) }),
      z.object({ rule: z.literal('count'), count: z.int().min(1) }),
    ])
    .optional(),
  chair: z.string().optional().describe('Given in the settings (not said in the transcript)'),
  secretary: z.string().optional(),
});
export type EvalCase = z.infer<typeof evalCase>;

export const expectedVote = z.object({
  method: z.enum(methods),
  /** Compared only when the method is `counted`: a unanimous vote's counts are implied, not said. */
  inFavour: z.int().min(0).nullable().default(null),
  against: z.int().min(0).nullable().default(null),
  abstaining: z.int().min(0).nullable().default(null),
  againstNames: z.array(z.string()).default([]),
  abstainingNames: z.array(z.string()).default([]),
  inFavourNames: z.array(z.string()).default([]),
});

export const expectedDecision = z.object({
  time: clockTime.describe('Start of the turn that states it (the vote or the announcement), as in the transcript'),
  summary: z.string().describe('For people reading the key; not scored'),
  outcome: z.enum(outcomes),
  vote: expectedVote,
  agendaItem: z.int().min(1).nullable().describe('Null: outside the agenda'),
});

export const expectedActionItem = z.object({
  time: clockTime,
  summary: z.string(),
  owner: z.string(),
  ownerEmail: z.email().nullable(),
  dueDate: z.iso.date().nullable().describe("Resolved against the meeting's local date"),
});

/** answer.json: what a secretary would write down, field by field. */
export const answerKey = z.object({
  chair: z.string().nullable(),
  secretary: z.string().nullable(),
  present: z.array(z.string()),
  absent: z.array(z.string()),
  quorum: z.object({ expected: z.int(), required: z.int(), present: z.int(), met: z.boolean() }).nullable(),
  agenda: z.object({
    discussed: z.array(z.int().min(1)),
    notDiscussed: z.array(z.int().min(1)),
    offAgenda: z.int().min(0).describe('How many subjects were raised outside the agenda'),
  }),
  decisions: z.array(expectedDecision),
  actionItems: z.array(expectedActionItem),
});
export type AnswerKey = z.infer<typeof answerKey>;
export type ExpectedDecision = z.infer<typeof expectedDecision>;

// What is read of `minutes.structured`: only the scored fields, each tolerated missing.
const evidence = z.object({ time: z.string().nullable().catch(null) }).passthrough();
const evidenceList = z.array(evidence).catch([]);
const role = z.object({ name: z.string().nullable().catch(null) }).nullable().catch(null);
const count = z.number().int().nullable().catch(null);
const names = z.array(z.string()).catch([]);

export const producedRecord = z.object({
  chair: role,
  secretary: role,
  attendees: z.array(z.object({ name: z.string() }).passthrough()).catch([]),
  absent: z.array(z.string()).catch([]),
  quorum: z
    .object({ expected: count, required: count, present: count, met: z.boolean().nullable().catch(null) })
    .nullable()
    .catch(null),
  agenda: z.array(z.object({ number: z.number().int().nullable().catch(null), discussion: z.string().nullable().catch(null) }).passthrough()).catch([]),
  decisions: z
    .array(
      z
        .object({
          outcome: z.string().nullable().catch(null),
          vote: z
            .object({ method: z.string().catch('not_stated'), inFavour: count, against: count, abstaining: count, inFavourNames: names, againstNames: names, abstainingNames: names })
            .catch({ method: 'not_stated', inFavour: null, against: null, abstaining: null, inFavourNames: [], againstNames: [], abstainingNames: [] }),
          agendaItem: z.number().int().nullable().catch(null),
          evidence: evidenceList,
        })
        .passthrough(),
    )
    .catch([]),
  actionItems: z
    .array(
      z
        .object({ owner: z.string().nullable().catch(null), ownerEmail: z.string().nullable().catch(null), dueDate: z.string().nullable().catch(null), evidence: evidenceList })
        .passthrough(),
    )
    .catch([]),
});
export type ProducedRecord = z.infer<typeof producedRecord>;
