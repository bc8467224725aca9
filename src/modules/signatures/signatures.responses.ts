import type { EnvelopeRow, SignerRow } from './signatures.repo.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toEnvelopeResponse(row: EnvelopeRow) {
  return {
    id: row.id,
    envelopeId: row.docusignEnvelopeId,
    meetingMinutesId: row.meetingMinutesId,
    status: row.status,
    emailSubject: row.emailSubject,
    emailBlurb: row.emailBlurb,
    sentAt: iso(row.sentAt),
    deliveredAt: iso(row.deliveredAt),
    completedAt: iso(row.completedAt),
    declinedAt: iso(row.declinedAt),
    voidedAt: iso(row.voidedAt),
    declineReason: row.declineReason,
    voidedReason: row.voidedReason,
    sentPdfSha256: row.sentPdfSha256,
    signedPdfSha256: row.signedPdfSha256,
    certificateSha256: row.certificateSha256,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toSignerResponse(row: SignerRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    recipientId: row.recipientId,
    routingOrder: row.routingOrder,
    status: row.status,
    sentAt: iso(row.sentAt),
    deliveredAt: iso(row.deliveredAt),
    signedAt: iso(row.signedAt),
    declinedAt: iso(row.declinedAt),
    declineReason: row.declineReason,
  };
}

export type EnvelopeResponse = ReturnType<typeof toEnvelopeResponse>;
