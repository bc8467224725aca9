import { createHmac, randomInt } from 'node:crypto';
import { envelopeView, now, type EmulatedEnvelope, type EmulatedSigner } from './docusign-envelopes.js';

export interface ConnectDelivery {
  url: string;
  event: string;
  envelopeId: string;
  body: string;
  headers: Record<string, string>;
  /** The listener's answer; undefined when it could not be reached (see `error`) or the message was dropped. */
  status?: number;
  error?: string;
  dropped?: boolean;
}

interface ConnectOptions {
  accountId: string;
  userId: string;
  /** Connect's HMAC keys, one `X-DocuSign-Signature-N` header each. */
  hmacKeys: string[];
}

const CONNECT_TIMEOUT_MS = 10_000;
// What `includeData` can add to a message here; documents (with their PDFBytes) are not emulated.
const CONNECT_INCLUDES = ['recipients', 'custom_fields', 'tabs'];

/**
 * Connect: each event an envelope's eventNotification subscribes to goes to its URL as a JSON SIM
 * message, HMAC-signed when asked, one message at a time in the order the events happened.
 */
export function createConnect(options: ConnectOptions) {
  const account = { ...options, configurationId: randomInt(10_000_000, 99_999_999) };
  const deliveries: ConnectDelivery[] = [];
  let queue: Promise<void> = Promise.resolve();
  let dropsPlanned = 0;

  function emit(envelope: EmulatedEnvelope, event: string, signer?: EmulatedSigner) {
    const { notification } = envelope;
    if (!notification?.events.has(event)) return;
    const { body, headers } = connectMessage(account, envelope, notification, event, signer);
    const delivery: ConnectDelivery = { url: notification.url, event, envelopeId: envelope.envelopeId, body, headers };
    deliveries.push(delivery);
    if (dropsPlanned > 0) {
      dropsPlanned -= 1;
      delivery.dropped = true;
      return;
    }
    queue = queue.then(() => deliver(delivery));
  }

  return {
    deliveries,
    emit,
    /** The next message is lost: recorded as dropped, never sent. */
    dropNext: () => void (dropsPlanned += 1),
    cancelPlannedDrops: () => void (dropsPlanned = 0),
    /** Resolves once every message queued so far has been tried. */
    settled: () => queue,
  };
}

type Notification = NonNullable<EmulatedEnvelope['notification']>;

/** The JSON SIM message of one event, with its headers (and HMAC signatures when the notification asks for them). */
function connectMessage(account: ConnectOptions & { configurationId: number }, envelope: EmulatedEnvelope, notification: Notification, event: string, signer?: EmulatedSigner) {
  const { accountId, configurationId } = account;
  const body = JSON.stringify({
    event,
    apiVersion: 'v2.1',
    uri: `/restapi/v2.1/accounts/${accountId}/envelopes/${envelope.envelopeId}`,
    retryCount: 0,
    configurationId,
    generatedDateTime: now(),
    data: {
      accountId,
      userId: account.userId,
      ...(signer ? { recipientId: signer.recipientId } : {}),
      envelopeId: envelope.envelopeId,
      envelopeSummary: envelopeSummaryOf(envelope, notification.includeData),
    },
  });
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-docusign-accountid': accountId };
  if (notification.includeHMAC && account.hmacKeys.length > 0) {
    headers['x-authorization-digest'] = 'HMACSHA256';
    account.hmacKeys.forEach((key, index) => (headers[`x-docusign-signature-${index + 1}`] = createHmac('sha256', key).update(body).digest('base64')));
  }
  return { body, headers };
}

/**
 * The envelope as JSON SIM's envelopeSummary carries it (test/contracts/docusign/connect.schema-v2.json):
 * the REST envelope, with recipients and custom fields when `includeData` asks for them; its
 * signers and recipients lack what only the REST API shows.
 */
function envelopeSummaryOf(envelope: EmulatedEnvelope, includeData: ReadonlySet<string>) {
  const { recipients, ...summary } = envelopeView(envelope, new Set(CONNECT_INCLUDES.filter((name) => includeData.has(name))));
  if (!recipients) return summary;
  const { notaries: _notaries, signers, ...others } = recipients;
  const connectSigners = signers.map(({ recipientType: _type, completedCount: _count, requireUploadSignature: _upload, ...signer }) => signer);
  return { ...summary, recipients: { ...others, signers: connectSigners } };
}

async function deliver(delivery: ConnectDelivery) {
  try {
    const response = await fetch(delivery.url, { method: 'POST', headers: delivery.headers, body: delivery.body, signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS) });
    delivery.status = response.status;
    await response.arrayBuffer();
  } catch (error) {
    delivery.error = (error as Error).message;
  }
}
