import { and, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { QueryRunner } from '../../db/client.js';
import { preparedQuery } from '../../db/prepared.js';
import { refreshTokens, sessions, users } from '../../db/schema.js';

export type SessionRow = typeof sessions.$inferSelect;

export async function insertSession(db: QueryRunner, values: typeof sessions.$inferInsert): Promise<SessionRow> {
  const [session] = await db.insert(sessions).values(values).returning();
  return session!;
}

export async function insertRefreshToken(db: QueryRunner, values: typeof refreshTokens.$inferInsert): Promise<void> {
  await db.insert(refreshTokens).values(values);
}

/** The token and its session, locked until the transaction ends: two refreshes with one token take turns. */
export async function findRefreshTokenForUpdate(db: QueryRunner, tokenHash: string) {
  const [row] = await db
    .select({ token: refreshTokens, session: sessions })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .for('update');
  return row;
}

export async function markRefreshTokenRotated(db: QueryRunner, tokenId: string): Promise<void> {
  await db.update(refreshTokens).set({ rotatedAt: sql`now()` }).where(eq(refreshTokens.id, tokenId));
}

export async function extendSession(db: QueryRunner, sessionId: string, expiresAt: Date): Promise<void> {
  await db.update(sessions).set({ expiresAt, lastUsedAt: sql`now()` }).where(eq(sessions.id, sessionId));
}

export async function revokeSession(db: QueryRunner, sessionId: string, reason: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

export async function revokeSessionsOfUser(db: QueryRunner, userId: string, reason: string, options: { except?: string } = {}): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(
      and(eq(sessions.userId, userId), isNull(sessions.revokedAt), options.except ? ne(sessions.id, options.except) : undefined),
    );
}

/** What an access token's session and user are now: a revoked session or a disabled user stops the token at once. */
// Every authenticated request runs it.
const sessionIdentity = preparedQuery((db) =>
  db
    .select({
      email: users.email,
      role: users.role,
      disabledAt: users.disabledAt,
      revokedAt: sessions.revokedAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sql.placeholder('sessionId')), eq(users.id, sql.placeholder('userId'))))
    .prepare('session_identity'),
);

export async function findSessionIdentity(db: QueryRunner, sessionId: string, userId: string) {
  const [row] = await sessionIdentity(db).execute({ sessionId, userId });
  return row;
}

/** Deletes up to `limit` sessions that expired or were revoked before `cutoff`, with their refresh tokens (ON DELETE CASCADE). */
export async function deleteSessionsEndedBefore(db: QueryRunner, cutoff: Date, limit: number): Promise<number> {
  const ended = db
    .select({ id: sessions.id })
    .from(sessions)
    .where(or(lt(sessions.expiresAt, cutoff), lt(sessions.revokedAt, cutoff)))
    .limit(limit);
  const deleted = await db.delete(sessions).where(inArray(sessions.id, ended)).returning({ id: sessions.id });
  return deleted.length;
}

/** Deletes up to `limit` refresh tokens that expired before `cutoff`: a live session's old rotated ones. */
export async function deleteRefreshTokensExpiredBefore(db: QueryRunner, cutoff: Date, limit: number): Promise<number> {
  const expired = db.select({ id: refreshTokens.id }).from(refreshTokens).where(lt(refreshTokens.expiresAt, cutoff)).limit(limit);
  const deleted = await db.delete(refreshTokens).where(inArray(refreshTokens.id, expired)).returning({ id: refreshTokens.id });
  return deleted.length;
}
