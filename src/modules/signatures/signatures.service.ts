import { z } from 'zod';
import type { Transaction } from '../../db/client.js';
import { defineJob, type AnyJobDefinition } from '../../jobs/job.js';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import { runIdempotent } from '../../db/idempotency.js';
import { paginationOf } from '../../lib/pagination.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { DocuSignClient } from '../../providers/docusign/docusign.client.js';
import { ProviderError } from '../../providers/provider-error.js';
import { requireCollaborators } from '../../lib/collaborators.js';
import type { Logger } from '../../lib/logger.js';
import type { ConnectEvent } from '../../providers/docusign/docusign.connect.js';
import { createEnvelopeSender } from './envelope-sender.js';
import { createEnvelopeTracker } from './envelope-tracker.js';
import { findEnvelope, findEnvelopeByDocuSignId, findOwnedEnvelope, latestEnvelopeOf, listEnvelopes, liveEnvelopeOf, signersOf, type EnvelopeRow } from './signatures.repo.js';
import type { SignableMinutes } from './signable-minutes.js';
import { toEnvelopeResponse, toSignerResponse, type EnvelopeResponse } from './signatures.responses.js';
import type { ListEnvelopesQuery, SendForSignatureInput, SignerInput } from './signatures.schemas.js';

type EnvelopeDetails = { envelope: EnvelopeResponse; signers: ReturnType<typeof toSignerResponse>[] };

/** Sending minutes for signature through DocuSign and following each envelope to its end. */
export interface SignaturesService {
  jobs: AnyJobDefinition[];
  /** Every minute; each run polls only envelopes quiet for DOCUSIGN_RECONCILE_AFTER. */
  schedules: { job: AnyJobDefinition; cron: string }[];
  /**
   * Sends finalised minutes for signature (a job). Waits for DocuSign's envelope id up to
   * MINUTES_WAIT_MS.
   * @throws AppError minutes_not_finalized, test_minutes, envelope_active (409); consent_required (424).
   */
  requestSend(
    userId: string,
    minutesId: string,
    input: SendForSignatureInput,
    idempotencyKey: string | undefined,
    context: RequestContext,
  ): Promise<{ status: 201 | 202; replayed: boolean; body: { envelope: EnvelopeResponse; envelopeId: string | null } }>;
  /** Starts sending just-generated minutes for signature, inside the transaction that stores them. */
  sendGenerated(tx: Transaction, minutes: SignableMinutes, signers: SignerInput[]): Promise<void>;
  /** DocuSign's envelope id of the minutes' latest envelope once it has one, waiting up to `timeoutMs`. */
  envelopeIdOf(minutesId: string, timeoutMs: number): Promise<string | undefined>;
  /** The minutes' latest envelope, as the API shows it. */
  latestEnvelopeOf(minutesId: string): Promise<EnvelopeResponse | undefined>;
  list(userId: string, query: ListEnvelopesQuery): Promise<{ envelopes: EnvelopeResponse[]; pagination: ReturnType<typeof paginationOf> }>;
  details(userId: string, envelopeId: string): Promise<EnvelopeDetails>;
  /**
   * Voids the envelope on DocuSign. A void DocuSign refuses as already done (a retry after a
   * void that went through) is checked against the envelope's real state.
   * @throws AppError conflict (409) when the envelope is no longer live.
   */
  void(userId: string, envelopeId: string, reason: string, context: RequestContext): Promise<EnvelopeDetails>;
  /** @throws AppError conflict (409) when the envelope is no longer live. */
  resend(userId: string, envelopeId: string, context: RequestContext): Promise<EnvelopeDetails>;
  /** Where the user grants this app DocuSign's consent. */
  consentUrl(userId: string): Promise<{ consentUrl: string; redirectUri: string }>;
  /**
   * The signed PDF, or DocuSign's certificate of completion, of signed minutes.
   * @throws AppError not_found (404) until the minutes are signed.
   */
  signedDocument(userId: string, minutesId: string, document: 'signed-pdf' | 'certificate'): Promise<{ pdf: Buffer; sha256: string }>;
  /**
   * A Connect message, applied to its envelope.
   * @throws EnvelopeNotRecordedYet for recent news of an envelope still being recorded, so the job retries.
   */
  applyConnectEvent(event: ConnectEvent): Promise<'moved' | 'unchanged' | 'unknown_envelope'>;
  /** The Connect HMAC keys of the DocuSign account of the user who sent `envelopeId`, when they connected their own. */
  connectKeysOf(envelopeId: string): Promise<string[]>;
  /** Polls DocuSign for envelopes no news has moved for DOCUSIGN_RECONCILE_AFTER. */
  reconcile(log?: Logger): Promise<{ checked: number; moved: number }>;
  /** Settles envelopes still being sent long after their request: found on DocuSign, or failed. */
  settleUnconfirmed(log?: Logger): Promise<void>;
}

export type SignaturesServiceDeps = Omit<Parameters<typeof createEnvelopeSender>[0], 'settleAfterMs'> &
  Parameters<typeof createEnvelopeTracker>[0] & {
    docusignRedirectUri: string;
    /** How long a send request waits for DocuSign's envelope id (MINUTES_WAIT_MS). */
    waitMs: number;
  };

/** Minutes statuses from which an envelope may be sent: finalised, or after a declined or voided one. */
const sendableStatuses = new Set<SignableMinutes['status']>(['finalized', 'declined', 'voided']);
/** Out with the signers: what void and resend act on (`created` is not out yet). */
const isOutForSigning = (envelope: EnvelopeRow) => envelope.status === 'sent' || envelope.status === 'delivered';
/** An envelope being sent longer than this is settled by the reconciliation job. */
const SETTLE_UNCONFIRMED_AFTER_MS = 15 * 60 * 1000;

export function createSignaturesService(deps: SignaturesServiceDeps): SignaturesService {
  requireCollaborators('createSignaturesService', deps, ['minutes', 'meetings', 'integrations']);
  const { database, storage, notifications, audit } = deps;
  const sender = createEnvelopeSender({ ...deps, settleAfterMs: Math.max(deps.reconcileAfterSec * 1000, SETTLE_UNCONFIRMED_AFTER_MS) });
  const tracker = createEnvelopeTracker(deps);

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

  /** The envelope row once DocuSign has it (or sending failed), or as it is after `timeoutMs`. */
  function waitForEnvelope(envelopeRowId: string, timeoutMs: number): Promise<EnvelopeRow> {
    return notifications.waitFor(envelopeRowId, async () => (await findEnvelope(database.db, envelopeRowId))!, (row) => row.status !== 'created', { timeoutMs });
  }

  /**
   * Runs an action on a live envelope. When DocuSign refuses it because the envelope has moved on
   * (signed, declined or voided there, news not arrived yet), the envelope is brought up to date
   * from DocuSign and the answer is 409 — or success, when DocuSign already did what was asked.
   * An envelope DocuSign no longer has is recorded as voided, so its minutes can be sent again.
   */
  async function withDocuSignState(envelope: EnvelopeRow, action: (client: DocuSignClient) => Promise<void>) {
    try {
      await withDocuSign(envelope.userId, action);
    } catch (error) {
      if (!(error instanceof ProviderError) || error.status < 400 || error.status >= 500 || error.status === 401 || error.status === 429) throw error;
      if (error.code === 'ENVELOPE_DOES_NOT_EXIST') {
        await tracker.applyState(envelope.docusignEnvelopeId!, { status: 'voided', voidedAt: new Date(), voidedReason: 'DocuSign no longer has this envelope', signers: [] }, 'api');
        throw new AppError('conflict', 'DocuSign no longer has this envelope: it is recorded as voided, and the minutes can be sent again');
      }
      const state = await tracker.stateOnDocuSign(envelope);
      await tracker.applyState(envelope.docusignEnvelopeId!, state, 'api');
      if (error.code === 'ENVELOPE_CANNOT_VOID_INVALID_STATE' && state.status === 'voided') return;
      throw new AppError('conflict', `DocuSign says the envelope is ${state.status}`, { envelopeId: envelope.docusignEnvelopeId, status: state.status });
    }
  }

  async function toDetails(envelope: EnvelopeRow) {
    return { envelope: toEnvelopeResponse(envelope), signers: (await signersOf(database.db, envelope.id)).map(toSignerResponse) };
  }

  const reconcileJob = defineJob({
    name: 'reconcile-envelopes',
    payloadSchema: z.object({}).passthrough(),
    retryLimit: 0,
    batchSize: 2,
    handler: async (_payload, context) => {
      await sender.settleUnconfirmed(context.log);
      const result = await tracker.reconcile(context.log);
      if (result.checked > 0) context.log.info(result, 'envelopes reconciled');
    },
  });

  return {
    jobs: [...sender.jobs, ...tracker.jobs, reconcileJob],
    schedules: [{ job: reconcileJob, cron: '* * * * *' }],
    sendGenerated: (tx, minutes, signers) => sender.beginSending(tx, minutes, { signers }).then(() => undefined),
    async latestEnvelopeOf(minutesId) {
      const envelope = await latestEnvelopeOf(database.db, minutesId);
      return envelope ? toEnvelopeResponse(envelope) : undefined;
    },
    applyConnectEvent: tracker.applyConnectEvent,

    async connectKeysOf(envelopeId) {
      const envelope = await findEnvelopeByDocuSignId(database.db, envelopeId);
      if (!envelope) return [];
      const { credentials, source } = await deps.integrations.credentialsFor(envelope.userId, 'docusign').catch(() => ({ credentials: undefined, source: undefined }));
      if (source !== 'user' || !credentials?.connectHmacKeys) return [];
      return credentials.connectHmacKeys.split(',').map((key) => key.trim()).filter(Boolean);
    },
    reconcile: tracker.reconcile,
    settleUnconfirmed: sender.settleUnconfirmed,

    async requestSend(userId, minutesId, input, idempotencyKey, context) {
      const outcome = await runIdempotent(database.db, { userId, key: idempotencyKey, method: 'POST', path: `/v1/minutes/${minutesId}/send-for-signature`, payload: input }, async () => {
        if (!(await deps.minutes.findOwned(userId, minutesId))) throw new AppError('not_found', 'Minutes not found');
        await deps.integrations.credentialsFor(userId, 'docusign');
        const envelope = await database.transaction(async (tx) => {
          const minutes = (await deps.minutes.lockWithin(tx.db, minutesId))!;
          const live = await liveEnvelopeOf(tx.db, minutesId);
          if (live) throw new AppError('envelope_active', 'These minutes are already out for signature: void that envelope first', { envelopeId: live.docusignEnvelopeId });
          if (minutes.isTest) throw new AppError('test_minutes', 'Minutes generated in test mode are never sent for signature: generate them without testMode');
          if (!sendableStatuses.has(minutes.status)) {
            throw new AppError('minutes_not_finalized', `Minutes that are ${minutes.status.replace(/_/g, ' ')} cannot be sent: finalise them first (PATCH status finalized)`);
          }
          return sender.beginSending(tx, minutes, input, context);
        });
        return { status: 202, body: { envelopeRowId: envelope.id } };
      });
      const settled = await waitForEnvelope(outcome.body.envelopeRowId, deps.waitMs);
      if (settled.status === 'failed') {
        if (settled.errorCode === 'consent_required') throw await consentError(userId);
        throw new AppError((settled.errorCode ?? 'provider_error') as ErrorCode, settled.errorMessage ?? 'The envelope could not be sent', { envelope: settled.id });
      }
      return { status: settled.docusignEnvelopeId ? (201 as const) : (202 as const), replayed: outcome.replayed, body: { envelope: toEnvelopeResponse(settled), envelopeId: settled.docusignEnvelopeId } };
    },

    async envelopeIdOf(minutesId, timeoutMs) {
      const envelope = await latestEnvelopeOf(database.db, minutesId);
      if (!envelope) return undefined;
      return (await waitForEnvelope(envelope.id, timeoutMs)).docusignEnvelopeId ?? undefined;
    },

    async list(userId, query) {
      const { rows, total } = await listEnvelopes(database.db, userId, query);
      return { envelopes: rows.map(toEnvelopeResponse), pagination: paginationOf(query, total) };
    },

    async details(userId, envelopeId) {
      return toDetails(await requireOwnedEnvelope(userId, envelopeId));
    },

    async void(userId, envelopeId, reason, context) {
      const envelope = await requireOwnedEnvelope(userId, envelopeId);
      if (!isOutForSigning(envelope)) throw new AppError('conflict', `An envelope that is ${envelope.status} cannot be voided`);
      await withDocuSignState(envelope, async (client) => {
        await client.envelopeVoid(envelopeId, reason);
        await tracker.applyState(envelopeId, { status: 'voided', voidedAt: new Date(), voidedReason: reason, signers: [] }, 'api');
      });
      await audit.record({ userId, action: 'signature.void_requested', resourceType: 'envelope', resourceId: envelope.id, details: { envelopeId }, context }, database.db);
      return toDetails((await findEnvelope(database.db, envelope.id))!);
    },

    async resend(userId, envelopeId, context) {
      const envelope = await requireOwnedEnvelope(userId, envelopeId);
      if (!isOutForSigning(envelope)) throw new AppError('conflict', `An envelope that is ${envelope.status} cannot be resent`);
      await withDocuSignState(envelope, (client) => client.envelopeResend(envelopeId));
      await audit.record({ userId, action: 'signature.resent', resourceType: 'envelope', resourceId: envelope.id, details: { envelopeId }, context }, database.db);
      return toDetails(envelope);
    },

    async consentUrl(userId) {
      const client = await deps.integrations.docusignFor(userId);
      return { consentUrl: client.consentUrl(deps.docusignRedirectUri), redirectUri: deps.docusignRedirectUri };
    },

    async signedDocument(userId, minutesId, document) {
      const minutes = await deps.minutes.findOwned(userId, minutesId);
      if (!minutes) throw new AppError('not_found', 'Minutes not found');
      const envelope = await latestEnvelopeOf(database.db, minutesId);
      if (minutes.status !== 'signed' || !envelope?.signedPdfKey || !envelope.certificateKey) throw new AppError('not_found', 'These minutes are not signed yet');
      return document === 'signed-pdf'
        ? { pdf: await storage.get(envelope.signedPdfKey), sha256: envelope.signedPdfSha256! }
        : { pdf: await storage.get(envelope.certificateKey), sha256: envelope.certificateSha256! };
    },
  };
}
