import { z } from 'zod';
import { envelopeStatuses, meetingStatuses, minutesStatuses, transcriptSources, type userEventTypes } from '../../db/schema.js';

const meetingId = z.uuid();
const minutesId = z.uuid();

/** Each event's `data`: what the stream and the webhooks carry, and what `publish` must be given. */
export const userEventData = {
  'meeting.status_changed': z.object({ meetingId, status: z.enum(meetingStatuses) }).describe('Zoom started or ended the meeting, or it was cancelled'),
  'transcript.ready': z.object({ meetingId, source: z.enum(transcriptSources) }).describe("The meeting's transcript arrived from Zoom or was uploaded"),
  'minutes.progress': z
    .object({
      minutesId,
      meetingId,
      progress: z.object({ stage: z.enum(['summarising', 'merging']), chunksDone: z.number().int(), chunksTotal: z.number().int(), receivedChars: z.number().int() }),
    })
    .describe('The model is writing the minutes'),
  'minutes.ready': z.object({ minutesId, meetingId, status: z.enum(minutesStatuses), version: z.number().int() }).describe('The minutes were written'),
  'minutes.failed': z.object({ minutesId, meetingId, code: z.string(), message: z.string() }).describe('The minutes could not be written'),
  'minutes.pdf_ready': z.object({ minutesId, meetingId, pdfSha256: z.string() }).describe("The minutes' PDF is rendered"),
  'envelope.status_changed': z
    .object({
      envelopeId: z.string().nullable().describe("DocuSign's envelope id; null when sending failed before DocuSign gave one"),
      minutesId,
      status: z.enum(envelopeStatuses),
      code: z.string().optional().describe('Why sending failed'),
    })
    .describe('An envelope was sent, delivered, completed, declined, voided, or could not be sent'),
  'envelope.documents_stored': z.object({ envelopeId: z.string(), minutesId }).describe('The signed PDF and the certificate of completion can be downloaded'),
} satisfies Record<(typeof userEventTypes)[number], z.ZodType>;

export type UserEventData<Type extends keyof typeof userEventData> = z.input<(typeof userEventData)[Type]>;
