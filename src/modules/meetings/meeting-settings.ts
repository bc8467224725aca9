import { z } from 'zod';
import { meetingKinds } from '../../i18n/meeting-kinds.js';

export { meetingKinds, type MeetingKind } from '../../i18n/meeting-kinds.js';

/** Someone expected at the meeting: counted for the quorum, listed absent when not there. */
export const member = z.object({
  name: z.string().trim().min(1).max(255),
  email: z.string().trim().toLowerCase().pipe(z.email({ error: 'must be an e-mail address' }).max(255)).optional(),
});
export type Member = z.infer<typeof member>;

/**
 * How many of the expected members make a quorum: more than half (`majority`), at least a
 * fraction of them (`fraction`, e.g. 2/3 as 0.6667), or at least a number of them (`count`).
 */
export const quorumRule = z
  .discriminatedUnion('rule', [
    z.object({ rule: z.literal('majority') }),
    z.object({ rule: z.literal('fraction'), fraction: z.number().gt(0).lte(1) }),
    z.object({ rule: z.literal('count'), count: z.int().min(1).max(10_000) }),
  ])
  .meta({ id: 'QuorumRule' });
export type QuorumRule = z.infer<typeof quorumRule>;

const personName = z.string().trim().min(1).max(255);

/**
 * What a meeting declares about how its ata is written: its kind, who is expected and the
 * quorum, who chairs and who takes the minutes. A meeting holds them; a generation request may
 * override any of them (and the agenda) for that ata.
 */
export const minutesSettingsFields = {
  kind: z.enum(meetingKinds).describe('The kind of meeting: its headings, formulas and signature block'),
  members: z
    .array(member)
    .max(500)
    .describe("Who is expected: counted for the quorum and listed absent when not there. Without it, the meeting's invitees are"),
  quorum: quorumRule.describe('The quorum: the ata records present / expected and whether it was met'),
  chair: personName.describe('Who chairs; without it, the ata names the chair only when the transcript says who it is'),
  secretary: personName.describe('Who takes the minutes; without it, only when the transcript says who it is'),
};

/** A generation request's own settings for its ata, over the meeting's: any of them, and the agenda as items. */
export const minutesSettings = z
  .object({
    ...minutesSettingsFields,
    agenda: z.array(z.string().trim().min(1).max(500)).max(100).describe("The agenda item by item, instead of the meeting's (one item per line of its agenda)"),
  })
  .partial();
export type MinutesSettings = z.infer<typeof minutesSettings>;

/** An agenda as a list of items: one per line, numbering and bullets dropped. */
export function agendaItemsOf(agenda: string | null | undefined): string[] {
  if (!agenda) return [];
  return agenda
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*•·–]|\(?\d{1,3}(?:[.)º°-]|\s*-)|\(?(?:[a-z]|[ivx]{1,5})[.)])\s*/i, '').trim())
    .filter((line) => line.length > 0);
}
