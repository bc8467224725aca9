import { PgBoss } from 'pg-boss';
import type pg from 'pg';
import type { Logger } from '../lib/logger.js';
import type { AnyJobDefinition, JobDefinition } from './job.js';
import { importPgBossV10Jobs, setAsidePgBossV10Schema } from './pgboss-v10-upgrade.js';

export interface EnqueueOptions {
  /** The transaction's client: the job exists only if that transaction commits. */
  client?: pg.PoolClient;
  startAfter?: Date | number;
  singletonKey?: string;
}

export interface JobQueue {
  enqueue<Payload>(job: JobDefinition<Payload>, payload: Payload, options?: EnqueueOptions): Promise<string | null>;
  /** Creates (or updates) the queues of `definitions`: needed before jobs are enqueued. */
  register(definitions: readonly AnyJobDefinition[]): Promise<void>;
  /** Starts consuming the queues of `definitions` in this process (the worker role). */
  work(definitions: readonly AnyJobDefinition[]): Promise<void>;
  /** Runs `job` on a cron schedule (UTC), from whichever instance's clock fires first; once per tick. */
  schedule(job: AnyJobDefinition, cron: string): Promise<void>;
  /** Stops fetching, waits for running jobs up to `timeoutMs`, closes the queue's connections. */
  stop(timeoutMs: number): Promise<void>;
}

const DEFAULT_RETRY_LIMIT = 5;
const DEFAULT_RETRY_DELAY_SEC = 10;

/** pg-boss on our own database: its tables live in the `pgboss` schema. */
export async function startJobQueue(options: { url: string; log: Logger; pollingIntervalSec?: number }): Promise<JobQueue> {
  const { log } = options;
  const boss = new PgBoss({ connectionString: options.url, max: 4, application_name: 'atas-jobs' });
  boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
  // pg-boss 12 reports what an operator should hear of: slow queries, backlogs, clock skew.
  boss.on('warning', (warning) => log.warn({ detail: warning.data }, `job queue: ${warning.message}`));
  await setAsidePgBossV10Schema(options.url);
  await boss.start();
  await importPgBossV10Jobs(boss, options.url, log);

  return {
    async register(definitions) {
      for (const definition of definitions) {
        const queue = {
          name: definition.name,
          retryLimit: definition.retryLimit ?? DEFAULT_RETRY_LIMIT,
          retryDelay: definition.retryDelaySec ?? DEFAULT_RETRY_DELAY_SEC,
          retryBackoff: true,
          ...(definition.expireInSeconds ? { expireInSeconds: definition.expireInSeconds } : {}),
        };
        await boss.createQueue(definition.name, queue);
        await boss.updateQueue(definition.name, queue);
      }
    },

    async enqueue(job, payload, enqueueOptions = {}) {
      const data = job.payloadSchema.parse(payload) as object;
      const { client, ...sendOptions } = enqueueOptions;
      return boss.send(job.name, data, {
        ...sendOptions,
        ...(client ? { db: { executeSql: (text: string, values: unknown[]) => client.query(text, values) } } : {}),
      });
    },

    async work(definitions) {
      for (const definition of definitions) {
        await boss.work(
          definition.name,
          { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSec ?? 2, includeMetadata: true },
          async ([job]) => {
            if (!job) return;
            const jobLog = log.child({ job: definition.name, jobId: job.id });
            const payload: unknown = definition.payloadSchema.parse(job.data);
            await definition.handler(payload, { jobId: job.id, log: jobLog, isLastAttempt: job.retryCount >= job.retryLimit });
          },
        );
      }
    },

    async schedule(job, cron) {
      await boss.schedule(job.name, cron, {}, { tz: 'UTC' });
    },

    async stop(timeoutMs) {
      await boss.stop({ graceful: true, close: true, timeout: timeoutMs });
    },
  };
}
