import { desc, eq, sql } from 'drizzle-orm';
import type { QueryRunner } from '../../db/client.js';
import { transcripts } from '../../db/schema.js';

export type TranscriptRow = typeof transcripts.$inferSelect;
export type TranscriptInfo = Pick<TranscriptRow, 'id' | 'format' | 'source' | 'createdAt'>;

/**
 * Stores a transcript whose turns arrive as UTF-8 JSON (from the parsing thread): they go to
 * PostgreSQL as bytes, and nothing big is built or parsed here.
 */
export async function insertTranscript(
  db: QueryRunner,
  values: Omit<typeof transcripts.$inferInsert, 'turns'> & { turnsJson: Uint8Array },
): Promise<TranscriptInfo> {
  const { turnsJson, ...rest } = values;
  const [row] = await db
    .insert(transcripts)
    .values({ ...rest, turns: sql`convert_from(${Buffer.from(turnsJson.buffer, turnsJson.byteOffset, turnsJson.byteLength)}, 'UTF8')::jsonb` })
    .returning({ id: transcripts.id, format: transcripts.format, source: transcripts.source, createdAt: transcripts.createdAt });
  return row!;
}

/** The newest transcript with all its turns (what the minutes are written from). */
export async function latestTranscript(db: QueryRunner, meetingId: string): Promise<TranscriptRow | undefined> {
  const [row] = await db.select().from(transcripts).where(eq(transcripts.meetingId, meetingId)).orderBy(desc(transcripts.createdAt)).limit(1);
  return row;
}

/** The newest transcript with one page of its turns: PostgreSQL slices the array, only the page travels. */
export async function latestTranscriptPage(db: QueryRunner, meetingId: string, page: { offset: number; limit: number }) {
  const [row] = await db
    .select({
      id: transcripts.id,
      format: transcripts.format,
      source: transcripts.source,
      createdAt: transcripts.createdAt,
      turnCount: sql<number>`jsonb_array_length(${transcripts.turns})`,
      turns: sql<unknown[]>`jsonb_path_query_array(${transcripts.turns}, '$[$from to $to]', jsonb_build_object('from', ${page.offset}::int, 'to', ${page.offset + page.limit - 1}::int))`,
    })
    .from(transcripts)
    .where(eq(transcripts.meetingId, meetingId))
    .orderBy(desc(transcripts.createdAt))
    .limit(1);
  return row;
}
