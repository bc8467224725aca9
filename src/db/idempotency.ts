import { and, eq, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineJob, type AnyJobDefinition } from '../jobs/job.js';
import { sha256Hex } from '../lib/crypto.js';
import { AppError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';
import { deleteInBatches } from './batches.js';
import type { Database, QueryRunner } from './client.js';
import { idempotencyKeys } from './schema.js';

export type IdempotentOutcome<T> = { replayed: true; status: number; body: T } | { replayed: false; status: number; body: T };

/**
 * Runs `work` once per (user, key): a retry with the same key and the same request gets the
 * first answer again; the same key with another request is refused (422); a retry while the
 * first is still running is told so (409). A failed attempt releases the key. `storedBody` keeps
 * out of the stored answer what must not rest in the database (a replay then lacks it).
 */
export async function runIdempotent<T>(
  db: QueryRunner,
  request: { userId: string; key: string | undefined; method: string; path: string; payload: unknown },
  work: () => Promise<{ status: number; body: T }>,
  options: { storedBody?: (body: T) => T } = {},
): Promise<IdempotentOutcome<T>> {
  if (!request.key) return { replayed: false, ...(await work()) };
  const requestHash = sha256Hex(JSON.stringify([request.method, request.path, request.payload]));
  const [claimed] = await db
    .insert(idempotencyKeys)
    .values({ userId: request.userId, key: request.key, method: request.method, path: request.path, requestHash })
    .onConflictDoNothing()
    .returning({ id: idempotencyKeys.id });

  if (!claimed) {
    const [existing] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, request.userId), eq(idempotencyKeys.key, request.key)));
    if (!existing) throw new AppError('conflict', 'The idempotency key was released while checking it; retry');
    if (existing.requestHash !== requestHash) {
      throw new AppError('idempotency_key_reused', 'This Idempotency-Key was used for a different request');
    }
    if (!existing.completedAt) throw new AppError('conflict', 'A request with this Idempotency-Key is still being processed');
    return { replayed: true, status: existing.responseStatus!, body: existing.responseBody as T };
  }

  try {
    const result = await work();
    await db
      .update(idempotencyKeys)
      .set({ responseStatus: result.status, responseBody: options.storedBody?.(result.body) ?? result.body, completedAt: sql`now()` })
      .where(eq(idempotencyKeys.id, claimed.id));
    return { replayed: false, ...result };
  } catch (error) {
    await db.delete(idempotencyKeys).where(eq(idempotencyKeys.id, claimed.id));
    throw error;
  }
}

/** Deletes up to `limit` keys claimed before `cutoff` (finished or abandoned); returns how many. */
export async function deleteIdempotencyKeysBefore(db: QueryRunner, cutoff: Date, limit: number): Promise<number> {
  const expired = db.select({ id: idempotencyKeys.id }).from(idempotencyKeys).where(lt(idempotencyKeys.createdAt, cutoff)).limit(limit);
  const deleted = await db.delete(idempotencyKeys).where(inArray(idempotencyKeys.id, expired)).returning({ id: idempotencyKeys.id });
  return deleted.length;
}

/** The clean-up of stored answers: a key is honoured IDEMPOTENCY_KEY_RETENTION_HOURS, then forgotten. */
export interface IdempotencyKeyRetention {
  /** Deletes the keys claimed over `retentionHours` before `now`, in batches; returns how many. */
  deleteExpired(now?: Date): Promise<number>;
  /** The clean-up's job, for the worker to run. */
  jobs: AnyJobDefinition[];
  /** The clean-up, hourly. */
  schedules: { job: AnyJobDefinition; cron: string }[];
}

export function createIdempotencyKeyRetention(deps: { database: Database; retentionHours: number; log: Logger }): IdempotencyKeyRetention {
  async function deleteExpired(now = new Date()) {
    const cutoff = new Date(now.getTime() - deps.retentionHours * 3_600_000);
    const deleted = await deleteInBatches((limit) => deleteIdempotencyKeysBefore(deps.database.db, cutoff, limit));
    if (deleted > 0) deps.log.info({ deleted }, 'expired idempotency keys deleted');
    return deleted;
  }
  const cleanupJob = defineJob({ name: 'delete-expired-idempotency-keys', payloadSchema: z.object({}).passthrough(), retryLimit: 0, handler: async () => void (await deleteExpired()) });
  return { deleteExpired, jobs: [cleanupJob], schedules: [{ job: cleanupJob, cron: '29 * * * *' }] };
}
