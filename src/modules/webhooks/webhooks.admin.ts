import type pg from 'pg';
import { and, count, desc, eq, gte, isNotNull, isNull, lte, sql, type SQL } from 'drizzle-orm';
import type { Database, QueryRunner, Transaction } from '../../db/client.js';
import { webhookEvents, type webhookProviders } from '../../db/schema.js';
import type { JobQueue } from '../../jobs/queue.js';
import { AppError } from '../../lib/errors.js';
import { offsetOf, type PaginationQuery } from '../../lib/pagination.js';
import type { EventJob } from './webhooks.inbox.js';
import type { WebhookEventRow } from './webhooks.repo.js';

export interface WebhookEventFilter extends PaginationQuery {
  provider?: (typeof webhookProviders)[number];
  processed?: boolean;
  /** True: events whose last attempt recorded an error; false: those without one. */
  hasError?: boolean;
  /** True: events an operator dismissed; false: the others. */
  isDismissed?: boolean;
  from?: Date;
  to?: Date;
}

/** A stored event as operators see it: its state, never its payload. */
export type WebhookEventSummary = Omit<WebhookEventRow, 'payload'>;

/** What operators do with stored provider events (the admin routes). */
export interface WebhookEventsAdmin {
  /** One page of stored events, newest first, and how many match. */
  listEvents(filter: WebhookEventFilter): Promise<{ events: WebhookEventSummary[]; total: number }>;
  /**
   * Enqueues the processing of a stored event again, in `tx`, unless a replay's job is still
   * waiting for it; a job applies an event only while it holds its row and only when it is not
   * processed, so a replay applies an event at most once, even beside a job of the event still
   * queued. A dismissed event is taken back (its dismissal cleared) and processed like any other.
   * Returns the event as it is after the replay, and whether its dismissal was cleared.
   * @throws AppError not_found; webhook_event_processed (409) when it was applied already.
   */
  replayEvent(tx: Transaction, eventId: string): Promise<{ event: WebhookEventSummary; undismissed: boolean }>;
  /**
   * Gives up on an event not applied, in `tx`: it is marked dismissed (not processed), its job
   * skips it from then on, and retention deletes it WEBHOOK_EVENT_RETENTION_DAYS after. Returns it dismissed.
   * @throws AppError not_found; webhook_event_processed (409) when it was applied; webhook_event_dismissed (409) when it was dismissed already.
   */
  dismissEvent(tx: Transaction, eventId: string): Promise<WebhookEventSummary>;
}

const summaryColumns = {
  id: webhookEvents.id,
  provider: webhookEvents.provider,
  eventType: webhookEvents.eventType,
  deliveryKey: webhookEvents.deliveryKey,
  processed: webhookEvents.processed,
  processedAt: webhookEvents.processedAt,
  dispatchedAt: webhookEvents.dispatchedAt,
  error: webhookEvents.error,
  retryCount: webhookEvents.retryCount,
  dismissedAt: webhookEvents.dismissedAt,
  createdAt: webhookEvents.createdAt,
};

export function createWebhookEventsAdmin(deps: { database: Database; jobs: JobQueue; jobOf: Record<WebhookEventRow['provider'], EventJob> }): WebhookEventsAdmin {
  return {
    async listEvents(filter) {
      const conditions: (SQL | undefined)[] = [
        filter.provider ? eq(webhookEvents.provider, filter.provider) : undefined,
        filter.processed === undefined ? undefined : eq(webhookEvents.processed, filter.processed),
        filter.hasError === undefined ? undefined : filter.hasError ? isNotNull(webhookEvents.error) : isNull(webhookEvents.error),
        filter.isDismissed === undefined ? undefined : filter.isDismissed ? isNotNull(webhookEvents.dismissedAt) : isNull(webhookEvents.dismissedAt),
        filter.from ? gte(webhookEvents.createdAt, filter.from) : undefined,
        filter.to ? lte(webhookEvents.createdAt, filter.to) : undefined,
      ];
      const where = and(...conditions);
      const { db } = deps.database;
      const [events, [total]] = await Promise.all([
        db
          .select(summaryColumns)
          .from(webhookEvents)
          .where(where)
          .orderBy(desc(webhookEvents.createdAt), desc(webhookEvents.id))
          .limit(filter.limit)
          .offset(offsetOf(filter)),
        db.select({ value: count() }).from(webhookEvents).where(where),
      ]);
      return { events, total: total?.value ?? 0 };
    },

    async replayEvent({ db, client }, eventId) {
      const before = await lockedEvent(db, eventId);
      if (before.processed) throw new AppError('webhook_event_processed', 'This event was applied already: there is nothing to replay');
      if (before.dismissedAt) await db.update(webhookEvents).set({ dismissedAt: null }).where(eq(webhookEvents.id, eventId));
      const job = deps.jobOf[before.provider];
      // One replay job waiting per event: a second replay (a double click) finds it and adds none.
      // (The row is locked: two replays of one event come here one after the other.)
      if (!(await hasWaitingReplay(client, job.name, eventId))) await deps.jobs.enqueue(job, { eventId }, { client, singletonKey: replayKeyOf(eventId) });
      const [event] = await db.select(summaryColumns).from(webhookEvents).where(eq(webhookEvents.id, eventId));
      return { event: event!, undismissed: before.dismissedAt !== null };
    },

    async dismissEvent({ db }, eventId) {
      const event = await lockedEvent(db, eventId);
      if (event.processed) throw new AppError('webhook_event_processed', 'This event was applied already: there is nothing to dismiss');
      if (event.dismissedAt) throw new AppError('webhook_event_dismissed', 'This event was dismissed already');
      const [dismissed] = await db.update(webhookEvents).set({ dismissedAt: sql`now()` }).where(eq(webhookEvents.id, eventId)).returning(summaryColumns);
      return dismissed!;
    },
  };
}

const replayKeyOf = (eventId: string) => `replay:${eventId}`;

/**
 * Whether a replay's job for the event is waiting in `queue` (queued, or a retry in its backoff),
 * read on the transaction's connection: pg-boss's `singletonKey` alone does not refuse a second job
 * on a standard queue, so the key is looked up (pg-boss's index of queued jobs by key covers it).
 */
async function hasWaitingReplay(client: pg.PoolClient, queue: string, eventId: string): Promise<boolean> {
  const { rows } = await client.query(`SELECT 1 FROM pgboss.job WHERE name = $1 AND singleton_key = $2 AND state < 'active' LIMIT 1`, [queue, replayKeyOf(eventId)]);
  return rows.length > 0;
}

/**
 * The event, locked for the transaction: an operator's decision and the event's own job finishing
 * at once cannot both decide on a stale row.
 * @throws AppError not_found
 */
async function lockedEvent(db: QueryRunner, eventId: string): Promise<WebhookEventSummary> {
  const [event] = await db.select(summaryColumns).from(webhookEvents).where(eq(webhookEvents.id, eventId)).for('update');
  if (!event) throw new AppError('not_found', 'Webhook event not found');
  return event;
}
