import { inArray, lt, sql } from 'drizzle-orm';
import type { QueryRunner } from '../../db/client.js';
import { userEvents, type userEventTypes } from '../../db/schema.js';

export type UserEventType = (typeof userEventTypes)[number];

/** Where a reader is in a user's events: the transaction that wrote the last one read, and its id. */
export interface EventPosition {
  transactionId: string;
  id: number;
}

export interface StoredEvent extends EventPosition {
  type: UserEventType;
  data: unknown;
  createdAt: Date;
}

export async function insertUserEvent(db: QueryRunner, event: { userId: string; type: UserEventType; data: unknown }): Promise<EventPosition & { createdAt: Date }> {
  const [row] = await db.insert(userEvents).values(event).returning({ id: userEvents.id, transactionId: userEvents.transactionId, createdAt: userEvents.createdAt });
  return row!;
}

/**
 * The user's events after `after`, oldest first, only from transactions older than every one
 * still running: an event a running transaction may yet commit can then never land behind one
 * already read (ids come from a sequence, so they do not say the order of commits).
 */
export async function eventsAfter(db: QueryRunner, userId: string, after: EventPosition, limit: number): Promise<StoredEvent[]> {
  const { rows } = await db.execute<{ id: string; transaction_id: string; type: UserEventType; data: unknown; created_at: string }>(sql`
    SELECT id, transaction_id, type, data, created_at FROM user_events
    WHERE user_id = ${userId}
      AND (transaction_id, id) > (${after.transactionId}::xid8, ${after.id})
      AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY transaction_id, id
    LIMIT ${limit}`);
  return rows.map((row) => ({ id: Number(row.id), transactionId: row.transaction_id, type: row.type, data: row.data, createdAt: new Date(row.created_at) }));
}

/** The position after every event of the user that can be read now: where a new reader starts. */
export async function currentPosition(db: QueryRunner, userId: string): Promise<EventPosition> {
  const [row] = (
    await db.execute<{ id: string; transaction_id: string }>(sql`
      SELECT id, transaction_id FROM user_events
      WHERE user_id = ${userId} AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY transaction_id DESC, id DESC
      LIMIT 1`)
  ).rows;
  return row ? { transactionId: row.transaction_id, id: Number(row.id) } : { transactionId: '0', id: 0 };
}

/** At most `limit` events created before `cutoff` (one batch of a clean-up); says how many went. */
export async function deleteEventsBefore(db: QueryRunner, cutoff: Date, limit: number): Promise<number> {
  const expired = db.select({ id: userEvents.id }).from(userEvents).where(lt(userEvents.createdAt, cutoff)).limit(limit);
  const deleted = await db.delete(userEvents).where(inArray(userEvents.id, expired)).returning({ id: userEvents.id });
  return deleted.length;
}

