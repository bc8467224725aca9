import { and, count, desc, eq, gte, lte, ne, sql } from 'drizzle-orm';
import type { QueryRunner } from '../../db/client.js';
import { preparedQuery } from '../../db/prepared.js';
import { meetingMinutes, meetings, participants } from '../../db/schema.js';
import { offsetOf } from '../../lib/pagination.js';
import type { ListMeetingsQuery, ParticipantInput } from './meetings.schemas.js';

export type MeetingRow = typeof meetings.$inferSelect;
export type ParticipantRow = typeof participants.$inferSelect;

export async function insertMeeting(db: QueryRunner, values: typeof meetings.$inferInsert): Promise<MeetingRow> {
  const [row] = await db.insert(meetings).values(values).returning();
  return row!;
}

const ownedMeeting = preparedQuery((db) =>
  db
    .select()
    .from(meetings)
    .where(and(eq(meetings.id, sql.placeholder('id')), eq(meetings.userId, sql.placeholder('userId'))))
    .prepare('owned_meeting'),
);

/** The meeting when it belongs to `userId`; another user's meeting is simply not found. */
export async function findOwnedMeeting(db: QueryRunner, userId: string, id: string): Promise<MeetingRow | undefined> {
  const [row] = await ownedMeeting(db).execute({ id, userId });
  return row;
}

export async function updateMeeting(db: QueryRunner, id: string, values: Partial<typeof meetings.$inferInsert>): Promise<MeetingRow> {
  const [row] = await db.update(meetings).set(values).where(eq(meetings.id, id)).returning();
  return row!;
}

/**
 * Moves a meeting to the status Zoom reported, only forward: a cancelled meeting stays cancelled
 * and a completed one never goes back to in progress, whatever order the events are applied in.
 */
/** Moves the status forward only (never out of cancelled, never back from completed); says whether it moved. */
export async function advanceMeetingStatus(db: QueryRunner, id: string, status: 'in_progress' | 'completed' | 'cancelled'): Promise<boolean> {
  const moved = await db
    .update(meetings)
    .set({ status })
    .where(and(eq(meetings.id, id), ne(meetings.status, 'cancelled'), ne(meetings.status, status), status === 'in_progress' ? ne(meetings.status, 'completed') : undefined))
    .returning({ id: meetings.id });
  return moved.length > 0;
}

// The list as most requests ask for it, with no filter: prepared, its page and its count.
const unfilteredPage = preparedQuery((db) =>
  db
    .select()
    .from(meetings)
    .where(eq(meetings.userId, sql.placeholder('userId')))
    .orderBy(desc(meetings.startTime), desc(meetings.id))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'))
    .prepare('meetings_page'),
);
const unfilteredCount = preparedQuery((db) =>
  db
    .select({ value: count() })
    .from(meetings)
    .where(eq(meetings.userId, sql.placeholder('userId')))
    .prepare('meetings_count'),
);

export async function listMeetings(db: QueryRunner, userId: string, query: ListMeetingsQuery) {
  if (!query.status && !query.startDate && !query.endDate) {
    const [rows, [total]] = await Promise.all([
      unfilteredPage(db).execute({ userId, limit: query.limit, offset: offsetOf(query) }),
      unfilteredCount(db).execute({ userId }),
    ]);
    return { rows, total: total?.value ?? 0 };
  }
  const where = and(
    eq(meetings.userId, userId),
    query.status ? eq(meetings.status, query.status) : undefined,
    query.startDate ? gte(meetings.startTime, new Date(query.startDate)) : undefined,
    query.endDate ? lte(meetings.startTime, new Date(query.endDate)) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db.select().from(meetings).where(where).orderBy(desc(meetings.startTime), desc(meetings.id)).limit(query.limit).offset(offsetOf(query)),
    db.select({ value: count() }).from(meetings).where(where),
  ]);
  return { rows, total: total?.value ?? 0 };
}

/** Adds participants; an e-mail already on the meeting is left as it is. Returns the ones added. */
export async function insertParticipants(db: QueryRunner, meetingId: string, list: ParticipantInput[]): Promise<ParticipantRow[]> {
  if (list.length === 0) return [];
  return db
    .insert(participants)
    .values(list.map((participant) => ({ meetingId, email: participant.email, name: participant.name ?? null })))
    .onConflictDoNothing({ target: [participants.meetingId, participants.email] })
    .returning();
}

const participantsOfMeeting = preparedQuery((db) =>
  db
    .select()
    .from(participants)
    .where(eq(participants.meetingId, sql.placeholder('meetingId')))
    .orderBy(participants.createdAt, participants.email)
    .prepare('meeting_participants'),
);

export const listParticipants = (db: QueryRunner, meetingId: string) => participantsOfMeeting(db).execute({ meetingId });

const minutesOfMeeting = preparedQuery((db) =>
  db
    .select({ exists: sql<boolean>`true` })
    .from(meetingMinutes)
    .where(eq(meetingMinutes.meetingId, sql.placeholder('meetingId')))
    .limit(1)
    .prepare('meeting_has_minutes'),
);

export async function hasMinutes(db: QueryRunner, meetingId: string): Promise<boolean> {
  const [row] = await minutesOfMeeting(db).execute({ meetingId });
  return Boolean(row);
}

export async function findMeetingByZoomId(db: QueryRunner, zoomMeetingId: string): Promise<MeetingRow | undefined> {
  const [row] = await db.select().from(meetings).where(eq(meetings.zoomMeetingId, zoomMeetingId));
  return row;
}

/** Records a participant's presence from Zoom, adding the participant when the meeting did not list them. */
/**
 * Records a join or a leave. Events may be applied in any order (they are processed
 * concurrently): the first join and the last leave are kept, and the duration follows them.
 */
export async function upsertParticipantPresence(
  db: QueryRunner,
  meetingId: string,
  presence: { email: string; name: string | null; joinedAt?: Date; leftAt?: Date },
): Promise<void> {
  const joinedAt = sql`least(${participants.joinedAt}, excluded.joined_at)`;
  const leftAt = sql`greatest(${participants.leftAt}, excluded.left_at)`;
  await db
    .insert(participants)
    .values({ meetingId, email: presence.email, name: presence.name, joinedAt: presence.joinedAt ?? null, leftAt: presence.leftAt ?? null })
    .onConflictDoUpdate({
      target: [participants.meetingId, participants.email],
      set: {
        joinedAt,
        leftAt,
        // null until both a join and a leave are known; least/greatest would skip a null and give 0.
        duration: sql`CASE WHEN ${leftAt} IS NULL OR ${joinedAt} IS NULL THEN NULL ELSE greatest(0, extract(epoch from (${leftAt} - ${joinedAt}))::int) END`,
      },
    });
}
