import { z } from 'zod';
import { voteMethods, voteOutcomes } from '../../i18n/votes.js';
import { voteFromText } from './minutes.vote-cues.js';

export { voteMethods, voteOutcomes, type VoteMethod, type VoteOutcome } from '../../i18n/votes.js';

const count = z.number().int().min(0).nullable();
const names = z.array(z.string());

/** The vote as data: enums and numbers, rendered in the ata's language by our template (minutes.vote.ts). */
export const vote = z
  .object({
    method: z.enum(voteMethods).describe('unanimous, counted (votes counted), acclamation, consensus, or not_stated when the transcript does not say'),
    inFavour: count.describe('Votes in favour, when stated'),
    against: count.describe('Votes against, when stated'),
    abstaining: count.describe('Abstentions, when stated'),
    inFavourNames: names.describe('Who voted in favour, when named; else empty'),
    againstNames: names.describe('Who voted against, when named; else empty'),
    abstainingNames: names.describe('Who abstained, when named; else empty'),
  })
  .describe('The vote, when stated; method not_stated and null counts when not');
export type Vote = z.infer<typeof vote>;

const sourceTurn = z.number().int().min(0).describe('Index (from 0) of the transcript turn that supports it');
const agendaItem = z
  .number()
  .int()
  .min(1)
  .nullable()
  .describe("Number (from 1) of the meeting's agenda item it belongs to, from the agenda in the prompt; null when it is not on that agenda or there is none");

const decision = z.object({
  text: z.string().describe('What was decided, as a formal resolution'),
  proposedBy: z.string().nullable(),
  outcome: z.enum(voteOutcomes).nullable().describe('approved, rejected, postponed, no_vote (recorded without a vote), or null when the transcript does not say'),
  vote,
  agendaItem,
  sourceTurn,
});

const actionItem = z.object({
  owner: z.string().nullable().describe('Who took the task on, as named in the meeting'),
  task: z.string(),
  due: z.string().nullable().describe('The deadline in the words said ("sexta-feira", "até o fim do mês", "by 15 March", "2027-03-15"); null when none was said'),
  sourceTurn,
});

const roleTurn = z.number().int().min(0).nullable();

/**
 * What the model returns for a transcript, or for one chunk of a long one: structured notes,
 * not prose. The Markdown of the ata is rendered from them by our template, so the formal
 * parts (abertura, presença, encerramento, signature lines) never depend on the model.
 * Every field is required and nullable where unknown: OpenAI's structured outputs (strict) ask it.
 */
export const minutesNotes = z.object({
  title: z.string().describe('A short formal title for the minutes'),
  presiding: z
    .string()
    .nullable()
    .describe('Who chaired, only when a turn shows it ("declaro aberta a reunião", "passo a palavra", "as chair", "I call the meeting to order"); null otherwise: never guess'),
  presidingSourceTurn: roleTurn.describe('Index of the turn that shows who chaired; null with presiding null'),
  secretary: z
    .string()
    .nullable()
    .describe('Who took the minutes, only when a turn says it ("eu secretario", "I will take the minutes", "yo levanto el acta"); null otherwise: never guess'),
  secretarySourceTurn: roleTurn.describe('Index of the turn that says who took the minutes; null with secretary null'),
  attendees: z.array(z.object({ name: z.string(), role: z.string().nullable() })).describe('People who spoke or were said to be present'),
  agenda: z
    .array(
      z.object({
        title: z.string(),
        discussion: z.string().describe('What was discussed under this item, in formal prose'),
        agendaItem,
      }),
    )
    .describe('The items discussed (ordem do dia), in the order they were taken; with an agenda in the prompt, one entry per item discussed, and one per subject raised outside it'),
  decisions: z.array(decision).describe('Every decision (deliberação) taken'),
  actionItems: z.array(actionItem).describe('Every task someone took on'),
});

export type MinutesNotes = z.infer<typeof minutesNotes>;

/**
 * A decision as stored before votes were data: `vote` was the model's free text ("unanimous",
 * "5 in favour, 1 against") and there was no `outcome`. Read into the structured vote with the
 * same cues as the emulator (minutes.vote-cues.ts), so old minutes keep their structure; the
 * counts and method the text states survive, the wording does not.
 */
function upgradeLegacyDecision(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const legacyVote = record.vote;
  if (!(typeof legacyVote === 'string' || legacyVote === null || legacyVote === undefined) || Object.hasOwn(record, 'outcome')) return value;
  const text = typeof record.text === 'string' ? record.text : '';
  const fromVote = voteFromText(legacyVote ?? '');
  return { ...record, outcome: voteFromText(`${text}\n${legacyVote ?? ''}`).outcome ?? fromVote.outcome, vote: fromVote.vote };
}

/** An action item as stored before `due` (then `dueDate`, the deadline as said). */
function upgradeLegacyActionItem(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.hasOwn(value, 'due')) return value;
  const { dueDate, ...rest } = value as Record<string, unknown>;
  return { ...rest, due: dueDate ?? null };
}

/**
 * Notes as stored before the minutes record (minutes.record.ts): today's notes, or older ones with
 * the vote as text, without agenda item numbers or role turns, with `dueDate` for `due`. Not for
 * the model: its schema is `minutesNotes`.
 */
export const storedMinutesNotes = minutesNotes.extend({
  presidingSourceTurn: roleTurn.default(null),
  secretarySourceTurn: roleTurn.default(null),
  agenda: z.array(minutesNotes.shape.agenda.element.extend({ agendaItem: agendaItem.default(null) })),
  decisions: z.array(z.preprocess(upgradeLegacyDecision, decision.extend({ agendaItem: agendaItem.default(null) }))),
  actionItems: z.array(z.preprocess(upgradeLegacyActionItem, actionItem)),
});
