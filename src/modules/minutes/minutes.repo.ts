import { and, desc, eq, lt } from 'drizzle-orm';
import type { QueryRunner } from '../../db/client.js';
import { meetingMinutes, minutesVersions } from '../../db/schema.js';

export type MinutesRow = typeof meetingMinutes.$inferSelect;
export type MinutesVersionRow = typeof minutesVersions.$inferSelect;

export async function insertMinutes(db: QueryRunner, values: typeof meetingMinutes.$inferInsert): Promise<MinutesRow> {
  const [row] = await db.insert(meetingMinutes).values(values).returning();
  return row!;
}

export async function findMinutes(db: QueryRunner, minutesId: string): Promise<MinutesRow | undefined> {
  const [row] = await db.select().from(meetingMinutes).where(eq(meetingMinutes.id, minutesId));
  return row;
}

/** Locks the row for the rest of the transaction: concurrent edits, finalisation and generation queue up. */
export async function lockMinutes(db: QueryRunner, minutesId: string): Promise<MinutesRow | undefined> {
  const [row] = await db.select().from(meetingMinutes).where(eq(meetingMinutes.id, minutesId)).for('update');
  return row;
}

export async function findOwnedMinutes(db: QueryRunner, userId: string, minutesId: string): Promise<MinutesRow | undefined> {
  const [row] = await db
    .select()
    .from(meetingMinutes)
    .where(and(eq(meetingMinutes.id, minutesId), eq(meetingMinutes.userId, userId)));
  return row;
}

export async function listMinutesOfMeeting(db: QueryRunner, meetingId: string): Promise<MinutesRow[]> {
  return db.select().from(meetingMinutes).where(eq(meetingMinutes.meetingId, meetingId)).orderBy(desc(meetingMinutes.createdAt));
}

/** The meeting's newest minutes, locked for the rest of the transaction. */
export async function lockLatestMinutesOfMeeting(db: QueryRunner, meetingId: string): Promise<MinutesRow | undefined> {
  const [row] = await db
    .select()
    .from(meetingMinutes)
    .where(eq(meetingMinutes.meetingId, meetingId))
    .orderBy(desc(meetingMinutes.createdAt))
    .limit(1)
    .for('update');
  return row;
}

export async function updateMinutes(db: QueryRunner, minutesId: string, changes: Partial<typeof meetingMinutes.$inferInsert>): Promise<MinutesRow> {
  const [row] = await db.update(meetingMinutes).set(changes).where(eq(meetingMinutes.id, minutesId)).returning();
  return row!;
}

export async function insertVersion(db: QueryRunner, values: typeof minutesVersions.$inferInsert): Promise<void> {
  await db.insert(minutesVersions).values(values);
}

export async function listVersions(db: QueryRunner, minutesId: string): Promise<MinutesVersionRow[]> {
  return db.select().from(minutesVersions).where(eq(minutesVersions.minutesId, minutesId)).orderBy(desc(minutesVersions.version));
}

/** Records generation progress, unless the generation has ended meanwhile; true when written. */
export async function updateProgress(db: QueryRunner, minutesId: string, progress: unknown): Promise<boolean> {
  const rows = await db
    .update(meetingMinutes)
    .set({ progress })
    .where(and(eq(meetingMinutes.id, minutesId), eq(meetingMinutes.status, 'generating')))
    .returning({ id: meetingMinutes.id });
  return rows.length > 0;
}

export async function stalledGenerations(db: QueryRunner, untouchedSince: Date): Promise<MinutesRow[]> {
  return db
    .select()
    .from(meetingMinutes)
    .where(and(eq(meetingMinutes.status, 'generating'), lt(meetingMinutes.updatedAt, untouchedSince)));
}
