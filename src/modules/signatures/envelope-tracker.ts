import { z } from 'zod';
import type { Database } from '../../db/client.js';
import type { Notifications } from '../../db/notifications.js';
import { defineJob, type JobContext } from '../../jobs/job.js';
import type { JobQueue } from '../../jobs/queue.js';
import { sha256Hex } from '../../lib/crypto.js';
import type { Logger } from '../../lib/logger.js';
import type { Storage } from '../../lib/storage.js';
import type { ConnectEvent } from '../../providers/docusign/docusign.connect.js';
import type { AuditService } from '../audit/audit.service.js';
import type { EventsService } from '../events/events.service.js';
import type { IntegrationsService } from '../integrations/integrations.service.js';
import type { MinutesForSigning } from './signable-minutes.js';
import {
  findEnvelope,
  findEnvelopeByDocuSignId,
  lockEnvelope,
  lockEnvelopeByDocuSignId,
  signersOf,
  staleEnvelopes,
  updateEnvelope,
  updateSigner,
  type EnvelopeRow,
} from './signatures.repo.js';
import { envelopeRank, envelopeStateFromConnect, envelopeStateFromDocuSign, signerRank, type EnvelopeState } from './signatures.state.js';

const RECONCILE_BATCH = 50;
/** News of an envelope we do not know yet may be news of one whose send is being recorded right now. */
const RECENT_NEWS_MS = 5 * 60 * 1000;

export class EnvelopeNotRecordedYet extends Error {}

/**
 * What happens to an envelope after it is sent, from Connect or from polling DocuSign: state
 * only moves forward; a completed envelope's signed PDF and certificate are fetched by a job of
 * their own (retried, failing visibly), and only then are the minutes `signed`.
 */
export function createEnvelopeTracker(deps: {
  database: Database;
  jobs: JobQueue;
  storage: Storage;
  notifications: Notifications;
  events: Pick<EventsService, 'publish'>;
  integrations: IntegrationsService;
  minutes: Pick<MinutesForSigning, 'signatureEnded'>;
  audit: AuditService;
  log: Logger;
  reconcileAfterSec: number;
}) {
  const { database, jobs, notifications, audit } = deps;

  /** Moves the envelope, its signers and (at an ending) its minutes forward to `state`; never backwards. */
  async function applyState(envelopeId: string, state: EnvelopeState, source: string): Promise<'moved' | 'unchanged' | 'unknown_envelope'> {
    return database.transaction(async ({ db, client }) => {
      const envelope = await lockEnvelopeByDocuSignId(db, envelopeId);
      if (!envelope) return 'unknown_envelope';
      const moves = envelopeRank(state.status) > envelopeRank(envelope.status);
      const status = moves ? state.status : envelope.status;
      let signerMoved = false;
      for (const signer of await signersOf(db, envelope.id)) {
        const news = state.signers.find((candidate) => candidate.recipientId === signer.recipientId) ?? state.signers.find((candidate) => candidate.email === signer.email);
        if (!news) continue;
        const signerMoves = signerRank(news.status) > signerRank(signer.status);
        signerMoved ||= signerMoves;
        await updateSigner(db, signer.id, {
          status: signerMoves ? news.status : signer.status,
          sentAt: signer.sentAt ?? news.sentAt,
          deliveredAt: signer.deliveredAt ?? news.deliveredAt,
          signedAt: signer.signedAt ?? news.signedAt,
          declinedAt: signer.declinedAt ?? news.declinedAt,
          declineReason: signer.declineReason ?? news.declineReason,
        });
      }
      await updateEnvelope(db, envelope.id, {
        status,
        // Only news that moved something counts: reconciliation polls envelopes nothing has moved.
        ...(moves || signerMoved || source === 'reconciliation' ? { lastEventAt: new Date() } : {}),
        deliveredAt: envelope.deliveredAt ?? state.deliveredAt,
        completedAt: envelope.completedAt ?? (status === 'completed' ? (state.completedAt ?? new Date()) : null),
        declinedAt: envelope.declinedAt ?? (status === 'declined' ? (state.declinedAt ?? new Date()) : null),
        voidedAt: envelope.voidedAt ?? (status === 'voided' ? (state.voidedAt ?? new Date()) : null),
        voidedReason: envelope.voidedReason ?? (status === 'voided' ? (state.voidedReason ?? null) : null),
        declineReason: envelope.declineReason ?? state.signers.find((signer) => signer.declineReason)?.declineReason ?? null,
      });
      if (moves && status === 'completed') await jobs.enqueue(fetchDocumentsJob, { envelopeRowId: envelope.id }, { client });
      if (moves && (status === 'declined' || status === 'voided')) await deps.minutes.signatureEnded(db, envelope.meetingMinutesId, status);
      if (moves) await audit.record({ userId: envelope.userId, action: `signature.${status}`, resourceType: 'envelope', resourceId: envelope.id, details: { envelopeId, source } }, db);
      if (moves) await deps.events.publish({ db, client }, envelope.userId, 'envelope.status_changed', { envelopeId, minutesId: envelope.meetingMinutesId, status });
      await notifications.notify(db, envelope.id);
      return moves ? 'moved' : 'unchanged';
    });
  }

  /** What DocuSign says of the envelope now, asked with the credentials of its owner. */
  async function stateOnDocuSign(envelope: EnvelopeRow): Promise<EnvelopeState> {
    const client = await deps.integrations.docusignFor(envelope.userId);
    const [summary, recipients] = await Promise.all([client.envelope(envelope.docusignEnvelopeId!), client.envelopeRecipients(envelope.docusignEnvelopeId!)]);
    return envelopeStateFromDocuSign(summary, recipients);
  }

  async function runFetchDocuments(payload: { envelopeRowId: string }, context: JobContext) {
    const envelope = await findEnvelope(database.db, payload.envelopeRowId);
    if (!envelope?.docusignEnvelopeId || envelope.signedPdfKey) return;
    const envelopeId = envelope.docusignEnvelopeId;
    try {
      const client = await deps.integrations.docusignFor(envelope.userId);
      const [signed, certificate] = await Promise.all([client.documentCombined(envelopeId), client.certificate(envelopeId)]);
      const documents = { signedPdfSha256: sha256Hex(signed), certificateSha256: sha256Hex(certificate) };
      // Named by content: a concurrent fetch never overwrites bytes whose hash is already recorded.
      const signedPdfKey = `minutes/${envelope.meetingMinutesId}/signed-${documents.signedPdfSha256.slice(0, 16)}.pdf`;
      const certificateKey = `minutes/${envelope.meetingMinutesId}/certificate-${documents.certificateSha256.slice(0, 16)}.pdf`;
      await deps.storage.put(signedPdfKey, signed, { contentType: 'application/pdf' });
      await deps.storage.put(certificateKey, certificate, { contentType: 'application/pdf' });
      await database.transaction(async ({ db, client }) => {
        const current = await lockEnvelope(db, envelope.id);
        if (!current || current.signedPdfKey) return;
        await updateEnvelope(db, envelope.id, { signedPdfKey, certificateKey, ...documents, errorCode: null, errorMessage: null });
        await deps.minutes.signatureEnded(db, envelope.meetingMinutesId, 'signed');
        await audit.record({ userId: envelope.userId, action: 'signature.documents_stored', resourceType: 'envelope', resourceId: envelope.id, details: documents }, db);
        await deps.events.publish({ db, client }, envelope.userId, 'envelope.documents_stored', { envelopeId, minutesId: envelope.meetingMinutesId });
        await notifications.notify(db, envelope.id);
      });
    } catch (error) {
      if (!context.isLastAttempt) throw error;
      context.log.warn({ err: error, envelope: envelope.id }, 'the signed documents could not be fetched');
      await updateEnvelope(database.db, envelope.id, { errorCode: 'documents_unavailable', errorMessage: 'DocuSign completed the envelope, but its signed PDF could not be fetched' });
    }
  }

  /** Polls DocuSign for envelopes no news has moved for DOCUSIGN_RECONCILE_AFTER: a lost webhook never leaves one stale. */
  async function reconcile(log: Logger = deps.log) {
    const stale = await staleEnvelopes(database.db, new Date(Date.now() - deps.reconcileAfterSec * 1000), RECONCILE_BATCH);
    let moved = 0;
    for (const envelope of stale) {
      try {
        if ((await applyState(envelope.docusignEnvelopeId!, await stateOnDocuSign(envelope), 'reconciliation')) === 'moved') moved++;
      } catch (error) {
        // Asked again after DOCUSIGN_RECONCILE_AFTER, not every minute, and behind the others.
        await updateEnvelope(database.db, envelope.id, { lastEventAt: new Date() });
        log.warn({ err: error, envelope: envelope.id }, 'could not reconcile an envelope');
      }
    }
    return { checked: stale.length, moved };
  }

  /**
   * A Connect message. A decline that does not say why is completed from DocuSign (the reason is
   * in the recipients). Recent news of an envelope not recorded yet is retried: its send may be
   * committing right now.
   * @throws EnvelopeNotRecordedYet so the job retries.
   */
  async function applyConnectEvent(event: ConnectEvent) {
    let state = envelopeStateFromConnect(event);
    const envelope = await findEnvelopeByDocuSignId(database.db, event.data.envelopeId);
    if (!envelope) {
      const isRecent = Date.now() - Date.parse(event.generatedDateTime) < RECENT_NEWS_MS;
      if (isRecent) throw new EnvelopeNotRecordedYet(`no envelope ${event.data.envelopeId} yet`);
      return 'unknown_envelope' as const;
    }
    if (state.status === 'declined' && !state.signers.some((signer) => signer.declineReason)) state = await stateOnDocuSign(envelope);
    return applyState(event.data.envelopeId, state, `connect:${event.event}`);
  }

  const fetchDocumentsJob = defineJob({
    name: 'fetch-signed-documents',
    payloadSchema: z.object({ envelopeRowId: z.uuid() }),
    retryLimit: 8,
    retryDelaySec: 30,
    workers: 2,
    batchSize: 3,
    handler: runFetchDocuments,
  });

  return { jobs: [fetchDocumentsJob], applyState, applyConnectEvent, reconcile, stateOnDocuSign };
}
