import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { z } from 'zod';
import type { Database, Db } from '../../db/client.js';
import type { Notifications } from '../../db/notifications.js';
import { defineJob, retryOrRecordFailure, type JobContext } from '../../jobs/job.js';
import type { JobQueue } from '../../jobs/queue.js';
import { providerFailure } from '../../lib/error-handler.js';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import { runIdempotent } from '../../lib/idempotency.js';
import type { Logger } from '../../lib/logger.js';
import { paginationOf } from '../../lib/pagination.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { Storage } from '../../lib/storage.js';
import type { DocuSignClient } from '../../providers/docusign/docusign.client.js';
import type { ConnectEvent } from '../../providers/docusign/docusign.connect.js';
import { ProviderError } from '../../providers/provider-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { IntegrationsService } from '../integrations/integrations.service.js';
import type { MeetingsService } from '../meetings/meetings.service.js';
import { signatureAnchor } from '../minutes/minutes.pdf.js';
import { findOwnedMinutes, lockMinutes, updateMinutes, type MinutesRow } from '../minutes/minutes.repo.js';
import type { MinutesService } from '../minutes/minutes.service.js';
import {
  findEnvelope,
  findEnvelopeByDocuSignId,
  findOwnedEnvelope,
  insertEnvelope,
  insertSigners,
  latestEnvelopeOf,
  listEnvelopes,
  liveEnvelopeOf,
  lockEnvelope,
  lockEnvelopeByDocuSignId,
  signersOf,
  staleEnvelopes,
  updateEnvelope,
  updateSigner,
  type EnvelopeRow,
} from './signatures.repo.js';
import { toEnvelopeResponse, toSignerResponse } from './signatures.responses.js';
import type { ListEnvelopesQuery, SendForSignatureInput, SignerInput } from './signatures.schemas.js';
import { envelopeRank, envelopeStateFromConnect, envelopeStateFromDocuSign, signerRank, type EnvelopeState } from './signatures.state.js';

export type SignaturesService = ReturnType<typeof createSignaturesService>;

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');
const sendPayload = z.object({ envelopeRowId: z.uuid() });
const RECONCILE_BATCH = 50;

/** Minutes statuses from which an envelope may be sent: finalised, or after a declined or voided one. */
const sendableStatuses = new Set<MinutesRow['status']>(['finalized', 'declined', 'voided']);

export function createSignaturesService(deps: {
  database: Database;
  jobs: JobQueue;
  storage: Storage;
  notifications: Notifications;
  meetings: MeetingsService;
  minutes: MinutesService;
  integrations: IntegrationsService;
  audit: AuditService;
  log: Logger;
  /** Where DocuSign Connect reaches us; unset: the account's own Connect configuration applies. */
  webhookUrl: string | undefined;
  docusignRedirectUri: string;
  reconcileAfterSec: number;
  waitMs: number;
}) {
  const { database, jobs, storage, notifications, audit } = deps;

  async function requireOwnedEnvelope(userId: string, envelopeId: string): Promise<EnvelopeRow> {
    const row = await findOwnedEnvelope(database.db, userId, envelopeId);
    if (!row) throw new AppError('not_found', 'Envelope not found');
    return row;
  }

  /** DocuSign's consent_required as our 424, with the URL where the user grants it. */
  async function consentError(userId: string): Promise<AppError> {
    const client = await deps.integrations.docusignFor(userId);
    const consentUrl = client.consentUrl(deps.docusignRedirectUri);
    return new AppError('consent_required', 'DocuSign needs your consent before this app can send envelopes for you: open consentUrl, then retry', { provider: 'docusign', consentUrl });
  }

  async function withDocuSign<T>(userId: string, call: (client: DocuSignClient) => Promise<T>): Promise<T> {
    const client = await deps.integrations.docusignFor(userId);
    try {
      return await call(client);
    } catch (error) {
      if (error instanceof ProviderError && error.code === 'consent_required') throw await consentError(userId);
      throw error;
    }
  }

  /**
   * Creates the envelope row and its signers and enqueues the job that sends it; the minutes
   * move to sent_for_signature. Inside the caller's transaction, with the minutes row locked.
   */
  async function beginSending(tx: { db: Db; client: PoolClient }, minutes: MinutesRow, signers: SignerInput[], emailSubject: string, context?: RequestContext) {
    await updateMinutes(tx.db, minutes.id, { status: 'sent_for_signature', signers });
    const envelope = await insertEnvelope(tx.db, { meetingMinutesId: minutes.id, userId: minutes.userId, status: 'created', emailSubject, sentAt: null });
    await insertSigners(
      tx.db,
      signers.map((signer, index) => ({ envelopeId: envelope.id, email: signer.email, name: signer.name ?? null, recipientId: String(index + 1), routingOrder: 1, status: 'created' as const })),
    );
    await jobs.enqueue(sendEnvelopeJob, { envelopeRowId: envelope.id }, { client: tx.client });
    await audit.record(
      { userId: minutes.userId, action: 'signature.requested', resourceType: 'minutes', resourceId: minutes.id, details: { envelope: envelope.id, signers: signers.map((signer) => signer.email) }, context },
      tx.db,
    );
    return envelope;
  }

  async function defaultSubject(minutes: MinutesRow): Promise<string> {
    const meeting = await deps.meetings.requireMeeting(minutes.userId, minutes.meetingId);
    const prefix = { 'pt-BR': 'Assinatura da ata', en: 'Please sign the minutes', es: 'Firma del acta' }[minutes.language] ?? 'Assinatura da ata';
    return `${prefix}: ${meeting.topic}`.slice(0, 100);
  }

  async function failSending(envelopeRowId: string, error: unknown) {
    const failure =
      error instanceof ProviderError && error.code === 'consent_required'
        ? { code: 'consent_required', message: 'DocuSign needs your consent before this app can send envelopes for you' }
        : error instanceof ProviderError
          ? providerFailure(error)
          : error instanceof AppError
            ? { code: error.code, message: error.message }
            : { code: 'internal_error', message: 'The envelope could not be sent' };
    await database.transaction(async ({ db }) => {
      const envelope = await lockEnvelope(db, envelopeRowId);
      if (envelope?.status !== 'created') return;
      await updateEnvelope(db, envelope.id, { status: 'failed', errorCode: failure.code, errorMessage: failure.message });
      const minutes = await lockMinutes(db, envelope.meetingMinutesId);
      if (minutes?.status === 'sent_for_signature') await updateMinutes(db, minutes.id, { status: 'finalized' });
      await audit.record({ userId: envelope.userId, action: 'signature.failed', resourceType: 'envelope', resourceId: envelope.id, details: { code: failure.code } }, db);
      await notifications.notify(db, envelope.id);
    });
  }

  /** The send job: renders the PDF with these signers' lines, creates the envelope on DocuSign, records it. */
  async function runSend(payload: z.infer<typeof sendPayload>, context: JobContext) {
    const envelope = await findEnvelope(database.db, payload.envelopeRowId);
    if (envelope?.status !== 'created') return;
    try {
      const minutes = (await findOwnedMinutes(database.db, envelope.userId, envelope.meetingMinutesId))!;
      const meeting = await deps.meetings.requireMeeting(envelope.userId, minutes.meetingId);
      const signers = await signersOf(database.db, envelope.id);
      const pdf = await deps.minutes.renderPdf(minutes, `minutes/${minutes.id}/sent-${envelope.id}.pdf`);
      const client = await deps.integrations.docusignFor(envelope.userId);
      const created = await client.envelopeCreate({
        pdf: pdf.pdf,
        documentName: `${meeting.topic}.pdf`,
        emailSubject: envelope.emailSubject ?? (await defaultSubject(minutes)),
        signers: signers.map((signer) => ({ email: signer.email, name: signer.name ?? signer.email, recipientId: signer.recipientId!, routingOrder: signer.routingOrder ?? 1 })),
        anchorOf: (index) => signatureAnchor(index + 1),
        ...(deps.webhookUrl ? { webhookUrl: deps.webhookUrl } : {}),
      });
      await database.transaction(async ({ db }) => {
        const current = await lockEnvelope(db, envelope.id);
        if (current?.status !== 'created') return;
        const sentAt = new Date(created.statusDateTime);
        await updateEnvelope(db, envelope.id, { envelopeId: created.envelopeId, status: 'sent', sentAt, lastEventAt: new Date(), sentPdfKey: pdf.key, sentPdfSha256: pdf.sha });
        // GET /v1/minutes/:id/pdf now serves exactly what the signers received.
        await updateMinutes(db, minutes.id, { pdfBlobKey: pdf.key, pdfSha256: pdf.sha, pdfContentSha256: minutes.contentSha256 });
        for (const signer of signers) await updateSigner(db, signer.id, { status: 'sent', sentAt });
        await audit.record({ userId: envelope.userId, action: 'signature.sent', resourceType: 'envelope', resourceId: envelope.id, details: { envelopeId: created.envelopeId, pdfSha256: pdf.sha } }, db);
        await notifications.notify(db, envelope.id);
      });
    } catch (error) {
      // DocuSign has no idempotency key: the client marks retryable only a failure that surely created nothing.
      await retryOrRecordFailure(error, context, () => failSending(envelope.id, error));
    }
  }

  /**
   * Moves an envelope, its signers and its minutes forward to `state`; never backwards, so
   * late or repeated news changes nothing. A completed envelope's signed PDF and certificate
   * are downloaded first, so completion is recorded only with its documents.
   */
  async function applyState(envelopeId: string, state: EnvelopeState, source: string) {
    const existing = await findEnvelopeByDocuSignId(database.db, envelopeId);
    if (!existing) return 'unknown_envelope' as const;
    const documents = state.status === 'completed' && !existing.signedPdfKey ? await downloadSignedDocuments(existing) : undefined;

    return database.transaction(async ({ db }) => {
      const envelope = (await lockEnvelopeByDocuSignId(db, envelopeId))!;
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
        ...(documents && status === 'completed' ? documents : {}),
      });
      if (moves && (status === 'completed' || status === 'declined' || status === 'voided')) {
        const minutes = await lockMinutes(db, envelope.meetingMinutesId);
        if (minutes?.status === 'sent_for_signature') await updateMinutes(db, minutes.id, { status: status === 'completed' ? 'signed' : status });
        await audit.record({ userId: envelope.userId, action: `signature.${status}`, resourceType: 'envelope', resourceId: envelope.id, details: { envelopeId, source } }, db);
        await notifications.notify(db, envelope.meetingMinutesId);
      }
      await notifications.notify(db, envelope.id);
      return moves ? ('moved' as const) : ('unchanged' as const);
    });
  }

  async function downloadSignedDocuments(envelope: EnvelopeRow) {
    const client = await deps.integrations.docusignFor(envelope.userId);
    const [signed, certificate] = await Promise.all([client.documentCombined(envelope.envelopeId!), client.certificate(envelope.envelopeId!)]);
    const signedPdfKey = `minutes/${envelope.meetingMinutesId}/signed-${envelope.id}.pdf`;
    const certificateKey = `minutes/${envelope.meetingMinutesId}/certificate-${envelope.id}.pdf`;
    await storage.put(signedPdfKey, signed, { contentType: 'application/pdf' });
    await storage.put(certificateKey, certificate, { contentType: 'application/pdf' });
    return { signedPdfKey, signedPdfSha256: sha256(signed), certificateKey, certificateSha256: sha256(certificate) };
  }

  /** Polls DocuSign for envelopes no news has moved for DOCUSIGN_RECONCILE_AFTER: a lost webhook never leaves one stale. */
  async function reconcile(log: Logger = deps.log) {
    const stale = await staleEnvelopes(database.db, new Date(Date.now() - deps.reconcileAfterSec * 1000), RECONCILE_BATCH);
    let moved = 0;
    for (const envelope of stale) {
      try {
        const client = await deps.integrations.docusignFor(envelope.userId);
        const [summary, recipients] = await Promise.all([client.envelope(envelope.envelopeId!), client.envelopeRecipients(envelope.envelopeId!)]);
        if ((await applyState(envelope.envelopeId!, envelopeStateFromDocuSign(summary, recipients), 'reconciliation')) === 'moved') moved++;
      } catch (error) {
        log.warn({ err: error, envelope: envelope.id }, 'could not reconcile an envelope; the next run tries again');
      }
    }
    return { checked: stale.length, moved };
  }

  /** The envelope row once DocuSign has it (or sending failed), or as it is after `timeoutMs`. */
  async function waitForEnvelope(envelopeRowId: string, timeoutMs: number): Promise<EnvelopeRow> {
    let wake = () => undefined as void;
    const unsubscribe = await notifications.subscribe(envelopeRowId, () => wake());
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        const row = (await findEnvelope(database.db, envelopeRowId))!;
        if (row.status !== 'created' || Date.now() >= deadline) return row;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(1000, deadline - Date.now()));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      unsubscribe();
    }
  }

  const sendEnvelopeJob = defineJob({ name: 'send-envelope', payloadSchema: sendPayload, retryLimit: 3, retryDelaySec: 10, handler: runSend });
  const reconcileJob = defineJob({
    name: 'reconcile-envelopes',
    payloadSchema: z.object({}).passthrough(),
    retryLimit: 0,
    handler: async (_payload, context) => {
      const result = await reconcile(context.log);
      if (result.checked > 0) context.log.info(result, 'envelopes reconciled');
    },
  });

  async function toDetails(envelope: EnvelopeRow) {
    return { envelope: toEnvelopeResponse(envelope), signers: (await signersOf(database.db, envelope.id)).map(toSignerResponse) };
  }

  return {
    jobs: [sendEnvelopeJob, reconcileJob],
    /** Every minute; each run polls only envelopes quiet for DOCUSIGN_RECONCILE_AFTER. */
    schedules: [{ job: reconcileJob, cron: '* * * * *' }],
    beginSending: (tx: { db: Db; client: PoolClient }, minutes: MinutesRow, signers: SignerInput[]) =>
      defaultSubject(minutes).then((subject) => beginSending(tx, minutes, signers, subject)).then(() => undefined),
    reconcile,
    waitForEnvelope,

    /** A Connect notification, verified and stored: applied once, in order of news, never backwards. */
    async applyConnectEvent(event: ConnectEvent) {
      return applyState(event.data.envelopeId, envelopeStateFromConnect(event), `connect:${event.event}`);
    },

    /**
     * Sends finalised minutes for signature (a job). Waits for DocuSign's envelope id up to
     * MINUTES_WAIT_MS.
     * @throws AppError minutes_not_finalized, envelope_active (409); consent_required (424).
     */
    async requestSend(userId: string, minutesId: string, input: SendForSignatureInput, idempotencyKey: string | undefined, context: RequestContext) {
      const outcome = await runIdempotent(database.db, { userId, key: idempotencyKey, method: 'POST', path: `/v1/minutes/${minutesId}/send-for-signature`, payload: input }, async () => {
        if (!(await findOwnedMinutes(database.db, userId, minutesId))) throw new AppError('not_found', 'Minutes not found');
        await deps.integrations.credentialsFor(userId, 'docusign');
        const envelope = await database.transaction(async (tx) => {
          const minutes = (await lockMinutes(tx.db, minutesId))!;
          const live = await liveEnvelopeOf(tx.db, minutesId);
          if (live) throw new AppError('envelope_active', 'These minutes are already out for signature: void that envelope first', { envelopeId: live.envelopeId });
          if (minutes.isTest) throw new AppError('test_minutes', 'Minutes generated in test mode are never sent for signature: generate them without testMode');
          if (!sendableStatuses.has(minutes.status)) {
            throw new AppError('minutes_not_finalized', `Minutes that are ${minutes.status.replace(/_/g, ' ')} cannot be sent: finalise them first (PATCH status finalized)`);
          }
          return beginSending(tx, minutes, input.signers, input.emailSubject ?? (await defaultSubject(minutes)), context);
        });
        return { status: 202, body: { envelopeRowId: envelope.id } };
      });
      const settled = await waitForEnvelope(outcome.body.envelopeRowId, deps.waitMs);
      if (settled.status === 'failed') {
        if (settled.errorCode === 'consent_required') throw await consentError(userId);
        throw new AppError((settled.errorCode ?? 'provider_error') as ErrorCode, settled.errorMessage ?? 'The envelope could not be sent', { envelope: settled.id });
      }
      return { status: settled.envelopeId ? (201 as const) : (202 as const), replayed: outcome.replayed, body: { envelope: toEnvelopeResponse(settled), envelopeId: settled.envelopeId } };
    },

    /** DocuSign's envelope id of the minutes' latest envelope once it has one, waiting up to `timeoutMs`. */
    async envelopeIdOf(minutesId: string, timeoutMs: number): Promise<string | undefined> {
      const envelope = await latestEnvelopeOf(database.db, minutesId);
      if (!envelope) return undefined;
      return (await waitForEnvelope(envelope.id, timeoutMs)).envelopeId ?? undefined;
    },

    async list(userId: string, query: ListEnvelopesQuery) {
      const { rows, total } = await listEnvelopes(database.db, userId, query);
      return { envelopes: rows.map(toEnvelopeResponse), pagination: paginationOf(query, total) };
    },

    async details(userId: string, envelopeId: string) {
      return toDetails(await requireOwnedEnvelope(userId, envelopeId));
    },

    /** @throws AppError conflict (409) when the envelope is no longer live. */
    async void(userId: string, envelopeId: string, reason: string, context: RequestContext) {
      const envelope = await requireOwnedEnvelope(userId, envelopeId);
      if (envelope.status !== 'sent' && envelope.status !== 'delivered') throw new AppError('conflict', `An envelope that is ${envelope.status} cannot be voided`);
      await withDocuSign(userId, (client) => client.envelopeVoid(envelopeId, reason));
      await applyState(envelopeId, { status: 'voided', voidedAt: new Date(), voidedReason: reason, signers: [] }, 'api');
      await audit.record({ userId, action: 'signature.void_requested', resourceType: 'envelope', resourceId: envelope.id, details: { envelopeId }, context });
      return toDetails((await findEnvelope(database.db, envelope.id))!);
    },

    /** @throws AppError conflict (409) when the envelope is no longer live. */
    async resend(userId: string, envelopeId: string, context: RequestContext) {
      const envelope = await requireOwnedEnvelope(userId, envelopeId);
      if (envelope.status !== 'sent' && envelope.status !== 'delivered') throw new AppError('conflict', `An envelope that is ${envelope.status} cannot be resent`);
      await withDocuSign(userId, (client) => client.envelopeResend(envelopeId));
      await audit.record({ userId, action: 'signature.resent', resourceType: 'envelope', resourceId: envelope.id, details: { envelopeId }, context });
      return toDetails(envelope);
    },

    async consentUrl(userId: string) {
      const client = await deps.integrations.docusignFor(userId);
      return { consentUrl: client.consentUrl(deps.docusignRedirectUri), redirectUri: deps.docusignRedirectUri };
    },

    /**
     * The signed PDF, or DocuSign's certificate of completion, of signed minutes.
     * @throws AppError not_found (404) until the minutes are signed.
     */
    async signedDocument(userId: string, minutesId: string, document: 'signed-pdf' | 'certificate'): Promise<{ pdf: Buffer; sha256: string }> {
      const minutes = await findOwnedMinutes(database.db, userId, minutesId);
      if (!minutes) throw new AppError('not_found', 'Minutes not found');
      const envelope = await latestEnvelopeOf(database.db, minutesId);
      if (minutes.status !== 'signed' || !envelope?.signedPdfKey || !envelope.certificateKey) throw new AppError('not_found', 'These minutes are not signed yet');
      return document === 'signed-pdf'
        ? { pdf: await storage.get(envelope.signedPdfKey), sha256: envelope.signedPdfSha256! }
        : { pdf: await storage.get(envelope.certificateKey), sha256: envelope.certificateSha256! };
    },
  };
}
