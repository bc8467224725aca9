import { PgBoss, type JobResult, type JobWithMetadata } from 'pg-boss';
import type pg from 'pg';
import type { Logger } from '../lib/logger.js';
import { currentTraceFields, runInJobTrace, type TraceFields } from '../lib/trace-context.js';
import type { AnyJobDefinition, JobDefinition } from './job.js';
import { importPgBossV10Jobs, setAsidePgBossV10Schema } from './pgboss-v10-upgrade.js';

export interface EnqueueOptions {
  /** The transaction's client: the job exists only if that transaction commits. */
  client?: pg.PoolClient;
  startAfter?: Date | number;
  singletonKey?: string;
}

export interface JobQueue {
  enqueue<Payload>(job: JobDefinition<Payload>, payload: NoInfer<Payload>, options?: EnqueueOptions): Promise<string | null>;
  /** Many jobs of one kind in one statement (in `client`'s transaction when given). */
  enqueueMany<Payload>(job: JobDefinition<Payload>, payloads: NoInfer<Payload>[], options?: Pick<EnqueueOptions, 'client'>): Promise<void>;
  /** Creates (or updates) the queues of `definitions`: needed before jobs are enqueued. */
  register(definitions: readonly AnyJobDefinition[]): Promise<void>;
  /** Starts consuming the queues of `definitions` in this process (the worker role). */
  work(definitions: readonly AnyJobDefinition[]): Promise<void>;
  /** Runs `job` on a cron schedule (UTC), from whichever instance's clock fires first; once per tick. */
  schedule(job: AnyJobDefinition, cron: string): Promise<void>;
  /** Stops fetching, waits for running jobs up to `timeoutMs`, closes the queue's connections. */
  stop(timeoutMs: number): Promise<void>;
  /** Every queue's jobs by state, read from the database: the same answer from every instance. */
  stats(): Promise<QueueStats[]>;
}

export interface QueueStats {
  queue: string;
  /** Ready to run, not yet picked up. */
  waiting: number;
  /** Waiting for their time: a retry's backoff, a delayed start. */
  deferred: number;
  active: number;
  /** Failed for good and still kept (pg-boss deletes finished jobs after its retention). */
  failed: number;
  /** How long the job waiting longest has been ready to run; 0 when none waits. */
  oldestWaitingSec: number;
}

const DEFAULT_RETRY_LIMIT = 5;
const DEFAULT_RETRY_DELAY_SEC = 10;
const DEFAULT_WORKERS = 1;
const DEFAULT_BATCH_SIZE = 5;

/** pg-boss on our own database: its tables live in the `pgboss` schema. */
export async function startJobQueue(options: { url: string; log: Logger; pollingIntervalSec?: number }): Promise<JobQueue> {
  const { log } = options;
  const pollingIntervalSeconds = options.pollingIntervalSec ?? 2;
  // LISTEN/NOTIFY wakes idle workers the moment a job is committed; polling stays as the floor
  // (and is how retries and delayed jobs, which send no notification, are found).
  // Its own pool: fetching, completing and the queues' LISTEN connection; 4 held the workers back.
  // Every 10 s (not pg-boss's 60): expired jobs and those whose worker stopped its heartbeat come back that soon.
  const boss = new PgBoss({ connectionString: options.url, max: 8, application_name: 'atas-jobs', useListenNotify: true, monitorIntervalSeconds: 10, superviseIntervalSeconds: 10 });
  boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
  // pg-boss 12 reports what an operator should hear of: slow queries, backlogs, clock skew.
  boss.on('warning', (warning) => log.warn({ detail: warning.data }, `job queue: ${warning.message}`));
  await setAsidePgBossV10Schema(options.url);
  await boss.start();
  await importPgBossV10Jobs(boss, options.url, log);

  /** One job of a batch: its failure fails (and retries) that job alone. */
  async function run(definition: AnyJobDefinition, job: JobWithMetadata<unknown>): Promise<JobResult> {
    const { payload: data, trace } = withoutTraceFields(job.data);
    const jobLog = log.child({ job: definition.name, jobId: job.id, ...(trace.requestId ? { requestId: trace.requestId } : {}) });
    try {
      await runInJobTrace(definition.name, trace, { 'messaging.system': 'pg-boss', 'messaging.destination.name': definition.name, 'messaging.message.id': job.id }, async () => {
        const payload: unknown = definition.payloadSchema.parse(data);
        await definition.handler(payload, { jobId: job.id, log: jobLog, isLastAttempt: job.retryCount >= job.retryLimit });
      });
      return { id: job.id, status: 'completed' };
    } catch (error) {
      jobLog.warn({ err: error, attempt: job.retryCount + 1 }, 'job attempt failed');
      return { id: job.id, status: 'failed', output: { message: error instanceof Error ? error.message : String(error) } };
    }
  }

  return {
    async register(definitions) {
      for (const definition of definitions) {
        const queue = {
          name: definition.name,
          retryLimit: definition.retryLimit ?? DEFAULT_RETRY_LIMIT,
          retryDelay: definition.retryDelaySec ?? DEFAULT_RETRY_DELAY_SEC,
          retryBackoff: true,
          notify: true,
          ...(definition.expireInSeconds ? { expireInSeconds: definition.expireInSeconds } : {}),
          ...(definition.heartbeatSeconds ? { heartbeatSeconds: definition.heartbeatSeconds } : {}),
        };
        await boss.createQueue(definition.name, queue);
        await boss.updateQueue(definition.name, queue);
      }
    },

    async enqueue(job, payload, enqueueOptions = {}) {
      const data = withTraceFields(job.payloadSchema.parse(payload) as object, currentTraceFields());
      const { client, ...sendOptions } = enqueueOptions;
      return boss.send(job.name, data, { ...sendOptions, ...inTransactionOf(client) });
    },

    async enqueueMany(job, payloads, { client } = {}) {
      if (payloads.length === 0) return;
      const trace = currentTraceFields();
      await boss.insert(
        job.name,
        payloads.map((payload) => ({ data: withTraceFields(job.payloadSchema.parse(payload) as object, trace) })),
        inTransactionOf(client),
      );
    },

    async work(definitions) {
      for (const definition of definitions) {
        const batchSize = definition.batchSize ?? DEFAULT_BATCH_SIZE;
        // pg-boss fetches again at once only after a full batch of two or more.
        if (batchSize < 2) throw new Error(`job ${definition.name}: batchSize must be at least 2`);
        await boss.work(
          definition.name,
          {
            batchSize,
            localConcurrency: definition.workers ?? DEFAULT_WORKERS,
            burstWhenBatchFull: true,
            perJobResults: true,
            includeMetadata: true,
            pollingIntervalSeconds,
            notifyPollingIntervalSeconds: pollingIntervalSeconds,
          },
          (batch) => Promise.all(batch.map((job) => run(definition, job))),
        );
      }
    },

    async schedule(job, cron) {
      await boss.schedule(job.name, cron, {}, { tz: 'UTC' });
    },

    async stop(timeoutMs) {
      await boss.stop({ graceful: true, close: true, timeout: timeoutMs });
    },

    async stats() {
      // Live jobs only (job_i14 covers name, state, blocked and start_after for them): the
      // completed ones, most of the table, are never read.
      type Row = { name: string; waiting: string; deferred: string; active: string; failed: string; oldest_waiting_sec: number | null };
      const { rows }: { rows: Row[] } = await boss.getDb().executeSql(
        `SELECT q.name,
                count(j.id) FILTER (WHERE j.state IN ('created', 'retry') AND NOT j.blocked AND j.start_after <= now()) AS waiting,
                count(j.id) FILTER (WHERE j.state IN ('created', 'retry') AND (j.blocked OR j.start_after > now())) AS deferred,
                count(j.id) FILTER (WHERE j.state = 'active') AS active,
                count(j.id) FILTER (WHERE j.state = 'failed') AS failed,
                extract(epoch FROM now() - min(j.start_after) FILTER (WHERE j.state IN ('created', 'retry') AND NOT j.blocked AND j.start_after <= now()))::float8 AS oldest_waiting_sec
           FROM pgboss.queue q
           LEFT JOIN pgboss.job j ON j.name = q.name AND j.state IN ('created', 'retry', 'active', 'failed')
          GROUP BY q.name
          ORDER BY q.name`,
      );
      return rows.map((row) => ({
        queue: row.name,
        waiting: Number(row.waiting),
        deferred: Number(row.deferred),
        active: Number(row.active),
        failed: Number(row.failed),
        oldestWaitingSec: Math.max(0, row.oldest_waiting_sec ?? 0),
      }));
    },
  };
}

/**
 * Where a job's data carries the enqueuing request's id and trace context: one reserved field
 * beside the payload, added here and taken off before the payload is validated, so no job's
 * schema knows of it.
 */
const TRACE_FIELD = '_trace';

function withTraceFields(data: object, trace: TraceFields): object {
  if (Object.keys(trace).length === 0 || Array.isArray(data)) return data;
  return { ...data, [TRACE_FIELD]: trace };
}

function withoutTraceFields(data: unknown): { payload: unknown; trace: TraceFields } {
  if (typeof data !== 'object' || data === null || !(TRACE_FIELD in data)) return { payload: data, trace: {} };
  const { [TRACE_FIELD]: carried, ...payload } = data as Record<string, unknown>;
  const trace: TraceFields = {};
  if (typeof carried === 'object' && carried !== null) {
    for (const key of ['requestId', 'traceparent', 'tracestate'] as const) {
      const value = (carried as Record<string, unknown>)[key];
      if (typeof value === 'string' && value.length <= 512) trace[key] = value;
    }
  }
  return { payload, trace };
}

/** pg-boss's option to run its statement on our transaction's connection. */
function inTransactionOf(client: pg.PoolClient | undefined) {
  return client ? { db: { executeSql: (text: string, values: unknown[]) => client.query(text, values) } } : {};
}
