import { z } from 'zod';

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
    .array(
      z.object({
        text: z.string().describe('What was decided, as a formal resolution'),
        proposedBy: z.string().nullable(),
        vote: z.string().nullable().describe('The vote or consensus when stated, e.g. "unanimous", "5 in favour, 1 against"'),
        sourceTurn: z.number().int().min(0).describe('Index (from 0) of the transcript turn that supports it'),
      }),
    )
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
