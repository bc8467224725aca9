import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import pTimeout from 'p-timeout';
import type { Logger } from '../lib/logger.js';
import * as schema from './schema.js';

/** What runs queries: the pool (`database.db`) or a transaction's connection (`tx.db`). */
export type QueryRunner = NodePgDatabase<typeof schema>;
/** A transaction: its queries, and its connection (for jobs enqueued with it). */
export type Transaction = { db: QueryRunner; client: pg.PoolClient };

export interface Database {
  pool: pg.Pool;
  db: QueryRunner;
  /** Runs `work` in one transaction; a job enqueued with `client` commits or rolls back with it. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T>;
  /** True when the server answers a trivial query within `timeoutMs`. */
  isReachable(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export function connectDatabase(options: { url: string; poolMin: number; poolMax: number; log: Logger }): Database {
  const pool = new pg.Pool({
    connectionString: options.url,
    min: options.poolMin,
    max: options.poolMax,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'atas',
  });
  // An idle client whose server went away emits here; without a listener the process would crash.
  pool.on('error', (error: Error & { code?: string }) =>
    options.log.warn({ error: error.message, code: error.code }, 'idle database connection lost'),
  );

  return {
    pool,
    db: drizzle(pool, { schema }),
    async transaction(work) {
      const client = await pool.connect();
      // A checked-out client has no listener of the pool's: a connection lost between two
      // statements (the server restarting) would otherwise be an uncaught error that ends the
      // process. Caught here, it fails the transaction's next statement, and the client is discarded.
      let broken: Error | undefined;
      const onLost = (error: Error) => void (broken = error);
      client.on('error', onLost);
      try {
        await client.query('BEGIN');
        const result = await work({ db: drizzle(client, { schema }), client });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => void (broken ??= rollbackError));
        throw error;
      } finally {
        // A broken client is discarded, and may still report its end: it keeps the listener.
        if (!broken) client.off('error', onLost);
        client.release(broken);
      }
    },
    isReachable: (timeoutMs = 2000) =>
      pTimeout(
        pool.query('SELECT 1').then(
          () => true,
          () => false,
        ),
        { milliseconds: timeoutMs, fallback: () => false },
      ),
    close: () => pool.end(),
  };
}
