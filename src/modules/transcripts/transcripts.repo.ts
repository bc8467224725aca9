import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { transcripts } from '../../db/schema.js';

export type TranscriptRow = typeof transcripts.$inferSelect;

export async function insertTranscript(db: Db, values: typeof transcripts.$inferInsert): Promise<TranscriptRow> {
  const [row] = await db.insert(transcripts).values(values).returning();
  return row!;
}

export async function latestTranscript(db: Db, meetingId: string): Promise<TranscriptRow | undefined> {
  const [row] = await db.select().from(transcripts).where(eq(transcripts.meetingId, meetingId)).orderBy(desc(transcripts.createdAt)).limit(1);
  return row;
}
