import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { QueryRunner } from '../../db/client.js';
import { webhookEvents, type webhookProviders } from '../../db/schema.js';

export type WebhookEventRow = typeof webhookEvents.$inferSelect;

/**
 * Stores a delivery and, in the same statement, notifies `channel` with `key` (delivered when it
 * commits): one round trip, a named prepared statement (the hottest write: every provider event).
 * `payloadJson` is the delivery's JSON text as received. False when the same delivery was stored before.
 */
export async function storeWebhookEvent(
  pool: pg.Pool,
  values: { provider: (typeof webhookProviders)[number]; eventType: string; deliveryKey: string; payloadJson: string },
  notify: { channel: string; key: string },
): Promise<boolean> {
  const { rows } = await pool.query<{ id: string }>({
    name: 'store_webhook_event',
    text: `WITH stored AS (
             INSERT INTO webhook_events (provider, event_type, delivery_key, payload) VALUES ($1, $2, $3, $4::jsonb)
             ON CONFLICT DO NOTHING
             RETURNING id
           )
           SELECT id, pg_notify($5, $6) FROM stored`,
    values: [values.provider, values.eventType, values.deliveryKey, values.payloadJson, notify.channel, notify.key],
  });
  return rows.length > 0;
}

/** Up to `limit` stored events that have no job yet, oldest first, locked for this transaction. */
export async function claimUndispatchedEvents(db: QueryRunner, limit: number): Promise<Pick<WebhookEventRow, 'id' | 'provider'>[]> {
  return db
    .select({ id: webhookEvents.id, provider: webhookEvents.provider })
    .from(webhookEvents)
    .where(isNull(webhookEvents.dispatchedAt))
    .orderBy(webhookEvents.createdAt)
    .limit(limit)
    .for('update', { skipLocked: true });
}

export async function markEventsDispatched(db: QueryRunner, ids: string[]): Promise<void> {
  await db.update(webhookEvents).set({ dispatchedAt: sql`now()` }).where(inArray(webhookEvents.id, ids));
}

export async function markWebhookEventProcessed(db: QueryRunner, id: string): Promise<void> {
  // Applied while an operator dismissed it (its job was already running): what happened wins.
  await db.update(webhookEvents).set({ processed: true, processedAt: sql`now()`, error: null, dismissedAt: null }).where(eq(webhookEvents.id, id));
}

export async function markWebhookEventFailed(db: QueryRunner, id: string, error: string): Promise<void> {
  await db
    .update(webhookEvents)
    .set({ error: error.slice(0, 2000), retryCount: sql`${webhookEvents.retryCount} + 1` })
    .where(eq(webhookEvents.id, id));
}

/**
 * Deletes up to `limit` events applied, or dismissed by an operator, before `cutoff`; one neither
 * applied nor dismissed (failed, or not yet run) stays whatever its age. Returns how many.
 */
export async function deleteFinishedWebhookEventsBefore(db: QueryRunner, cutoff: Date, limit: number): Promise<number> {
  const expired = db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    // An event is applied or dismissed after it arrives: `created_at` (indexed) narrows the search to old rows.
    .where(
      and(
        lt(webhookEvents.createdAt, cutoff),
        or(and(eq(webhookEvents.processed, true), lt(webhookEvents.processedAt, cutoff)), lt(webhookEvents.dismissedAt, cutoff)),
      ),
    )
    .limit(limit);
  const deleted = await db.delete(webhookEvents).where(inArray(webhookEvents.id, expired)).returning({ id: webhookEvents.id });
  return deleted.length;
}
