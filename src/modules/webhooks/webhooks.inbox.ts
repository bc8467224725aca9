import pLimit from 'p-limit';
import { z } from 'zod';
import { eq } from 'drizzle-orm';
import type { Database, QueryRunner } from '../../db/client.js';
import { sqlStateOf } from '../../db/errors.js';
import { webhookEvents } from '../../db/schema.js';
import type { Notifications } from '../../db/notifications.js';
import { defineJob, type JobDefinition } from '../../jobs/job.js';
import type { JobQueue } from '../../jobs/queue.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { storableValue } from '../../lib/storable-text.js';
import { ProviderError } from '../../providers/provider-error.js';
import { claimUndispatchedEvents, markEventsDispatched, markWebhookEventFailed, markWebhookEventProcessed, storeWebhookEvent, type WebhookEventRow } from './webhooks.repo.js';

const RETRY_LIMIT = 5;
const STORED_KEY = 'webhook-events';
// Events turned into jobs per transaction: a burst of deliveries costs one job insert per batch.
const DISPATCH_BATCH = 200;

/** The job that applies one provider's stored events. */
export type EventJob = JobDefinition<{ eventId: string }>;

/**
 * A delivery's event, and the JSON text to store: as received, or, when it holds text PostgreSQL
 * cannot store (a NUL, an unpaired surrogate), cleaned: a provider cannot be asked to send it again.
 * @throws when the text is not JSON or not such an event.
 */
export function storableEvent<Schema extends z.ZodType>(schema: Schema, json: string): [z.output<Schema>, string] {
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

/** The event, locked for this transaction; none when it is gone or another transaction holds it. */
async function lockWebhookEventForProcessing(db: QueryRunner, id: string): Promise<WebhookEventRow | undefined> {
  const [row] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, id)).for('update', { skipLocked: true });
  return row;
}

/** Verified provider events: stored before they are acknowledged, then applied once each by a job. */
export interface WebhookInbox {
  /**
   * The event row is the webhook's whole cost (one statement, which also wakes the dispatcher):
   * once it is committed the delivery is acknowledged, and its job is made by the dispatcher.
   * False when the same delivery was stored before.
   */
  store(values: Parameters<typeof storeWebhookEvent>[1]): Promise<boolean>;
  /**
   * A provider's job: `apply` runs once per stored event, by one job at a time (the event's row is
   * locked while it runs); a processed or dismissed event is skipped; a failure
   * is recorded on the row, then retried, unless no retry could mend it (`eventFailureOf`): that
   * event ends there, failed.
   */
  eventJob(name: string, apply: (payload: unknown) => Promise<unknown>): EventJob;
}

export function createWebhookInbox(deps: { database: Database; notifications: Notifications }): WebhookInbox {
  const { database } = deps;

  // Events applied at once in this process, each holding the connection that locks its row:
  // half the pool, so `apply`'s own queries always find a connection.
  const applying = pLimit(Math.max(1, Math.floor((database.pool.options.max ?? 10) / 2)));

  /**
   * Applies a stored event once: in a transaction that locks its row (SKIP LOCKED), so two jobs
   * of one event (a replay beside a retry waiting its turn, a duplicate) never apply it both: the
   * second finds it locked, or processed once the first commits, and ends. The lock is held across
   * `apply` (a provider download at most), on this one row; `apply` runs its own statements on
   * other connections, and its outcome is written in the locking transaction. A worker that dies
   * mid-apply loses its connection: the transaction rolls back, the lock goes, and the job's retry
   * finds the event as it was.
   */
  async function processStoredEvent(eventId: string, log: Logger, apply: (payload: unknown) => Promise<unknown>) {
    const failed = await applying(() =>
      database.transaction(async ({ db }) => {
        const row = await lockWebhookEventForProcessing(db, eventId);
        // Gone, being applied by another job (which owns its retries), applied already, or
        // dismissed by an operator (a replay clears that first).
        if (!row || row.processed || row.dismissedAt) return undefined;
        try {
          await apply(row.payload);
          await markWebhookEventProcessed(db, eventId);
          return undefined;
        } catch (error) {
          const failure = eventFailureOf(error);
          await markWebhookEventFailed(db, eventId, failure.reason);
          return { error, failure, provider: row.provider };
        }
      }),
    );
    // Recorded and committed first: the retry (or an operator) sees why.
    if (!failed) return;
    const { error, failure, provider } = failed;
    if (failure.permanent) return log.warn({ err: error, eventId, provider }, 'webhook event cannot be applied; not retried');
    log.warn({ err: error, eventId, provider }, 'webhook event failed; it will be retried');
    throw error;
  }

  return {
    store: (values) => storeWebhookEvent(database.pool, values, { channel: deps.notifications.channel, key: STORED_KEY }),

    eventJob: (name, apply) =>
      defineJob({
        name,
        payloadSchema: z.object({ eventId: z.uuid() }),
        retryLimit: RETRY_LIMIT,
        retryDelaySec: 5,
        // A few database writes each (a transcript download at most): many at once.
        workers: 2,
        batchSize: 10,
        // A provider's event is back in the queue within ~20 s of a crash, not at the 15-minute expiry.
        heartbeatSeconds: 10,
        handler: async ({ eventId }, { log }) => processStoredEvent(eventId, log, apply),
      }),
  };
}

/**
 * In a worker: turns stored events into jobs (`jobOf` each provider's), a batch per transaction,
 * as they arrive and at each sweep.
 */
export function createWebhookDispatcher(deps: { database: Database; jobs: JobQueue; notifications: Notifications; jobOf: Record<WebhookEventRow['provider'], EventJob> }) {
  const { database } = deps;

  /** Makes the jobs of stored events that have none, a batch per transaction, until none is left. */
  async function dispatchStored(): Promise<void> {
    for (;;) {
      const count = await database.transaction(async ({ db, client }) => {
        const events = await claimUndispatchedEvents(db, DISPATCH_BATCH);
        for (const [provider, ofProvider] of Map.groupBy(events, (event) => event.provider)) {
          await deps.jobs.enqueueMany(deps.jobOf[provider], ofProvider.map((event) => ({ eventId: event.id })), { client });
        }
        if (events.length > 0) await markEventsDispatched(db, events.map((event) => event.id));
        return events.length;
      });
      if (count < DISPATCH_BATCH) return;
    }
  }

  async function startDispatcher(options: { sweepMs: number; log: Logger }): Promise<{ stop(): Promise<void> }> {
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
  }

  return { startDispatcher };
}
