import { and, asc, count, desc, eq, inArray, isNotNull, lt, or, isNull, type SQL } from 'drizzle-orm';
import type { QueryRunner } from '../../db/client.js';
import { docusignEnvelopes, signers, type envelopeStatuses } from '../../db/schema.js';
import { offsetOf, type PaginationQuery } from '../../lib/pagination.js';

export type EnvelopeRow = typeof docusignEnvelopes.$inferSelect;
export type SignerRow = typeof signers.$inferSelect;
type EnvelopeStatus = (typeof envelopeStatuses)[number];

/** Envelopes that can still change: a minutes with one of these cannot be sent again. */
export const liveEnvelopeStatuses: EnvelopeStatus[] = ['created', 'sent', 'delivered'];

export async function insertEnvelope(db: QueryRunner, values: typeof docusignEnvelopes.$inferInsert): Promise<EnvelopeRow> {
  const [row] = await db.insert(docusignEnvelopes).values(values).returning();
  return row!;
}

export async function insertSigners(db: QueryRunner, values: (typeof signers.$inferInsert)[]): Promise<void> {
  await db.insert(signers).values(values);
}

export async function findEnvelope(db: QueryRunner, id: string): Promise<EnvelopeRow | undefined> {
  const [row] = await db.select().from(docusignEnvelopes).where(eq(docusignEnvelopes.id, id));
  return row;
}

export async function findEnvelopeByDocuSignId(db: QueryRunner, envelopeId: string): Promise<EnvelopeRow | undefined> {
  const [row] = await db.select().from(docusignEnvelopes).where(eq(docusignEnvelopes.docusignEnvelopeId, envelopeId));
  return row;
}

/** By DocuSign's envelope id, locked for the rest of the transaction. */
export async function lockEnvelopeByDocuSignId(db: QueryRunner, envelopeId: string): Promise<EnvelopeRow | undefined> {
  const [row] = await db.select().from(docusignEnvelopes).where(eq(docusignEnvelopes.docusignEnvelopeId, envelopeId)).for('update');
  return row;
}

export async function lockEnvelope(db: QueryRunner, id: string): Promise<EnvelopeRow | undefined> {
  const [row] = await db.select().from(docusignEnvelopes).where(eq(docusignEnvelopes.id, id)).for('update');
  return row;
}

export async function findOwnedEnvelope(db: QueryRunner, userId: string, envelopeId: string): Promise<EnvelopeRow | undefined> {
  const [row] = await db
    .select()
    .from(docusignEnvelopes)
    .where(and(eq(docusignEnvelopes.userId, userId), eq(docusignEnvelopes.docusignEnvelopeId, envelopeId)));
  return row;
}

export async function liveEnvelopeOf(db: QueryRunner, minutesId: string): Promise<EnvelopeRow | undefined> {
  const [row] = await db
    .select()
    .from(docusignEnvelopes)
    .where(and(eq(docusignEnvelopes.meetingMinutesId, minutesId), inArray(docusignEnvelopes.status, liveEnvelopeStatuses)))
    .limit(1);
  return row;
}

export async function latestEnvelopeOf(db: QueryRunner, minutesId: string): Promise<EnvelopeRow | undefined> {
  const [row] = await db
    .select()
    .from(docusignEnvelopes)
    .where(eq(docusignEnvelopes.meetingMinutesId, minutesId))
    .orderBy(desc(docusignEnvelopes.createdAt))
    .limit(1);
  return row;
}

export async function listEnvelopes(db: QueryRunner, userId: string, query: PaginationQuery & { status?: EnvelopeStatus }) {
  const where = and(eq(docusignEnvelopes.userId, userId), query.status ? eq(docusignEnvelopes.status, query.status) : undefined);
  const [rows, [total]] = await Promise.all([
    db.select().from(docusignEnvelopes).where(where).orderBy(desc(docusignEnvelopes.createdAt), desc(docusignEnvelopes.id)).limit(query.limit).offset(offsetOf(query)),
    db.select({ value: count() }).from(docusignEnvelopes).where(where),
  ]);
  return { rows, total: total!.value };
}

export async function updateEnvelope(db: QueryRunner, id: string, changes: Partial<typeof docusignEnvelopes.$inferInsert>): Promise<EnvelopeRow> {
  const [row] = await db.update(docusignEnvelopes).set(changes).where(eq(docusignEnvelopes.id, id)).returning();
  return row!;
}

export async function signersOf(db: QueryRunner, envelopeRowId: string): Promise<SignerRow[]> {
  return db.select().from(signers).where(eq(signers.envelopeId, envelopeRowId)).orderBy(asc(signers.routingOrder), asc(signers.recipientId));
}

export async function updateSigner(db: QueryRunner, id: string, changes: Partial<typeof signers.$inferInsert>): Promise<void> {
  await db.update(signers).set(changes).where(eq(signers.id, id));
}

/** Sent envelopes nothing has moved since `before`: their webhook may have been lost. */
export async function staleEnvelopes(db: QueryRunner, before: Date, limit: number): Promise<EnvelopeRow[]> {
  const quiet: SQL = or(lt(docusignEnvelopes.lastEventAt, before), and(isNull(docusignEnvelopes.lastEventAt), lt(docusignEnvelopes.updatedAt, before)))!;
  return db
    .select()
    .from(docusignEnvelopes)
    .where(and(inArray(docusignEnvelopes.status, ['sent', 'delivered']), isNotNull(docusignEnvelopes.docusignEnvelopeId), quiet))
    .orderBy(asc(docusignEnvelopes.lastEventAt))
    .limit(limit);
}

/** Envelopes still being sent since before `before`: their job died or expired. */
export async function unconfirmedEnvelopes(db: QueryRunner, before: Date): Promise<EnvelopeRow[]> {
  return db
    .select()
    .from(docusignEnvelopes)
    .where(and(eq(docusignEnvelopes.status, 'created'), lt(docusignEnvelopes.createdAt, before)))
    .limit(50);
}
