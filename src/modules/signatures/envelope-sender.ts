import { z } from 'zod';
import type { Database, Transaction } from '../../db/client.js';
import type { Notifications } from '../../db/notifications.js';
import { defineJob, retryOrRecordFailure, type JobContext } from '../../jobs/job.js';
import type { JobQueue } from '../../jobs/queue.js';
import { failureOf } from '../../failures.js';
import { catalogOf, parseLanguage } from '../../i18n/languages.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { DocuSignClient } from '../../providers/docusign/docusign.client.js';
import type { DocuSignEnvelopeSummary } from '../../providers/docusign/docusign.schemas.js';
import { ProviderError } from '../../providers/provider-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { EventsService } from '../events/events.service.js';
import type { IntegrationsService } from '../integrations/integrations.service.js';
import type { MeetingsService } from '../meetings/meetings.service.js';
import type { MinutesForSigning, SignableMinutes } from './signable-minutes.js';
import { findEnvelope, insertEnvelope, insertSigners, lockEnvelope, signersOf, unconfirmedEnvelopes, updateEnvelope, updateSigner, type EnvelopeRow } from './signatures.repo.js';
import type { SignerInput } from './signatures.schemas.js';

const sendPayload = z.object({ envelopeRowId: z.uuid() });

/** Where a create may have reached DocuSign though no answer came: a timeout, a lost connection, a 5xx. */
const mayHaveCreated = (error: unknown) => error instanceof ProviderError && error.code !== 'circuit_open' && (error.status === 0 || error.status >= 500);

/**
 * Sending an envelope: the row and its signers first (in the caller's transaction), then a job
 * that renders the PDF with the signers' lines and creates the envelope on DocuSign. DocuSign
 * takes no idempotency key, so each envelope carries our id in a hidden custom field: after a
 * create whose answer was lost, or a worker that died mid-call, the envelope is looked up by
 * that id instead of being created twice.
 */
export function createEnvelopeSender(deps: {
  database: Database;
  jobs: JobQueue;
  notifications: Notifications;
  events: Pick<EventsService, 'publish'>;
  meetings: MeetingsService;
  minutes: MinutesForSigning;
  integrations: IntegrationsService;
  audit: AuditService;
  log: Logger;
  webhookUrl: string | undefined;
  /** A `created` envelope this old is settled by the sweep: found on DocuSign, or failed. */
  settleAfterMs: number;
}) {
  const { database, jobs, notifications, audit } = deps;

  async function defaultSubject(minutes: SignableMinutes): Promise<string> {
    const meeting = await deps.meetings.requireMeeting(minutes.userId, minutes.meetingId);
    return catalogOf(parseLanguage(minutes.language)).envelope.subject(meeting.topic).slice(0, 100);
  }

  /**
   * Creates the envelope row and its signers and enqueues the job that sends it; the minutes
   * move to sent_for_signature. Inside the caller's transaction, with the minutes row locked.
   */
  async function beginSending(
    tx: Transaction,
    minutes: SignableMinutes,
    request: { signers: SignerInput[]; emailSubject?: string; emailBlurb?: string },
    context?: RequestContext,
  ) {
    await deps.minutes.markSentForSignature(tx.db, minutes.id, request.signers);
    const envelope = await insertEnvelope(tx.db, {
      meetingMinutesId: minutes.id,
      userId: minutes.userId,
      status: 'created',
      emailSubject: request.emailSubject ?? (await defaultSubject(minutes)),
      emailBlurb: request.emailBlurb ?? null,
      sentAt: null,
    });
    await insertSigners(
      tx.db,
      request.signers.map((signer, index) => ({
        envelopeId: envelope.id,
        email: signer.email,
        name: signer.name ?? null,
        recipientId: String(index + 1),
        routingOrder: signer.routingOrder ?? 1,
        status: 'created' as const,
      })),
    );
    await jobs.enqueue(sendEnvelopeJob, { envelopeRowId: envelope.id }, { client: tx.client });
    await audit.record(
      {
        userId: minutes.userId,
        action: 'signature.requested',
        resourceType: 'minutes',
        resourceId: minutes.id,
        details: { envelope: envelope.id, signers: request.signers.map((signer) => signer.email) },
        context,
      },
      tx.db,
    );
    return envelope;
  }

  async function failSending(envelopeRowId: string, error: unknown) {
    const failure = failureOf(error, { code: 'internal_error', message: 'The envelope could not be sent' });
    await database.transaction(async ({ db, client }) => {
      const envelope = await lockEnvelope(db, envelopeRowId);
      if (envelope?.status !== 'created') return;
      await updateEnvelope(db, envelope.id, { status: 'failed', errorCode: failure.code, errorMessage: failure.message });
      await deps.minutes.sendingFailed({ db, client }, envelope.meetingMinutesId);
      await audit.record({ userId: envelope.userId, action: 'signature.failed', resourceType: 'envelope', resourceId: envelope.id, details: { code: failure.code } }, db);
      await deps.events.publish({ db, client }, envelope.userId, 'envelope.status_changed', { envelopeId: null, minutesId: envelope.meetingMinutesId, status: 'failed', code: failure.code });
      await notifications.notify(db, envelope.id);
    });
  }

  /** The envelope DocuSign created for this row, if an earlier call did create one. */
  async function findOnDocuSign(client: DocuSignClient, envelope: EnvelopeRow): Promise<DocuSignEnvelopeSummary | undefined> {
    const [found] = await client.envelopesByReference(envelope.id, new Date(envelope.createdAt.getTime() - 60_000));
    return found ? { envelopeId: found.envelopeId, status: found.status, statusDateTime: found.sentDateTime ?? found.createdDateTime ?? new Date().toISOString() } : undefined;
  }

  async function recordSent(envelopeRowId: string, created: DocuSignEnvelopeSummary) {
    await database.transaction(async ({ db, client }) => {
      const envelope = await lockEnvelope(db, envelopeRowId);
      if (envelope?.status !== 'created') return;
      const sentAt = new Date(created.statusDateTime);
      await updateEnvelope(db, envelope.id, { docusignEnvelopeId: created.envelopeId, status: 'sent', sentAt, lastEventAt: new Date(), errorCode: null, errorMessage: null });
      if (envelope.sentPdfKey) await deps.minutes.useSentPdf(db, envelope.meetingMinutesId, { key: envelope.sentPdfKey, sha256: envelope.sentPdfSha256 });
      for (const signer of await signersOf(db, envelope.id)) await updateSigner(db, signer.id, { status: 'sent', sentAt });
      await audit.record(
        { userId: envelope.userId, action: 'signature.sent', resourceType: 'envelope', resourceId: envelope.id, details: { envelopeId: created.envelopeId, pdfSha256: envelope.sentPdfSha256 } },
        db,
      );
      await deps.events.publish({ db, client }, envelope.userId, 'envelope.status_changed', { envelopeId: created.envelopeId, minutesId: envelope.meetingMinutesId, status: 'sent' });
      await notifications.notify(db, envelope.id);
    });
  }

  async function runSend(payload: z.infer<typeof sendPayload>, context: JobContext) {
    const envelope = await findEnvelope(database.db, payload.envelopeRowId).catch(() => undefined);
    if (envelope?.status !== 'created') return;
    try {
      const minutes = (await deps.minutes.findOwned(envelope.userId, envelope.meetingMinutesId))!;
      const meeting = await deps.meetings.requireMeeting(envelope.userId, minutes.meetingId);
      const signers = await signersOf(database.db, envelope.id);
      const client = await deps.integrations.docusignFor(envelope.userId);
      const earlier = envelope.sendAttemptedAt ? await findOnDocuSign(client, envelope) : undefined;
      if (earlier) return await recordSent(envelope.id, earlier);

      const pdf = await deps.minutes.renderPdf(minutes.id, `minutes/${minutes.id}/sent-${envelope.id}.pdf`);
      await updateEnvelope(database.db, envelope.id, { sendAttemptedAt: new Date(), sentPdfKey: pdf.key, sentPdfSha256: pdf.sha });
      let created: DocuSignEnvelopeSummary;
      try {
        created = await client.envelopeCreate({
          pdf: pdf.pdf,
          documentName: `${meeting.topic}.pdf`,
          emailSubject: envelope.emailSubject ?? (await defaultSubject(minutes)),
          ...(envelope.emailBlurb ? { emailBlurb: envelope.emailBlurb } : {}),
          signers: signers.map((signer) => ({ email: signer.email, name: signer.name ?? signer.email, recipientId: signer.recipientId!, routingOrder: signer.routingOrder ?? 1 })),
          anchorOf: (index) => deps.minutes.signatureAnchor(index + 1),
          reference: envelope.id,
          ...(deps.webhookUrl ? { webhookUrl: deps.webhookUrl } : {}),
        });
      } catch (error) {
        const found = mayHaveCreated(error) ? await findOnDocuSign(client, envelope) : undefined;
        if (!found) throw error;
        created = found;
      }
      await recordSent(envelope.id, created);
    } catch (error) {
      // Retried only when the client knows nothing was created (429, refused connection); else it ends visibly.
      await retryOrRecordFailure(error, context, () => failSending(envelope.id, error));
    }
  }

  /**
   * Envelopes still `created` long after their request: the job died or expired. Found on
   * DocuSign (by our id), they are recorded as sent; else they fail, and the minutes can be sent again.
   */
  async function settleUnconfirmed(log: Logger = deps.log) {
    for (const envelope of await unconfirmedEnvelopes(database.db, new Date(Date.now() - deps.settleAfterMs))) {
      try {
        const client = await deps.integrations.docusignFor(envelope.userId);
        const found = envelope.sendAttemptedAt ? await findOnDocuSign(client, envelope) : undefined;
        if (found) await recordSent(envelope.id, found);
        else await failSending(envelope.id, new AppError('provider_error', 'The envelope was never confirmed by DocuSign: send the minutes again'));
      } catch (error) {
        log.warn({ err: error, envelope: envelope.id }, 'could not settle an unconfirmed envelope; the next run tries again');
      }
    }
  }

  const sendEnvelopeJob = defineJob({ name: 'send-envelope', payloadSchema: sendPayload, retryLimit: 3, retryDelaySec: 10, expireInSeconds: 10 * 60, workers: 2, batchSize: 3, handler: runSend });

  return { jobs: [sendEnvelopeJob], beginSending, settleUnconfirmed };
}
