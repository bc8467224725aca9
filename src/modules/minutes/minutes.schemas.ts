import { z } from 'zod';
import { minutesStatuses } from '../../db/schema.js';
import { defaultLanguage, languages } from '../../i18n/languages.js';
import { idempotencyKeyHeader } from '../../lib/idempotency-key.js';
import { minutesSettings } from '../meetings/meeting-settings.js';
import { meeting } from '../meetings/meetings.schemas.js';
import { envelope } from '../signatures/signatures.schemas.js';
import { minutesRecord } from './minutes.record.js';

/** Any IANA zone the runtime knows, aliases included: Intl.supportedValuesOf lists canonical names only (not Asia/Kolkata). */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// Names as DocuSign takes them (100 characters at most): these signers may receive the envelope.
export const signer = z.object({ email: z.email().max(255).toLowerCase(), name: z.string().trim().min(1).max(100).optional() });
export type SignerInput = z.infer<typeof signer>;

export const meetingIdParams = z.object({ meetingId: z.uuid() });
export const minutesIdParams = z.object({ id: z.uuid() });

export const generateMinutesBody = z
  .object({
    includeSignature: z.boolean().default(false),
    signers: z.array(signer).min(1).max(20).optional().describe('One signature line each in the PDF; the envelope goes to them'),
    testMode: z.boolean().default(false).describe('Generates without sending anything for signature; the minutes are marked as a test'),
    language: z.enum(languages).default(defaultLanguage).describe('Language of the minutes, whatever the language of the meeting'),
    timeZone: z
      .string()
      .refine(isTimeZone, { error: 'must be an IANA time zone such as America/Sao_Paulo' })
      .default('America/Sao_Paulo')
      .describe('Time zone of the date and time written in the minutes'),
    // This ata's own kind, agenda, members, quorum, chair or secretary, over the meeting's.
    ...minutesSettings.shape,
  })
  .refine((body) => !body.includeSignature || (body.signers?.length ?? 0) > 0, { error: 'signers are required with includeSignature', path: ['signers'] });
export type GenerateMinutesInput = z.infer<typeof generateMinutesBody>;

export const generateMinutesHeaders = idempotencyKeyHeader.extend({
  prefer: z.string().optional().describe('`respond-async`: answer 202 at once instead of waiting for the generation'),
  accept: z.string().optional().describe('`text/event-stream`: stream progress and the text as Server-Sent Events'),
});

export const updateMinutesBody = z
  .object({
    content: z.string().trim().min(1).max(200_000).optional().describe('Markdown; only while the minutes are a draft'),
    status: z.enum(['draft', 'finalized']).optional().describe('`finalized` freezes the content and renders the final PDF'),
  })
  .refine((body) => body.content !== undefined || body.status !== undefined, { error: 'give content or status' });
export type UpdateMinutesInput = z.infer<typeof updateMinutesBody>;

export const minutes = z
  .object({
    id: z.uuid(),
    meetingId: z.uuid(),
    userId: z.uuid(),
    status: z.enum(minutesStatuses),
    content: z.string(),
    structured: minutesRecord
      .nullable()
      .describe('What the generated content was written from, as data: roles, presence and quorum, the agenda, decisions with their votes and action items, each with its evidence in the recording. Null before the first generation; not changed by edits of the content'),
    language: z.enum(languages),
    isTest: z.boolean(),
    version: z.int(),
    signers: z.array(signer),
    pdfUrl: z.string().nullable().describe('Set once the PDF of the current content is rendered'),
    contentSha256: z.string().nullable(),
    pdfSha256: z.string().nullable(),
    model: z.string().nullable(),
    progress: z
      .object({ stage: z.string(), chunksDone: z.int(), chunksTotal: z.int(), receivedChars: z.int() })
      .nullable()
      .describe('While generating'),
    error: z.object({ code: z.string(), message: z.string() }).nullable().describe('Why the last generation failed'),
    generatedAt: z.iso.datetime({ offset: true }).nullable(),
    finalizedAt: z.iso.datetime({ offset: true }).nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'MeetingMinutes' });

export const generateMinutesResponse = z.object({
  minutes,
  content: z.string(),
  pdfUrl: z.string().optional(),
  envelopeId: z.string().optional(),
});
export const minutesListResponse = z.object({ minutes: z.array(minutes) });
export const minutesResponse = z.object({ minutes });
export const minutesDetailsResponse = z.object({
  minutes,
  meeting,
  envelope: envelope.optional().describe('The latest envelope of these minutes'),
  documentChain: z
    .object({
      contentSha256: z.string().nullable(),
      sentPdfSha256: z.string().nullable(),
      signedPdfSha256: z.string().nullable(),
      certificateSha256: z.string().nullable(),
    })
    .describe('SHA-256 of the content, of the PDF sent for signature and of the signed PDF: what was signed is what was generated'),
});
export const minutesVersionsResponse = z.object({
  versions: z.array(
    z.object({
      version: z.int(),
      source: z.enum(['generated', 'edited']),
      content: z.string(),
      language: z.string(),
      model: z.string().nullable(),
      createdAt: z.iso.datetime({ offset: true }),
    }),
  ),
});

export const actionItemsResponse = z.object({
  minutesId: z.uuid(),
  actionItems: minutesRecord.shape.actionItems,
});
