import { eq, inArray, or } from 'drizzle-orm';
import type { QueryRunner } from '../../db/client.js';
import { docusignEnvelopes, meetingMinutes, meetings, transcripts } from '../../db/schema.js';

const present = (keys: (string | null)[]) => keys.filter((key): key is string => key !== null);

/** Of `keys`, those a row still references: a transcript's file, a minutes PDF, an envelope's documents. */
export async function referencedKeys(db: QueryRunner, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const envelopes = docusignEnvelopes;
  // One after another: `db` may be a transaction's single connection.
  const transcriptRows = await db.select({ key: transcripts.fileKey }).from(transcripts).where(inArray(transcripts.fileKey, keys));
  const minutesRows = await db.select({ key: meetingMinutes.pdfBlobKey }).from(meetingMinutes).where(inArray(meetingMinutes.pdfBlobKey, keys));
  const envelopeRows = await db
    .select({ sent: envelopes.sentPdfKey, signed: envelopes.signedPdfKey, certificate: envelopes.certificateKey })
    .from(envelopes)
    .where(or(inArray(envelopes.sentPdfKey, keys), inArray(envelopes.signedPdfKey, keys), inArray(envelopes.certificateKey, keys)));
  return new Set(
    present([...transcriptRows.map((row) => row.key), ...minutesRows.map((row) => row.key), ...envelopeRows.flatMap((row) => [row.sent, row.signed, row.certificate])]),
  );
}

/** Every stored file of a user's rows: what deleting the account must delete from storage too. */
export async function fileKeysOfUser(db: QueryRunner, userId: string): Promise<string[]> {
  const transcriptRows = await db
    .select({ key: transcripts.fileKey })
    .from(transcripts)
    .innerJoin(meetings, eq(meetings.id, transcripts.meetingId))
    .where(eq(meetings.userId, userId));
  const minutesRows = await db.select({ key: meetingMinutes.pdfBlobKey }).from(meetingMinutes).where(eq(meetingMinutes.userId, userId));
  const envelopeRows = await db
    .select({ sent: docusignEnvelopes.sentPdfKey, signed: docusignEnvelopes.signedPdfKey, certificate: docusignEnvelopes.certificateKey })
    .from(docusignEnvelopes)
    .where(eq(docusignEnvelopes.userId, userId));
  return [...new Set(present([...transcriptRows.map((row) => row.key), ...minutesRows.map((row) => row.key), ...envelopeRows.flatMap((row) => [row.sent, row.signed, row.certificate])]))];
}
