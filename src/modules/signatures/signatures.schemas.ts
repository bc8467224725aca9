import { z } from 'zod';
import { envelopeStatuses, signerStatuses } from '../../db/schema.js';
import { idempotencyKeyHeader } from '../../lib/idempotency-key.js';
import { paginationQuery, paginationInfo } from '../../lib/pagination.js';

export const signerInput = z.object({
  email: z.email().max(255).toLowerCase(),
  name: z.string().trim().min(1).max(100).optional().describe('As it appears on the signature line; the e-mail when absent'),
  routingOrder: z.int().min(1).max(20).optional().describe('Signers with a lower order sign first; the same order signs in parallel (default 1: everyone at once)'),
});
export type SignerInput = z.infer<typeof signerInput>;

export const sendForSignatureBody = z.object({
  signers: z
    .array(signerInput)
    .min(1)
    .max(20)
    .refine((signers) => new Set(signers.map((signer) => signer.email)).size === signers.length, { error: 'each signer once' }),
  // DocuSign refuses subjects over 100 characters.
  emailSubject: z.string().trim().min(1).max(100).optional(),
  emailBlurb: z.string().trim().min(1).max(10_000).optional().describe('The message of the e-mail DocuSign sends'),
});
export type SendForSignatureInput = z.infer<typeof sendForSignatureBody>;
export const sendForSignatureHeaders = idempotencyKeyHeader;

export const minutesIdParams = z.object({ id: z.uuid() });
export const envelopeIdParams = z.object({ envelopeId: z.string().min(1).max(100) });
export const listEnvelopesQuery = paginationQuery.extend({ status: z.enum(envelopeStatuses).optional() });
export type ListEnvelopesQuery = z.infer<typeof listEnvelopesQuery>;
export const voidEnvelopeBody = z.object({ reason: z.string().trim().min(1).max(200).describe('Shown to the signers by DocuSign') });

export const envelope = z
  .object({
    id: z.uuid(),
    envelopeId: z.string().nullable().describe("DocuSign's envelope id; null while the envelope is being sent"),
    meetingMinutesId: z.uuid(),
    status: z.enum(envelopeStatuses),
    emailSubject: z.string().nullable(),
    emailBlurb: z.string().nullable(),
    sentAt: z.iso.datetime({ offset: true }).nullable(),
    deliveredAt: z.iso.datetime({ offset: true }).nullable(),
    completedAt: z.iso.datetime({ offset: true }).nullable(),
    declinedAt: z.iso.datetime({ offset: true }).nullable(),
    voidedAt: z.iso.datetime({ offset: true }).nullable(),
    declineReason: z.string().nullable(),
    voidedReason: z.string().nullable(),
    sentPdfSha256: z.string().nullable().describe('SHA-256 of the PDF sent to DocuSign'),
    signedPdfSha256: z.string().nullable().describe('SHA-256 of the signed PDF DocuSign returned'),
    certificateSha256: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable().describe('Why sending failed, or why the signed documents could not be fetched'),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'DocuSignEnvelope' });

export const signer = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string().nullable(),
    recipientId: z.string().nullable(),
    routingOrder: z.int().nullable(),
    status: z.enum(signerStatuses),
    sentAt: z.iso.datetime({ offset: true }).nullable(),
    deliveredAt: z.iso.datetime({ offset: true }).nullable(),
    signedAt: z.iso.datetime({ offset: true }).nullable(),
    declinedAt: z.iso.datetime({ offset: true }).nullable(),
    declineReason: z.string().nullable(),
  })
  .meta({ id: 'Signer' });

export const sendForSignatureResponse = z.object({ envelope, envelopeId: z.string().nullable() });
export const envelopesResponse = z.object({ envelopes: z.array(envelope), pagination: paginationInfo });
export const envelopeDetailsResponse = z.object({ envelope, signers: z.array(signer) });
export const consentUrlResponse = z.object({ consentUrl: z.string(), redirectUri: z.string() });
