import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { constantTimeEqual } from '../../lib/crypto.js';

const SIGNATURE_HEADER = /^x-docusign-signature-\d+$/i;

/**
 * DocuSign Connect's HMAC: each `X-DocuSign-Signature-N` header (one per active key, so keys can
 * rotate) is base64 HMAC-SHA256 of the raw body; the message is genuine when any header matches
 * any of our secrets. https://developers.docusign.com/platform/webhooks/connect/hmac/
 */
export function verifyConnectSignature(rawBody: Buffer, headers: Record<string, string | string[] | undefined>, secrets: string[]): boolean {
  const signatures = Object.entries(headers)
    .filter(([name]) => SIGNATURE_HEADER.test(name))
    .flatMap(([, value]) => (Array.isArray(value) ? value : value === undefined ? [] : [value]));
  if (signatures.length === 0) return false;
  const expected = secrets.filter(Boolean).map((secret) => createHmac('sha256', secret).update(rawBody).digest('base64'));
  return signatures.some((signature) => expected.some((digest) => constantTimeEqual(signature, digest)));
}

/** https://developers.docusign.com/platform/webhooks/connect/json-sim-event-model/ (recipients, when `includeData` asks for them) */
export const connectSigner = z.object({
  recipientId: z.string(),
  // A signer reached by SMS only has no e-mail.
  email: z.string().optional(),
  name: z.string().optional(),
  status: z.string(),
  routingOrder: z.string().optional(),
  deliveredDateTime: z.string().optional(),
  signedDateTime: z.string().optional(),
  declinedDateTime: z.string().optional(),
  declinedReason: z.string().optional(),
});

/** https://developers.docusign.com/platform/webhooks/connect/json-sim-event-model/ (test/contracts/docusign/connect.schema-v2.json) */
export const connectEvent = z.object({
  event: z.string(),
  // Read for nothing but logs: a message that lacks them is still news.
  apiVersion: z.string().optional(),
  uri: z.string().optional(),
  retryCount: z.coerce.number().int().min(0).optional(),
  configurationId: z.union([z.number(), z.string()]).transform(String).optional(),
  generatedDateTime: z.string(),
  data: z.object({
    accountId: z.string().optional(),
    userId: z.string().optional(),
    // Empty in envelope-level events.
    recipientId: z.string().optional(),
    envelopeId: z.string(),
    envelopeSummary: z
      .object({
        status: z.string(),
        emailSubject: z.string().optional(),
        recipients: z.object({ signers: z.array(connectSigner).optional() }).optional(),
        sentDateTime: z.string().optional(),
        statusChangedDateTime: z.string().optional(),
        completedDateTime: z.string().optional(),
        declinedDateTime: z.string().optional(),
        voidedDateTime: z.string().optional(),
        voidedReason: z.string().optional(),
      })
      .optional(),
  }),
});
export type ConnectEvent = z.infer<typeof connectEvent>;
