import { z } from 'zod';

/** https://developers.docusign.com/platform/auth/reference/obtain-access-token/ (JWT grant) */
export const docusignTokenResponse = z.object({
  access_token: z.string(),
  token_type: z.string(),
  expires_in: z.number(),
});

/** https://developers.docusign.com/platform/auth/reference/user-info/ */
export const docusignUserInfo = z.object({
  sub: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
  accounts: z.array(
    z.object({
      account_id: z.string(),
      is_default: z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]),
      account_name: z.string().optional(),
      base_uri: z.string(),
    }),
  ),
});
export type DocuSignUserInfo = z.infer<typeof docusignUserInfo>;

/** https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopes/create/ (envelopeSummary) */
export const docusignEnvelopeSummary = z.object({
  envelopeId: z.string(),
  status: z.string(),
  statusDateTime: z.string(),
  uri: z.string().optional(),
});
export type DocuSignEnvelopeSummary = z.infer<typeof docusignEnvelopeSummary>;

/** https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopes/get/ (the fields we read) */
export const docusignEnvelope = z.object({
  envelopeId: z.string(),
  status: z.string(),
  emailSubject: z.string().optional(),
  createdDateTime: z.string().optional(),
  sentDateTime: z.string().optional(),
  statusChangedDateTime: z.string().optional(),
  deliveredDateTime: z.string().optional(),
  completedDateTime: z.string().optional(),
  declinedDateTime: z.string().optional(),
  voidedDateTime: z.string().optional(),
  voidedReason: z.string().optional(),
});
export type DocuSignEnvelope = z.infer<typeof docusignEnvelope>;

/** https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopes/liststatuschanges/ */
export const docusignEnvelopesInformation = z.object({ envelopes: z.array(docusignEnvelope).default([]) });

/** https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/enveloperecipients/list/ (signers only) */
export const docusignSigner = z.object({
  recipientId: z.string(),
  email: z.string(),
  name: z.string(),
  status: z.string(),
  routingOrder: z.string().optional(),
  sentDateTime: z.string().optional(),
  deliveredDateTime: z.string().optional(),
  signedDateTime: z.string().optional(),
  declinedDateTime: z.string().optional(),
  declinedReason: z.string().optional(),
});

export const docusignRecipients = z.object({
  signers: z.array(docusignSigner).default([]),
  currentRoutingOrder: z.string().optional(),
});
export type DocuSignRecipients = z.infer<typeof docusignRecipients>;

/** https://developers.docusign.com/docs/esign-rest-api/reference/envelopes/envelopes/update/ (envelopeUpdateSummary) */
export const docusignEnvelopeUpdateSummary = z.object({ envelopeId: z.string().optional() });

/** DocuSign's error body is `{ errorCode, message }`; its OAuth server's is `{ error, error_description }`. */
export const docusignErrorCodeOf = (body: unknown): string | undefined => {
  if (body && typeof body === 'object') {
    if ('errorCode' in body && typeof body.errorCode === 'string') return body.errorCode;
    if ('error' in body && typeof body.error === 'string') return body.error;
  }
  return undefined;
};
