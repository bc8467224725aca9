import { and, asc, count, desc, eq, gte, inArray, isNotNull, lt, lte, ne, sql, type SQL } from 'drizzle-orm';
import type { QueryRunner } from '../../db/client.js';
import { docusignEnvelopes, emailUnsubscribes, meetingMinutes, meetings, outboundEmails, participants, signers, users, type outboundEmailStatuses } from '../../db/schema.js';
import type { EmailKind } from '../../i18n/email-kinds.js';
import { offsetOf, type PaginationQuery } from '../../lib/pagination.js';

export type OutboundEmailRow = typeof outboundEmails.$inferSelect;

/*
 * Besides its own tables, this repo reads (never writes) the rows an e-mail is about, inside the
 * transaction of the event that causes it: what it says is what that transaction saw.
 */

/** Inserts the e-mails of one event; one already there for the same event and recipient is left as it was. */
export async function insertEmails(db: QueryRunner, rows: (typeof outboundEmails.$inferInsert)[]): Promise<OutboundEmailRow[]> {
  if (rows.length === 0) return [];
  return db.insert(outboundEmails).values(rows).onConflictDoNothing({ target: [outboundEmails.eventId, outboundEmails.recipient] }).returning();
}

export async function findEmail(db: QueryRunner, id: string): Promise<OutboundEmailRow | undefined> {
  const [row] = await db.select().from(outboundEmails).where(eq(outboundEmails.id, id));
  return row;
}

export const updateEmail = (db: QueryRunner, id: string, changes: Partial<typeof outboundEmails.$inferInsert>) =>
  db.update(outboundEmails).set(changes).where(eq(outboundEmails.id, id));

/** Deletes at most `limit` e-mails sent or failed before `cutoff` (pending ones stay until they end); returns how many. Written to use idx_outbound_emails_finished. */
export async function deleteEmailsFinishedBefore(db: QueryRunner, cutoff: Date, limit: number): Promise<number> {
  const finished = db
    .select({ id: outboundEmails.id })
    .from(outboundEmails)
    .where(and(ne(outboundEmails.status, 'pending'), lt(outboundEmails.updatedAt, cutoff)))
    .limit(limit);
  const deleted = await db.delete(outboundEmails).where(inArray(outboundEmails.id, finished)).returning({ id: outboundEmails.id });
  return deleted.length;
}

export interface OutboundEmailFilter extends PaginationQuery {
  status?: (typeof outboundEmailStatuses)[number];
  kind?: EmailKind;
  /** Created at or after. */
  from?: Date;
  /** Created at or before. */
  to?: Date;
}

/** An e-mail as operators see it: its state and whom it went to, not what it said (its `facts`, but the minutes they are about). */
export interface OutboundEmailSummary {
  id: string;
  kind: EmailKind;
  status: (typeof outboundEmailStatuses)[number];
  recipient: string;
  language: string;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  userId: string;
  minutesId: string | null;
  createdAt: Date;
  sentAt: Date | null;
  updatedAt: Date;
}

/** One page of e-mails, newest first, and how many match: what an admin lists (GET /v1/admin/emails). */
export async function listEmailsForAdmin(db: QueryRunner, filter: OutboundEmailFilter): Promise<{ emails: OutboundEmailSummary[]; total: number }> {
  const conditions: (SQL | undefined)[] = [
    filter.status ? eq(outboundEmails.status, filter.status) : undefined,
    filter.kind ? eq(outboundEmails.kind, filter.kind) : undefined,
    filter.from ? gte(outboundEmails.createdAt, filter.from) : undefined,
    filter.to ? lte(outboundEmails.createdAt, filter.to) : undefined,
  ];
  const where = and(...conditions);
  const [emails, [total]] = await Promise.all([
    db
      .select({
        id: outboundEmails.id,
        kind: outboundEmails.kind,
        status: outboundEmails.status,
        recipient: outboundEmails.recipient,
        language: outboundEmails.language,
        attempts: outboundEmails.attempts,
        errorCode: outboundEmails.errorCode,
        errorMessage: outboundEmails.errorMessage,
        userId: outboundEmails.userId,
        minutesId: sql<string | null>`${outboundEmails.facts} ->> 'minutesId'`,
        createdAt: outboundEmails.createdAt,
        sentAt: outboundEmails.sentAt,
        updatedAt: outboundEmails.updatedAt,
      })
      .from(outboundEmails)
      .where(where)
      .orderBy(desc(outboundEmails.createdAt), desc(outboundEmails.id))
      .limit(filter.limit)
      .offset(offsetOf(filter)),
    db.select({ value: count() }).from(outboundEmails).where(where),
  ]);
  return { emails, total: total?.value ?? 0 };
}

/** The minutes, their meeting and its owner, as an e-mail about them needs them. */
export async function minutesFactsOf(db: QueryRunner, minutesId: string) {
  const [row] = await db
    .select({
      minutesId: meetingMinutes.id,
      meetingId: meetings.id,
      language: meetingMinutes.language,
      timeZone: meetingMinutes.timeZone,
      topic: meetings.topic,
      startTime: meetings.startTime,
      owner: { id: users.id, email: users.email, name: users.name },
    })
    .from(meetingMinutes)
    .innerJoin(meetings, eq(meetings.id, meetingMinutes.meetingId))
    .innerJoin(users, eq(users.id, meetingMinutes.userId))
    .where(eq(meetingMinutes.id, minutesId));
  return row;
}

/** The meeting's participants, each e-mail once. */
export const participantsOf = (db: QueryRunner, meetingId: string) =>
  db.select({ email: participants.email, name: participants.name }).from(participants).where(eq(participants.meetingId, meetingId)).orderBy(asc(participants.createdAt));

/** Why an envelope ended: the signer who declined and their reason, or the reason it was voided. */
export async function envelopeEndOf(db: QueryRunner, docusignEnvelopeId: string) {
  const [envelope] = await db
    .select({ id: docusignEnvelopes.id, declineReason: docusignEnvelopes.declineReason, voidedReason: docusignEnvelopes.voidedReason })
    .from(docusignEnvelopes)
    .where(eq(docusignEnvelopes.docusignEnvelopeId, docusignEnvelopeId));
  if (!envelope) return undefined;
  const [decliner] = await db
    .select({ name: signers.name, email: signers.email, reason: signers.declineReason })
    .from(signers)
    .where(and(eq(signers.envelopeId, envelope.id), isNotNull(signers.declinedAt)));
  return { declinedBy: decliner ? (decliner.name ?? decliner.email) : null, declineReason: decliner?.reason ?? envelope.declineReason, voidedReason: envelope.voidedReason };
}

/** The addresses among `emails` that stopped `kind`: from an e-mail's link, or in their account's settings. */
export async function unsubscribedAmong(db: QueryRunner, emails: string[], kind: EmailKind): Promise<Set<string>> {
  if (emails.length === 0) return new Set();
  const rows = await db
    .select({ email: emailUnsubscribes.email })
    .from(emailUnsubscribes)
    .where(and(eq(emailUnsubscribes.kind, kind), inArray(emailUnsubscribes.email, emails)))
    .union(
      db
        .select({ email: users.email })
        .from(users)
        .where(and(inArray(users.email, emails), sql`${users.emailPreferences} ->> ${kind} = 'false'`)),
    );
  return new Set(rows.map((row) => row.email));
}

export const insertUnsubscribe = (db: QueryRunner, email: string, kind: EmailKind) => db.insert(emailUnsubscribes).values({ email, kind }).onConflictDoNothing();

export async function userIdByEmail(db: QueryRunner, email: string): Promise<string | undefined> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  return row?.id;
}

export async function preferencesOf(db: QueryRunner, userId: string) {
  const [row] = await db.select({ emailPreferences: users.emailPreferences }).from(users).where(eq(users.id, userId));
  return row?.emailPreferences;
}

/** Turns kinds on or off for a user; the others keep their setting. Returns the new settings. */
export async function updatePreferences(db: QueryRunner, userId: string, changes: Partial<Record<EmailKind, boolean>>) {
  const [row] = await db
    .update(users)
    .set({ emailPreferences: sql`${users.emailPreferences} || ${JSON.stringify(changes)}::jsonb` })
    .where(eq(users.id, userId))
    .returning({ emailPreferences: users.emailPreferences });
  return row?.emailPreferences;
}

/** Where the signed PDF of the minutes' latest completed envelope is stored, and its hash. */
export async function signedPdfOf(db: QueryRunner, minutesId: string) {
  const [row] = await db
    .select({ key: docusignEnvelopes.signedPdfKey, sha256: docusignEnvelopes.signedPdfSha256 })
    .from(docusignEnvelopes)
    .where(and(eq(docusignEnvelopes.meetingMinutesId, minutesId), eq(docusignEnvelopes.status, 'completed'), isNotNull(docusignEnvelopes.signedPdfKey)))
    .orderBy(desc(docusignEnvelopes.completedAt))
    .limit(1);
  return row?.key && row.sha256 ? { key: row.key, sha256: row.sha256 } : undefined;
}
