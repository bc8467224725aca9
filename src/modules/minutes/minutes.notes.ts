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

const decision = z.object({
  text: z.string().describe('What was decided, as a formal resolution'),
  proposedBy: z.string().nullable(),
  outcome: z.enum(voteOutcomes).nullable().describe('approved, rejected, postponed, no_vote (recorded without a vote), or null when the transcript does not say'),
  vote,
  sourceTurn: z.number().int().min(0).describe('Index (from 0) of the transcript turn that supports it'),
});

/**
 * What the model returns for a transcript, or for one chunk of a long one: structured notes,
 * not prose. The Markdown of the ata is rendered from them by our template, so the formal
 * parts (abertura, presença, encerramento, signature lines) never depend on the model.
 * Every field is required and nullable where unknown: OpenAI's structured outputs (strict) ask it.
 */
export const minutesNotes = z.object({
  title: z.string().describe('A short formal title for the minutes'),
  presiding: z.string().nullable().describe('Who chaired the meeting, when the transcript says it'),
  secretary: z.string().nullable().describe('Who took the minutes, when the transcript says it'),
  attendees: z.array(z.object({ name: z.string(), role: z.string().nullable() })).describe('People who spoke or were said to be present'),
  agenda: z
    .array(z.object({ title: z.string(), discussion: z.string().describe('What was discussed under this item, in formal prose') }))
    .describe('The items of the agenda (ordem do dia), in the order they were taken'),
  decisions: z
    .array(decision)
    .describe('Every decision (deliberação) taken'),
  actionItems: z
    .array(
      z.object({
        owner: z.string().nullable(),
        task: z.string(),
        dueDate: z.string().nullable().describe('As said in the meeting, ISO 8601 when a full date was given'),
        sourceTurn: z.number().int().min(0).describe('Index (from 0) of the transcript turn that supports it'),
      }),
    )
    .describe('Every task someone took on'),
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

/**
 * Notes as read back from the database (meeting_minutes.notes, minutes_versions.notes): today's
 * shape, or the legacy one with `vote` as text. Not for the model: its schema is `minutesNotes`.
 */
export const storedMinutesNotes = minutesNotes.extend({ decisions: z.array(z.preprocess(upgradeLegacyDecision, decision)) });
