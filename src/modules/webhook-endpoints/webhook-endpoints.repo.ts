import { and, count, desc, eq, inArray, isNull, lt, ne, sql } from 'drizzle-orm';
import type { QueryRunner } from '../../db/client.js';
import { webhookDeliveries, webhookEndpoints } from '../../db/schema.js';
import type { UserEventType } from '../events/events.repo.js';

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export async function insertEndpoint(db: QueryRunner, values: typeof webhookEndpoints.$inferInsert): Promise<EndpointRow> {
  const [row] = await db.insert(webhookEndpoints).values(values).returning();
  return row!;
}

export const listAllEndpoints = (db: QueryRunner) => db.select({ id: webhookEndpoints.id, secret: webhookEndpoints.secret }).from(webhookEndpoints);

export const listEndpoints = (db: QueryRunner, userId: string) =>
  db.select().from(webhookEndpoints).where(eq(webhookEndpoints.userId, userId)).orderBy(desc(webhookEndpoints.createdAt));

export async function findOwnedEndpoint(db: QueryRunner, userId: string, id: string): Promise<EndpointRow | undefined> {
  const [row] = await db.select().from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.userId, userId)));
  return row;
}

export async function deleteEndpoint(db: QueryRunner, userId: string, id: string): Promise<boolean> {
  const deleted = await db.delete(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.userId, userId))).returning({ id: webhookEndpoints.id });
  return deleted.length > 0;
}

/** The user's live endpoints that take events of `type`. */
export const endpointsFor = (db: QueryRunner, userId: string, type: UserEventType) =>
  db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.userId, userId), isNull(webhookEndpoints.disabledAt), sql`${webhookEndpoints.events} ? ${type}`));

export const updateEndpoint = (db: QueryRunner, id: string, changes: Partial<typeof webhookEndpoints.$inferInsert>) =>
  db.update(webhookEndpoints).set(changes).where(eq(webhookEndpoints.id, id));

export async function insertDeliveries(db: QueryRunner, rows: (typeof webhookDeliveries.$inferInsert)[]): Promise<DeliveryRow[]> {
  return rows.length === 0 ? [] : db.insert(webhookDeliveries).values(rows).returning();
}

/** A delivery with its endpoint, for the job that sends it. */
export async function findDeliveryWithEndpoint(db: QueryRunner, id: string): Promise<{ delivery: DeliveryRow; endpoint: EndpointRow } | undefined> {
  const [row] = await db.select().from(webhookDeliveries).innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId)).where(eq(webhookDeliveries.id, id));
  return row && { delivery: row.webhook_deliveries, endpoint: row.webhook_endpoints };
}

export const updateDelivery = (db: QueryRunner, id: string, changes: Partial<typeof webhookDeliveries.$inferInsert>) =>
  db.update(webhookDeliveries).set(changes).where(eq(webhookDeliveries.id, id));

export async function findDelivery(db: QueryRunner, endpointId: string, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.endpointId, endpointId)));
  return row;
}

/** At most `limit` finished deliveries created before `cutoff` (one batch of a clean-up); pending ones stay until they end. */
export async function deleteDeliveriesBefore(db: QueryRunner, cutoff: Date, limit: number): Promise<number> {
  const expired = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(lt(webhookDeliveries.createdAt, cutoff), ne(webhookDeliveries.status, 'pending')))
    .limit(limit);
  const deleted = await db.delete(webhookDeliveries).where(inArray(webhookDeliveries.id, expired)).returning({ id: webhookDeliveries.id });
  return deleted.length;
}

export async function listDeliveries(db: QueryRunner, endpointId: string, page: { offset: number; limit: number }) {
  const where = eq(webhookDeliveries.endpointId, endpointId);
  const [rows, [total]] = await Promise.all([
    db.select().from(webhookDeliveries).where(where).orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id)).limit(page.limit).offset(page.offset),
    db.select({ value: count() }).from(webhookDeliveries).where(where),
  ]);
  return { rows, total: total?.value ?? 0 };
}
