import { sha256Hex } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { connectEvent, verifyConnectSignature, type ConnectEvent } from '../../providers/docusign/docusign.connect.js';
import type { SignaturesService } from '../signatures/signatures.service.js';
import { storableEvent, type WebhookInbox } from './webhooks.inbox.js';

// DocuSign's envelope ids are GUIDs: anything else is not looked up.
const envelopeIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The envelope id a Connect message claims to be about, when it has the shape of one. */
function envelopeIdIn(rawBody: Buffer): string | undefined {
  try {
    const envelopeId = (JSON.parse(rawBody.toString('utf8')) as { data?: { envelopeId?: unknown } }).data?.envelopeId;
    return typeof envelopeId === 'string' && envelopeIdPattern.test(envelopeId) ? envelopeId : undefined;
  } catch {
    return undefined;
  }
}

/** DocuSign Connect messages: verified and stored on receipt; applied to their envelope by a job. */
export function createDocuSignWebhooks(deps: {
  signatures: Pick<SignaturesService, 'applyConnectEvent' | 'connectKeysOf'>;
  /** DocuSign Connect HMAC keys; more than one during a rotation. */
  docusignWebhookSecrets: string[];
  inbox: WebhookInbox;
}) {
  const { inbox } = deps;

  /**
   * Connect messages are signed with the keys of the account that sent the envelope: the
   * server's (DOCUSIGN_WEBHOOK_SECRET), or those a user connected with their own DocuSign account.
   * The server's keys are tried first, touching nothing. Only when they fail is the envelope id
   * (when it is a GUID) read from the unverified body, to look up the keys of the account that
   * sent it: one indexed read, nothing written, nothing else acted on until a signature holds.
   */
  async function verifyDocuSignDelivery(rawBody: Buffer, headers: Record<string, string | string[] | undefined>) {
    if (verifyConnectSignature(rawBody, headers, deps.docusignWebhookSecrets)) return;
    const envelopeId = envelopeIdIn(rawBody);
    const ownKeys = envelopeId ? await deps.signatures.connectKeysOf(envelopeId) : [];
    if (verifyConnectSignature(rawBody, headers, ownKeys)) return;
    if (deps.docusignWebhookSecrets.length === 0 && ownKeys.length === 0) {
      throw new AppError('integration_not_configured', 'DOCUSIGN_WEBHOOK_SECRET is not set', { provider: 'docusign' });
    }
    throw new AppError('webhook_signature_invalid', 'Webhook signature refused');
  }

  async function receiveDocuSign(request: { rawBody: Buffer; headers: Record<string, string | string[] | undefined> }): Promise<{ duplicate: boolean }> {
    await verifyDocuSignDelivery(request.rawBody, request.headers);
    let payloadJson = request.rawBody.toString('utf8');
    let event: ConnectEvent;
    try {
      [event, payloadJson] = storableEvent(connectEvent, payloadJson);
    } catch {
      throw new AppError('validation_failed', 'Not a DocuSign Connect message');
    }
    const deliveryKey = sha256Hex([event.event, event.data.envelopeId, event.data.recipientId ?? '', event.generatedDateTime].join('|'));
    const stored = await inbox.store({ provider: 'docusign', eventType: event.event, deliveryKey, payloadJson });
    return { duplicate: !stored };
  }

  return {
    job: inbox.eventJob('docusign-connect-event', (payload) => deps.signatures.applyConnectEvent(connectEvent.parse(payload))),
    receiveDocuSign,
  };
}
