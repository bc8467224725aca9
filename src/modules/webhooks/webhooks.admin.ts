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
   * Enqueues the processing of a stored event again, in `tx`; its job skips an event that is
   * processed by then, so a replay applies an event at most once. A dismissed event is taken back
   * (its dismissal cleared) and processed like any other. Returns the event as it was before.
   * @throws AppError not_found; webhook_event_processed (409) when it was applied already.
   */
  replayEvent(tx: Transaction, eventId: string): Promise<WebhookEventSummary>;
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
      const event = await lockedEvent(db, eventId);
      if (event.processed) throw new AppError('webhook_event_processed', 'This event was applied already: there is nothing to replay');
      if (event.dismissedAt) await db.update(webhookEvents).set({ dismissedAt: null }).where(eq(webhookEvents.id, eventId));
      await deps.jobs.enqueue(deps.jobOf[event.provider], { eventId }, { client });
      return event;
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
