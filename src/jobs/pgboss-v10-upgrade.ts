import pg from 'pg';
import type { JobInsert, PgBoss, Queue } from 'pg-boss';
import type { Logger } from '../lib/logger.js';

/**
 * pg-boss 11 and later cannot migrate the schema that pg-boss 10 created (schema version 24):
 * their migrations start at version 25, and pg-boss's own advice is to move the jobs over. So a
 * database that Atas ran on with pg-boss 10 is upgraded in two steps around `boss.start()`:
 * `setAsidePgBossV10Schema` renames the old schema out of the way, pg-boss creates its current
 * one, and `importPgBossV10Jobs` moves the queues, the unfinished jobs (same ids, data, start
 * times and singleton keys; their attempts count from zero again) and the schedules into it, then
 * drops the old schema. The move is one transaction under an advisory lock, so several instances
 * starting together do it once, and a crash midway leaves the old schema to be moved at next start.
 */
const SCHEMA = 'pgboss';
const SET_ASIDE_SCHEMA = 'pgboss_v10';
const PGBOSS_V10_SCHEMA_VERSION = 24;
const UPGRADE_LOCK = "hashtext('atas:pgboss-v10-upgrade')";

interface V10Queue {
  name: string;
  policy: Queue['policy'] | null;
  retry_limit: number | null;
  retry_delay: number | null;
  retry_backoff: boolean | null;
  expire_seconds: number | null;
  retention_minutes: number | null;
  dead_letter: string | null;
}

interface V10Job {
  id: string;
  name: string;
  priority: number;
  data: object | null;
  retry_limit: number;
  retry_delay: number;
  retry_backoff: boolean;
  start_after: Date;
  singleton_key: string | null;
  expire_seconds: number;
  dead_letter: string | null;
}

interface V10Schedule {
  name: string;
  cron: string;
  timezone: string | null;
  data: object | null;
}

/** Renames a pg-boss 10 schema out of pg-boss's way; true when there was one. Call before `boss.start()`. */
export async function setAsidePgBossV10Schema(connectionString: string): Promise<boolean> {
  return inLockedTransaction(connectionString, async (client) => {
    const version = await schemaVersion(client, SCHEMA);
    if (version === undefined || version > PGBOSS_V10_SCHEMA_VERSION) return false;
    if (version < PGBOSS_V10_SCHEMA_VERSION) {
      throw new Error(`the job queue's schema is pg-boss schema version ${version}, older than pg-boss 10: start Atas's pg-boss 10 release on it once first`);
    }
    if ((await schemaVersion(client, SET_ASIDE_SCHEMA)) !== undefined) {
      throw new Error(`both ${SCHEMA} and ${SET_ASIDE_SCHEMA} hold a pg-boss 10 job queue: keep one`);
    }
    await client.query(`ALTER SCHEMA ${SCHEMA} RENAME TO ${SET_ASIDE_SCHEMA}`);
    return true;
  });
}

/** Moves what a set-aside pg-boss 10 schema holds into the running pg-boss, then drops it. */
export async function importPgBossV10Jobs(boss: PgBoss, connectionString: string, log: Logger): Promise<void> {
  await inLockedTransaction(connectionString, async (client) => {
    if ((await schemaVersion(client, SET_ASIDE_SCHEMA)) === undefined) return;
    const inTransaction = { db: { executeSql: (text: string, values?: unknown[]) => client.query(text, values) } };

    const queues = (await client.query<V10Queue>(`SELECT * FROM ${SET_ASIDE_SCHEMA}.queue`)).rows;
    for (const queue of queues) {
      if (!(await boss.getQueue(queue.name))) await boss.createQueue(queue.name, queueOptionsOf(queue));
    }
    for (const queue of queues) {
      if (queue.dead_letter) await boss.updateQueue(queue.name, { deadLetter: queue.dead_letter });
    }

    const jobs = (
      await client.query<V10Job>(
        `SELECT id, name, priority, data, retry_limit, retry_delay, retry_backoff, start_after, singleton_key,
                EXTRACT(epoch FROM expire_in)::int AS expire_seconds, dead_letter
           FROM ${SET_ASIDE_SCHEMA}.job
          WHERE state < 'completed'
          ORDER BY created_on`,
      )
    ).rows;
    for (const [name, ofQueue] of Map.groupBy(jobs, (job) => job.name)) {
      await boss.insert(name, ofQueue.map(toJobInsert), inTransaction);
    }

    const schedules = (await client.query<V10Schedule>(`SELECT name, cron, timezone, data FROM ${SET_ASIDE_SCHEMA}.schedule`)).rows;
    for (const schedule of schedules) {
      await boss.schedule(schedule.name, schedule.cron, schedule.data, { ...inTransaction, ...(schedule.timezone ? { tz: schedule.timezone } : {}) });
    }

    await client.query(`DROP SCHEMA ${SET_ASIDE_SCHEMA} CASCADE`);
    log.info({ queues: queues.length, jobs: jobs.length, schedules: schedules.length }, 'job queue moved from pg-boss 10 to the current pg-boss');
  });
}

function queueOptionsOf(queue: V10Queue): Omit<Queue, 'name'> {
  return {
    ...(queue.policy ? { policy: queue.policy } : {}),
    ...(queue.retry_limit !== null ? { retryLimit: queue.retry_limit } : {}),
    ...(queue.retry_delay !== null ? { retryDelay: queue.retry_delay } : {}),
    ...(queue.retry_backoff !== null ? { retryBackoff: queue.retry_backoff } : {}),
    ...(queue.expire_seconds ? { expireInSeconds: queue.expire_seconds } : {}),
    ...(queue.retention_minutes ? { retentionSeconds: queue.retention_minutes * 60 } : {}),
  };
}

function toJobInsert(job: V10Job): JobInsert {
  return {
    id: job.id,
    data: job.data ?? {},
    priority: job.priority,
    retryLimit: job.retry_limit,
    retryDelay: job.retry_delay,
    retryBackoff: job.retry_backoff,
    startAfter: job.start_after,
    expireInSeconds: job.expire_seconds,
    ...(job.singleton_key ? { singletonKey: job.singleton_key } : {}),
    ...(job.dead_letter ? { deadLetter: job.dead_letter } : {}),
  };
}

async function schemaVersion(client: pg.Client, schema: string): Promise<number | undefined> {
  const { rows } = await client.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [`${schema}.version`]);
  if (!rows[0]?.exists) return undefined;
  const version = await client.query<{ version: number }>(`SELECT version FROM ${schema}.version`);
  return version.rows[0]?.version;
}

async function inLockedTransaction<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString, application_name: 'atas-jobs-upgrade' });
  client.on('error', () => undefined); // a lost connection fails the statement in flight, which is what reports it
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(${UPGRADE_LOCK})`);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
