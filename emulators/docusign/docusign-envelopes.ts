import { randomInt, randomUUID } from 'node:crypto';
import PDFDocument from 'pdfkit';

// The emulator's envelopes: read from an envelopeDefinition, shown as DocuSign's JSON, and their documents.

type SignerStatus = 'created' | 'sent' | 'delivered' | 'completed' | 'declined';
export type EnvelopeStatus = 'sent' | 'delivered' | 'completed' | 'declined' | 'voided';

/** A tab as the sender gave it, with the ids DocuSign adds; values as strings, as DocuSign answers them. */
type EmulatedTab = Record<string, string>;

export interface EmulatedSigner {
  recipientId: string;
  recipientIdGuid: string;
  email: string;
  name: string;
  routingOrder: number;
  status: SignerStatus;
  /** By kind: signHereTabs, dateSignedTabs, textTabs… */
  tabs: Record<string, EmulatedTab[]>;
  anchorStrings: string[];
  sentDateTime?: string;
  deliveredDateTime?: string;
  signedDateTime?: string;
  declinedDateTime?: string;
  declinedReason?: string;
}

export interface EmulatedCustomField {
  fieldId: string;
  name: string;
  value: string;
  show: string;
  required: string;
  listItems?: string[];
}

export interface EnvelopeSender {
  userName: string;
  userId: string;
  accountId: string;
  email: string;
}

export interface EmulatedEnvelope {
  envelopeId: string;
  status: EnvelopeStatus;
  emailSubject: string;
  emailBlurb?: string;
  documentId: string;
  documentIdGuid: string;
  documentName: string;
  pdf: Buffer;
  sender: EnvelopeSender;
  createdDateTime: string;
  sentDateTime: string;
  statusChangedDateTime: string;
  deliveredDateTime?: string;
  completedDateTime?: string;
  declinedDateTime?: string;
  voidedDateTime?: string;
  voidedReason?: string;
  signers: EmulatedSigner[];
  customFields: { textCustomFields: EmulatedCustomField[]; listCustomFields: EmulatedCustomField[] };
  /** `includeData`: what Connect messages carry besides the envelope (recipients, custom_fields, tabs). */
  notification?: { url: string; events: Set<string>; includeHMAC: boolean; includeData: Set<string> };
  resendCount: number;
}

/** DocuSign writes times with seven fractional digits: 2026-11-28T18:42:05.1130000Z. */
export const now = () => new Date().toISOString().replace(/Z$/, '0000Z');
export const isActive = (envelope: EmulatedEnvelope) => envelope.status === 'sent' || envelope.status === 'delivered';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const fieldId = () => String(randomInt(10_000_000, 99_999_999));
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const listOf = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter(isRecord) : []);
/** DocuSign takes `"1"` or `1`, `"true"` or `true`, and answers strings. */
const stringOf = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined);

const stringFields = (fields: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(fields).flatMap(([key, value]) => {
    const text = stringOf(value);
    return text === undefined ? [] : [[key, text]];
  }));

/** The event names an eventNotification subscribes to: JSON SIM's `events`, or the legacy status lists. */
function subscribedEvents(notification: Record<string, unknown>): Set<string> {
  const legacy = (list: unknown, prefix: string, key: string) => listOf(list).map((item) => `${prefix}-${String(item[key]).toLowerCase()}`);
  return new Set([
    ...(Array.isArray(notification.events) ? notification.events.map(String) : []),
    ...legacy(notification.envelopeEvents, 'envelope', 'envelopeEventStatusCode'),
    ...legacy(notification.recipientEvents, 'recipient', 'recipientEventStatusCode'),
  ]);
}

/** A recipientId is an integer (DocuSign takes the JSON number too) or a GUID, unique within the envelope. */
const isRecipientId = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) && value > 0) || (typeof value === 'string' && (/^[1-9]\d*$/.test(value) || GUID.test(value)));

/** Reads an envelopeDefinition, or says what DocuSign would answer 400 with. */
export function envelopeOf(body: Record<string, unknown>, sender: EnvelopeSender): EmulatedEnvelope | { errorCode: string; message: string } {
  const documents = listOf(body.documents);
  const signers = listOf(isRecord(body.recipients) ? body.recipients.signers : undefined);
  if (body.status !== 'sent') return { errorCode: 'INVALID_REQUEST_PARAMETER', message: "The emulator only creates envelopes with status 'sent'." };
  if (typeof body.emailSubject !== 'string' || !body.emailSubject) return { errorCode: 'INVALID_REQUEST_BODY', message: 'The email subject is required.' };
  if (documents.length !== 1) return { errorCode: 'INVALID_REQUEST_BODY', message: 'The emulator takes exactly one document.' };
  const { documentBase64, name, documentId } = documents[0]!;
  const pdf = Buffer.from(typeof documentBase64 === 'string' ? documentBase64 : '', 'base64');
  if (!pdf.subarray(0, 5).equals(Buffer.from('%PDF-'))) return { errorCode: 'PDF_VALIDATION_FAILED', message: 'The document is not a PDF.' };
  if (signers.length === 0) return { errorCode: 'ENVELOPE_HAS_NO_RECIPIENTS', message: 'The envelope has no signers.' };
  for (const signer of signers) {
    if (typeof signer.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(signer.email)) return { errorCode: 'INVALID_EMAIL_ADDRESS_FOR_RECIPIENT', message: 'A signer has no valid email address.' };
    if (typeof signer.name !== 'string' || !isRecipientId(signer.recipientId)) return { errorCode: 'INVALID_REQUEST_BODY', message: 'A signer lacks a name, or a recipientId that is an integer or a GUID.' };
  }
  if (new Set(signers.map((signer) => String(signer.recipientId))).size < signers.length) return { errorCode: 'INVALID_REQUEST_BODY', message: 'Each recipientId must be unique within the envelope.' };
  const created = now();
  const document = { documentId: stringOf(documentId) ?? '1', documentIdGuid: randomUUID(), documentName: typeof name === 'string' ? name : 'document.pdf', pdf };
  return {
    envelopeId: randomUUID(),
    status: 'sent',
    emailSubject: body.emailSubject,
    ...(typeof body.emailBlurb === 'string' ? { emailBlurb: body.emailBlurb } : {}),
    ...document,
    sender,
    createdDateTime: created,
    sentDateTime: created,
    statusChangedDateTime: created,
    signers: signers.map((signer) => signerOf(signer, document.documentId)),
    customFields: customFieldsOf(body.customFields),
    ...(isRecord(body.eventNotification) ? notificationOf(body.eventNotification) : {}),
    resendCount: 0,
  };
}

function signerOf(signer: Record<string, unknown>, documentId: string): EmulatedSigner {
  const recipientId = String(signer.recipientId);
  const tabs: Record<string, EmulatedTab[]> = Object.fromEntries(
    Object.entries(isRecord(signer.tabs) ? signer.tabs : {}).map(([kind, list]) => [
      kind,
      listOf(list).map((tab) => ({
        ...stringFields(tab),
        tabId: randomUUID(),
        recipientId,
        documentId: stringOf(tab.documentId) ?? documentId,
      })),
    ]),
  );
  return {
    recipientId,
    recipientIdGuid: randomUUID(),
    email: String(signer.email),
    name: String(signer.name),
    routingOrder: Number(signer.routingOrder ?? 1),
    status: 'created',
    tabs,
    anchorStrings: (tabs.signHereTabs ?? []).flatMap((tab) => tab.anchorString ?? []),
  };
}

function customFieldsOf(customFields: unknown): EmulatedEnvelope['customFields'] {
  const fields = isRecord(customFields) ? customFields : {};
  const fieldOf = (field: Record<string, unknown>): EmulatedCustomField => ({
    fieldId: fieldId(),
    name: stringOf(field.name) ?? '',
    value: stringOf(field.value) ?? '',
    show: stringOf(field.show) ?? 'false',
    required: stringOf(field.required) ?? 'false',
  });
  return {
    textCustomFields: listOf(fields.textCustomFields).map(fieldOf),
    listCustomFields: listOf(fields.listCustomFields).map((field) => ({ ...fieldOf(field), listItems: Array.isArray(field.listItems) ? field.listItems.map(String) : [] })),
  };
}

function notificationOf(notification: Record<string, unknown>): Pick<EmulatedEnvelope, 'notification'> {
  if (typeof notification.url !== 'string') return {};
  const eventData = isRecord(notification.eventData) ? notification.eventData : {};
  return {
    notification: {
      url: notification.url,
      events: subscribedEvents(notification),
      includeHMAC: String(notification.includeHMAC) === 'true',
      includeData: new Set(Array.isArray(eventData.includeData) ? eventData.includeData.map(String) : []),
    },
  };
}

// What DocuSign answers for the settings an envelope created with defaults has.
const ENVELOPE_SETTINGS = {
  allowComments: 'true',
  allowMarkup: 'false',
  allowReassign: 'true',
  allowViewHistory: 'true',
  autoNavigation: 'true',
  enableWetSign: 'true',
  envelopeIdStamping: 'true',
  envelopeLocation: 'current_site',
  hasComments: 'false',
  is21CFRPart11: 'false',
  isDynamicEnvelope: 'false',
  isSignatureProviderEnvelope: 'false',
  purgeState: 'unpurged',
  signerCanSignOnMobile: 'true',
  signingLocation: 'online',
};

/** A signer as listRecipients shows it; tabs only when asked for (include_tabs, include=tabs). */
export function signerView(signer: EmulatedSigner, includeTabs = false) {
  const { anchorStrings: _anchors, tabs, routingOrder, ...fields } = signer;
  return {
    ...fields,
    creationReason: 'sender',
    requireIdLookup: 'false',
    requireUploadSignature: 'false',
    isBulkRecipient: 'false',
    deliveryMethod: 'email',
    routingOrder: String(routingOrder),
    completedCount: signer.status === 'completed' ? '1' : '0',
    recipientType: 'signer',
    ...(includeTabs ? { tabs } : {}),
  };
}

// The emulator's envelopes have signers only; DocuSign lists every other kind, empty.
const OTHER_RECIPIENT_TYPES = ['agents', 'editors', 'intermediaries', 'carbonCopies', 'certifiedDeliveries', 'inPersonSigners', 'seals', 'witnesses'] as const;

export function recipientsView(envelope: EmulatedEnvelope, includeTabs = false) {
  const pending = envelope.signers.filter((signer) => signer.status !== 'completed');
  return {
    signers: envelope.signers.map((signer) => signerView(signer, includeTabs)),
    ...(Object.fromEntries(OTHER_RECIPIENT_TYPES.map((type) => [type, []])) as Record<(typeof OTHER_RECIPIENT_TYPES)[number], []>),
    notaries: [],
    recipientCount: String(envelope.signers.length),
    currentRoutingOrder: String(pending.length > 0 ? Math.min(...pending.map((signer) => signer.routingOrder)) : Math.max(...envelope.signers.map((signer) => signer.routingOrder))),
  };
}

/** listDocuments: the uploaded document, then the certificate of completion as DocuSign lists it ("Summary"). */
export function documentsView(envelope: EmulatedEnvelope) {
  const uri = `/envelopes/${envelope.envelopeId}/documents`;
  const common = { display: 'inline', includeInDownload: 'true', signerMustAcknowledge: 'no_interaction', templateRequired: 'false', authoritativeCopy: 'false', availableDocumentTypes: [{ type: 'electronic', isDefault: 'true' }] };
  return [
    { documentId: envelope.documentId, documentIdGuid: envelope.documentIdGuid, name: envelope.documentName, type: 'content', uri: `${uri}/${envelope.documentId}`, order: '1', containsPdfFormFields: 'false', ...common },
    { documentId: 'certificate', name: 'Summary', type: 'summary', uri: `${uri}/certificate`, order: '999', ...common },
  ];
}

/** An envelope as Envelopes:get shows it; `include` as DocuSign reads it (recipients, tabs, custom_fields, documents). */
export function envelopeView(envelope: EmulatedEnvelope, include: ReadonlySet<string> = new Set()) {
  const uri = `/envelopes/${envelope.envelopeId}`;
  // Unset times are left out of the JSON, as DocuSign leaves them out.
  return {
    envelopeId: envelope.envelopeId,
    status: envelope.status,
    emailSubject: envelope.emailSubject,
    emailBlurb: envelope.emailBlurb,
    deliveredDateTime: envelope.deliveredDateTime,
    completedDateTime: envelope.completedDateTime,
    declinedDateTime: envelope.declinedDateTime,
    voidedDateTime: envelope.voidedDateTime,
    voidedReason: envelope.voidedReason,
    createdDateTime: envelope.createdDateTime,
    sentDateTime: envelope.sentDateTime,
    initialSentDateTime: envelope.sentDateTime,
    statusChangedDateTime: envelope.statusChangedDateTime,
    lastModifiedDateTime: envelope.statusChangedDateTime,
    envelopeUri: uri,
    recipientsUri: `${uri}/recipients`,
    documentsUri: `${uri}/documents`,
    documentsCombinedUri: `${uri}/documents/combined`,
    certificateUri: `${uri}/documents/certificate`,
    attachmentsUri: `${uri}/attachments`,
    customFieldsUri: `${uri}/custom_fields`,
    notificationUri: `${uri}/notification`,
    templatesUri: `${uri}/templates`,
    sender: envelope.sender,
    ...ENVELOPE_SETTINGS,
    ...(include.has('recipients') ? { recipients: recipientsView(envelope, include.has('tabs')) } : {}),
    ...(include.has('custom_fields') ? { customFields: envelope.customFields } : {}),
    ...(include.has('documents') ? { envelopeDocuments: documentsView(envelope) } : {}),
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
