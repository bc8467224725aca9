import { randomUUID } from 'node:crypto';
import PDFDocument from 'pdfkit';

// The emulator's envelopes: read from an envelopeDefinition, shown as DocuSign's JSON, and their documents.

type SignerStatus = 'created' | 'sent' | 'delivered' | 'completed' | 'declined';
export type EnvelopeStatus = 'sent' | 'delivered' | 'completed' | 'declined' | 'voided';

export interface EmulatedSigner {
  recipientId: string;
  email: string;
  name: string;
  routingOrder: number;
  status: SignerStatus;
  anchorStrings: string[];
  sentDateTime?: string;
  deliveredDateTime?: string;
  signedDateTime?: string;
  declinedDateTime?: string;
  declinedReason?: string;
}

export interface EmulatedEnvelope {
  envelopeId: string;
  status: EnvelopeStatus;
  emailSubject: string;
  emailBlurb?: string;
  documentName: string;
  pdf: Buffer;
  createdDateTime: string;
  sentDateTime: string;
  statusChangedDateTime: string;
  deliveredDateTime?: string;
  completedDateTime?: string;
  declinedDateTime?: string;
  voidedDateTime?: string;
  voidedReason?: string;
  signers: EmulatedSigner[];
  /** Text custom fields by name. */
  customFields: Record<string, string>;
  notification?: { url: string; events: Set<string>; includeHMAC: boolean; includeRecipients: boolean };
  resendCount: number;
}

/** DocuSign writes times with seven fractional digits: 2026-11-28T18:42:05.1130000Z. */
export const now = () => new Date().toISOString().replace(/Z$/, '0000Z');
export const isActive = (envelope: EmulatedEnvelope) => envelope.status === 'sent' || envelope.status === 'delivered';

/** The event names an eventNotification subscribes to: JSON SIM's `events`, or the legacy status lists. */
function subscribedEvents(notification: Record<string, unknown>): Set<string> {
  const legacy = (list: unknown, prefix: string, key: string) =>
    Array.isArray(list) ? list.map((item: Record<string, unknown>) => `${prefix}-${String(item[key]).toLowerCase()}`) : [];
  return new Set([
    ...(Array.isArray(notification.events) ? notification.events.map(String) : []),
    ...legacy(notification.envelopeEvents, 'envelope', 'envelopeEventStatusCode'),
    ...legacy(notification.recipientEvents, 'recipient', 'recipientEventStatusCode'),
  ]);
}

/** Reads an envelopeDefinition, or says what DocuSign would answer 400 with. */
export function envelopeOf(body: Record<string, unknown>): EmulatedEnvelope | { errorCode: string; message: string } {
  const documents = Array.isArray(body.documents) ? (body.documents as { documentBase64?: unknown; name?: unknown }[]) : [];
  const signers = (body.recipients as { signers?: Record<string, unknown>[] } | undefined)?.signers ?? [];
  if (body.status !== 'sent') return { errorCode: 'INVALID_REQUEST_PARAMETER', message: "The emulator only creates envelopes with status 'sent'." };
  if (typeof body.emailSubject !== 'string' || !body.emailSubject) return { errorCode: 'INVALID_REQUEST_BODY', message: 'The email subject is required.' };
  if (documents.length !== 1) return { errorCode: 'INVALID_REQUEST_BODY', message: 'The emulator takes exactly one document.' };
  const { documentBase64, name } = documents[0]!;
  const pdf = Buffer.from(typeof documentBase64 === 'string' ? documentBase64 : '', 'base64');
  if (!pdf.subarray(0, 5).equals(Buffer.from('%PDF-'))) return { errorCode: 'PDF_VALIDATION_FAILED', message: 'The document is not a PDF.' };
  if (signers.length === 0) return { errorCode: 'ENVELOPE_HAS_NO_RECIPIENTS', message: 'The envelope has no signers.' };
  for (const signer of signers) {
    if (typeof signer.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(signer.email)) return { errorCode: 'INVALID_EMAIL_ADDRESS_FOR_RECIPIENT', message: 'A signer has no valid email address.' };
    if (typeof signer.name !== 'string' || typeof signer.recipientId !== 'string') return { errorCode: 'INVALID_REQUEST_BODY', message: 'A signer lacks name or recipientId.' };
  }
  const created = now();
  const notification = body.eventNotification as Record<string, unknown> | undefined;
  const eventData = notification?.eventData as { includeData?: unknown[] } | undefined;
  const textCustomFields = (body.customFields as { textCustomFields?: { name?: unknown; value?: unknown }[] } | undefined)?.textCustomFields ?? [];
  return {
    envelopeId: randomUUID(),
    customFields: Object.fromEntries(textCustomFields.map((field) => [String(field.name), String(field.value)])),
    status: 'sent',
    emailSubject: body.emailSubject,
    ...(typeof body.emailBlurb === 'string' ? { emailBlurb: body.emailBlurb } : {}),
    documentName: typeof name === 'string' ? name : 'document.pdf',
    pdf,
    createdDateTime: created,
    sentDateTime: created,
    statusChangedDateTime: created,
    signers: signers.map((signer) => ({
      recipientId: String(signer.recipientId),
      email: String(signer.email),
      name: String(signer.name),
      routingOrder: Number(signer.routingOrder ?? 1),
      status: 'created',
      anchorStrings: ((signer.tabs as { signHereTabs?: { anchorString?: string }[] } | undefined)?.signHereTabs ?? []).flatMap((tab) => tab.anchorString ?? []),
    })),
    ...(typeof notification?.url === 'string'
      ? {
          notification: {
            url: notification.url,
            events: subscribedEvents(notification),
            includeHMAC: String(notification.includeHMAC) === 'true',
            includeRecipients: eventData?.includeData?.includes('recipients') ?? false,
          },
        }
      : {}),
    resendCount: 0,
  };
}

export const signerView = ({ anchorStrings: _anchors, routingOrder, ...signer }: EmulatedSigner) => ({ ...signer, routingOrder: String(routingOrder), recipientType: 'signer' });

export function envelopeView(envelope: EmulatedEnvelope) {
  const { pdf: _pdf, signers: _signers, notification: _notification, resendCount: _resends, documentName: _name, ...fields } = envelope;
  const uri = `/envelopes/${envelope.envelopeId}`;
  return { ...fields, envelopeUri: uri, recipientsUri: `${uri}/recipients`, documentsUri: `${uri}/documents`, documentsCombinedUri: `${uri}/documents/combined`, certificateUri: `${uri}/documents/certificate`, lastModifiedDateTime: envelope.statusChangedDateTime };
}

export function recipientsView(envelope: EmulatedEnvelope) {
  const pending = envelope.signers.filter((signer) => signer.status !== 'completed');
  return {
    signers: envelope.signers.map(signerView),
    ...Object.fromEntries(['agents', 'editors', 'intermediaries', 'carbonCopies', 'certifiedDeliveries', 'inPersonSigners', 'seals', 'witnesses', 'notaries'].map((type) => [type, []])),
    recipientCount: String(envelope.signers.length),
    currentRoutingOrder: String(pending.length > 0 ? Math.min(...pending.map((signer) => signer.routingOrder)) : Math.max(...envelope.signers.map((signer) => signer.routingOrder))),
  };
}

function pdfOf(write: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50 });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  write(doc);
  doc.end();
  return done;
}

export function certificatePdf(envelope: EmulatedEnvelope): Promise<Buffer> {
  return pdfOf((doc) => {
    doc.fontSize(16).text('Certificate of Completion');
    doc.fontSize(9).text('Issued by a local DocuSign emulator, not by DocuSign.').moveDown();
    doc.fontSize(11).text(`Envelope: ${envelope.envelopeId}`).text(`Subject: ${envelope.emailSubject}`).text(`Status: ${envelope.status}`).moveDown();
    for (const signer of envelope.signers) doc.text(`${signer.name} <${signer.email}>: ${signer.status} ${signer.signedDateTime ?? signer.declinedDateTime ?? ''}`);
  });
}

/** The uploaded PDF with a trailing comment naming who signed: still a valid PDF, and visibly derived from the upload. */
export function combinedPdf(envelope: EmulatedEnvelope): Buffer {
  const signed = envelope.signers.filter((signer) => signer.signedDateTime).map((signer) => `${signer.name} <${signer.email}> at ${signer.signedDateTime}`);
  return Buffer.concat([envelope.pdf, Buffer.from(`\n% Emulated DocuSign envelope ${envelope.envelopeId}; signed by: ${signed.join(', ') || 'nobody yet'}\n`)]);
}
