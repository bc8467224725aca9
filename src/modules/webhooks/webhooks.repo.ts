import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { webhookEvents, type webhookProviders } from '../../db/schema.js';

export type WebhookEventRow = typeof webhookEvents.$inferSelect;

/** Stores a delivery; undefined when the same delivery was stored before. */
export async function insertWebhookEvent(
  db: Db,
  values: { provider: (typeof webhookProviders)[number]; eventType: string; deliveryKey: string; payload: unknown },
): Promise<WebhookEventRow | undefined> {
  const [row] = await db.insert(webhookEvents).values(values).onConflictDoNothing().returning();
  return row;
}

export async function findWebhookEvent(db: Db, id: string): Promise<WebhookEventRow | undefined> {
  const [row] = await db.select().from(webhookEvents).where(eq(webhookEvents.id, id));
  return row;
}

export async function markWebhookEventProcessed(db: Db, id: string): Promise<void> {
  await db.update(webhookEvents).set({ processed: true, processedAt: sql`now()`, error: null }).where(eq(webhookEvents.id, id));
}

export async function markWebhookEventFailed(db: Db, id: string, error: string): Promise<void> {
  await db
    .update(webhookEvents)
    .set({ error: error.slice(0, 2000), retryCount: sql`${webhookEvents.retryCount} + 1` })
    .where(eq(webhookEvents.id, id));
}
