import { z } from 'zod';
import type { Database } from '../../db/client.js';
import { sqlStateOf } from '../../db/errors.js';
import type { Notifications } from '../../db/notifications.js';
import { defineJob } from '../../jobs/job.js';
import type { JobQueue } from '../../jobs/queue.js';
import { sha256Hex } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { storableValue } from '../../lib/storable-text.js';
import { ProviderError } from '../../providers/provider-error.js';
import { connectEvent, verifyConnectSignature, type ConnectEvent } from '../../providers/docusign/docusign.connect.js';
import { verifyZoomSignature, zoomUrlValidationAnswer } from '../../providers/zoom/zoom.webhook.js';
import type { SignaturesService } from '../signatures/signatures.service.js';
import type { MeetingsService } from '../meetings/meetings.service.js';
import type { TranscriptsService } from '../transcripts/transcripts.service.js';
import { claimUndispatchedEvents, findWebhookEvent, markEventsDispatched, markWebhookEventFailed, markWebhookEventProcessed, storeWebhookEvent } from './webhooks.repo.js';

/** https://developers.zoom.us/docs/api/webhooks/ — the parts of an event we read. */
const zoomEvent = z.object({
  event: z.string().min(1).max(100),
  event_ts: z.number().optional(),
  download_token: z.string().optional(),
  payload: z
    .object({
      plainToken: z.string().optional(),
      object: z
        .object({
          id: z.union([z.string(), z.number()]).transform(String).optional(),
          uuid: z.string().optional(),
          share_url: z.string().optional(),
          participant: z
            .object({ email: z.string().optional(), user_name: z.string().optional(), join_time: z.string().optional(), leave_time: z.string().optional() })
            .optional(),
          recording_files: z.array(z.object({ file_type: z.string(), download_url: z.string() })).optional(),
        })
        .passthrough()
        .optional(),
    })
    .passthrough()
    .optional(),
});
type ZoomEvent = z.infer<typeof zoomEvent>;

const RETRY_LIMIT = 5;

export type WebhooksService = ReturnType<typeof createWebhooksService>;

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

/**
 * A delivery's event, and the JSON text to store: as received, or, when it holds text PostgreSQL
 * cannot store (a NUL, an unpaired surrogate), cleaned: a provider cannot be asked to send it again.
 * @throws when the text is not JSON or not such an event.
 */
function storableEvent<Schema extends z.ZodType>(schema: Schema, json: string): [z.output<Schema>, string] {
  const received: unknown = JSON.parse(json);
  const storable = storableValue(received);
  return [schema.parse(storable), storable === received ? json : JSON.stringify(storable)];
}

/**
 * Why an event failed, in words safe to store (never a query's parameters), and whether retrying
 * could change it: the event's data (a refused link, an impossible date, a shape we do not know)
 * or a provider's final answer will not; a provider's 429/5xx, a lost connection, anything unknown might.
 */
function eventFailureOf(error: unknown): { reason: string; permanent: boolean } {
  if (error instanceof AppError) return { reason: `${error.code}: ${error.message}`, permanent: true };
  if (error instanceof z.ZodError) return { reason: 'the event does not have the expected shape', permanent: true };
  if (error instanceof ProviderError) return { reason: `${error.provider} ${error.code}`, permanent: !error.retryable };
  const sqlState = sqlStateOf(error);
  // SQLSTATE classes 22 (data exception: an impossible date, a value out of range) and 23 (integrity).
  if (sqlState) return { reason: `database error ${sqlState}`, permanent: /^2[23]/.test(sqlState) };
  return { reason: error instanceof Error ? error.name : 'unknown error', permanent: false };
}

const STORED_KEY = 'webhook-events';
// Events turned into jobs per transaction: a burst of deliveries costs one job insert per batch.
const DISPATCH_BATCH = 200;

export function createWebhooksService(deps: {
  database: Database;
  jobs: JobQueue;
  notifications: Notifications;
  meetings: MeetingsService;
  transcripts: TranscriptsService;
  signatures: SignaturesService;
  zoomWebhookSecret: string | undefined;
  /** DocuSign Connect HMAC keys; more than one during a rotation. */
  docusignWebhookSecrets: string[];
}) {
  const { database, meetings } = deps;

  const zoomEventJob = defineJob({
    name: 'zoom-webhook-event',
    payloadSchema: z.object({ eventId: z.uuid() }),
    retryLimit: RETRY_LIMIT,
    retryDelaySec: 5,
    // A few database writes each (a transcript download at most): many at once.
    workers: 2,
    batchSize: 10,
    // A provider's event is back in the queue within ~20 s of a crash, not at the 15-minute expiry.
    heartbeatSeconds: 10,
    handler: async ({ eventId }, { log }) => processStoredEvent(eventId, log, (payload) => applyZoomEvent(zoomEvent.parse(payload))),
  });
  const docusignEventJob = defineJob({
    name: 'docusign-connect-event',
    payloadSchema: z.object({ eventId: z.uuid() }),
    retryLimit: RETRY_LIMIT,
    retryDelaySec: 5,
    workers: 2,
    batchSize: 10,
    heartbeatSeconds: 10,
    handler: async ({ eventId }, { log }) => processStoredEvent(eventId, log, (payload) => deps.signatures.applyConnectEvent(connectEvent.parse(payload))),
  });

  async function applyZoomEvent(event: ZoomEvent) {
    const object = event.payload?.object;
    if (!object?.id) return;
    const meeting = await meetings.findByZoomId(object.id);
    if (!meeting) return; // a meeting Atas did not schedule
    switch (event.event) {
      case 'meeting.started':
        return meetings.applyZoomStatus(meeting, 'in_progress');
      case 'meeting.ended':
        return meetings.applyZoomStatus(meeting, 'completed');
      case 'meeting.deleted':
        return meetings.applyZoomStatus(meeting, 'cancelled');
      case 'meeting.participant_joined':
      case 'meeting.participant_left': {
        const participant = object.participant;
        if (!participant?.email) return;
        const joined = event.event === 'meeting.participant_joined';
        const at = new Date((joined ? participant.join_time : participant.leave_time) ?? Date.now());
        if (Number.isNaN(at.getTime())) throw new AppError('validation_failed', `The participant's ${joined ? 'join_time' : 'leave_time'} is not a date`);
        return meetings.recordPresence(meeting.id, {
          email: participant.email.toLowerCase(),
          name: participant.user_name ?? null,
          ...(joined ? { joinedAt: at } : { leftAt: at }),
        });
      }
      case 'recording.completed':
      case 'recording.transcript_completed': {
        const files = object.recording_files ?? [];
        const transcript = files.find((file) => file.file_type === 'TRANSCRIPT');
        const video = files.find((file) => file.file_type !== 'TRANSCRIPT');
        await meetings.recordRecording(meeting.id, {
          ...(video ? { recordingUrl: object.share_url ?? video.download_url } : {}),
          ...(transcript ? { transcriptUrl: transcript.download_url } : {}),
        });
        if (transcript) await deps.transcripts.importFromZoom(meeting, transcript.download_url, event.download_token);
        return;
      }
      default:
        return;
    }
  }

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

  /**
   * The event row is the webhook's whole cost (one statement, which also wakes the dispatcher):
   * once it is committed the delivery is acknowledged, and its job is made by `dispatchStored`.
   */
  const store = (values: Parameters<typeof storeWebhookEvent>[1]) =>
    storeWebhookEvent(database.pool, values, { channel: deps.notifications.channel, key: STORED_KEY });

  const jobOf = { zoom: zoomEventJob, docusign: docusignEventJob } as const;

  /** Makes the jobs of stored events that have none, a batch per transaction, until none is left. */
  async function dispatchStored(): Promise<void> {
    for (;;) {
      const count = await database.transaction(async ({ db, client }) => {
        const events = await claimUndispatchedEvents(db, DISPATCH_BATCH);
        for (const [provider, ofProvider] of Map.groupBy(events, (event) => event.provider)) {
          await deps.jobs.enqueueMany(jobOf[provider], ofProvider.map((event) => ({ eventId: event.id })), { client });
        }
        if (events.length > 0) await markEventsDispatched(db, events.map((event) => event.id));
        return events.length;
      });
      if (count < DISPATCH_BATCH) return;
    }
  }

  /**
   * Runs once per stored event: a processed event is skipped; a failure is recorded on the row,
   * then retried, unless no retry could mend it (`eventFailureOf`): that event ends there, failed.
   */
  async function processStoredEvent(eventId: string, log: Logger, apply: (payload: unknown) => Promise<unknown>) {
    const row = await findWebhookEvent(database.db, eventId);
    if (!row || row.processed) return;
    try {
      await apply(row.payload);
      await markWebhookEventProcessed(database.db, eventId);
    } catch (error) {
      const failure = eventFailureOf(error);
      await markWebhookEventFailed(database.db, eventId, failure.reason);
      if (failure.permanent) return log.warn({ err: error, eventId, provider: row.provider }, 'webhook event cannot be applied; not retried');
      log.warn({ err: error, eventId, provider: row.provider }, 'webhook event failed; it will be retried');
      throw error;
    }
  }

  return {
    jobs: [zoomEventJob, docusignEventJob],

    /**
     * In a worker: turns stored events into jobs as they arrive (woken by the statement that
     * stored them) and every `sweepMs`, which also finds what a crash or a lost notification
     * left behind. One dispatch at a time per process; several processes share the work (SKIP LOCKED).
     */
    async startDispatcher(options: { sweepMs: number; log: Logger }) {
      let running: Promise<void> | undefined;
      let again = false;
      const dispatch = () => {
        if (running) return void (again = true);
        running = (async () => {
          do {
            again = false;
            await dispatchStored().catch((error: unknown) => options.log.error({ err: error }, 'webhook events not dispatched; the next sweep retries'));
          } while (again);
        })().finally(() => (running = undefined));
      };
      const unsubscribe = await deps.notifications.subscribe(STORED_KEY, dispatch);
      const sweep = setInterval(dispatch, options.sweepMs);
      dispatch();
      return {
        async stop() {
          clearInterval(sweep);
          unsubscribe();
          await running;
        },
      };
    },

    /**
     * Verifies, stores and enqueues a Zoom delivery, or answers Zoom's URL validation. A
     * repeated delivery is recognised and not enqueued again.
     * @throws AppError webhook_signature_invalid (401) when the signature does not hold.
     */
    async receiveZoom(request: { rawBody: Buffer; signature: string | undefined; timestamp: string | undefined }) {
      const secret = deps.zoomWebhookSecret;
      if (!secret) throw new AppError('integration_not_configured', 'ZOOM_WEBHOOK_SECRET is not set', { provider: 'zoom' });
      const verification = verifyZoomSignature({ rawBody: request.rawBody, signature: request.signature, timestamp: request.timestamp, secret });
      if (!verification.valid) throw new AppError('webhook_signature_invalid', `Webhook signature refused (${verification.reason})`);

      let payloadJson = request.rawBody.toString('utf8');
      let event: ZoomEvent;
      try {
        [event, payloadJson] = storableEvent(zoomEvent, payloadJson);
      } catch {
        throw new AppError('validation_failed', 'Not a Zoom event');
      }
      if (event.event === 'endpoint.url_validation') {
        const answer = zoomUrlValidationAnswer(event.payload?.plainToken, secret);
        if (!answer) throw new AppError('validation_failed', 'The plainToken is not valid');
        return { kind: 'validation' as const, answer };
      }

      const stored = await store({ provider: 'zoom', eventType: event.event, deliveryKey: sha256Hex(request.rawBody), payloadJson });
      return { kind: 'stored' as const, duplicate: !stored };
    },

    /**
     * Verifies (HMAC with any configured key), stores and enqueues a DocuSign Connect message. A
     * repeated delivery (DocuSign retries, with another retryCount) is recognised.
     * @throws AppError webhook_signature_invalid (401) when no signature holds.
     */
    async receiveDocuSign(request: { rawBody: Buffer; headers: Record<string, string | string[] | undefined> }) {
      await verifyDocuSignDelivery(request.rawBody, request.headers);
      let payloadJson = request.rawBody.toString('utf8');
      let event: ConnectEvent;
      try {
        [event, payloadJson] = storableEvent(connectEvent, payloadJson);
      } catch {
        throw new AppError('validation_failed', 'Not a DocuSign Connect message');
      }
      const deliveryKey = sha256Hex([event.event, event.data.envelopeId, event.data.recipientId ?? '', event.generatedDateTime].join('|'));
      const stored = await store({ provider: 'docusign', eventType: event.event, deliveryKey, payloadJson });
      return { duplicate: !stored };
    },
  };
}
