import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../../db/client.js';
import { envelopeStatuses, meetingStatuses, outboundEmailStatuses, webhookProviders } from '../../db/schema.js';
import { emailKinds } from '../../i18n/email-kinds.js';
import type { JobQueue, QueueStats } from '../../jobs/queue.js';
import type { Logger } from '../../lib/logger.js';
import { readBusinessCounts, type BusinessCounts } from './metrics.repo.js';

const READ_TIMEOUT_MS = 2000;

interface Snapshot {
  counts: BusinessCounts;
  queues: QueueStats[];
}

/** How long one read of the database serves the scrapes that follow it (per process). */
export const DATABASE_METRICS_CACHE_MS = 10_000;

/**
 * The business metrics, read from PostgreSQL: every instance reports the same numbers (aggregate
 * them with max(), not sum()). They are gauges, not counters: rows are deleted (an account is
 * deleted with its meetings, retention deletes applied and dismissed webhook events), so the
 * numbers can go down. One read serves every gauge of a scrape (prom-client collects them
 * concurrently), concurrent scrapes, and the scrapes of the next `cacheMs` (default
 * DATABASE_METRICS_CACHE_MS): some counts scan their table (meetings by status has no index), so
 * scrapes, however frequent, read the database at most once per `cacheMs` per process. A failed
 * read is not kept: the next scrape tries again.
 */
export function registerDatabaseMetrics(registry: Registry, deps: { database: Database; jobs: Pick<JobQueue, 'stats'>; log: Logger; cacheMs?: number; now?: () => number }) {
  const cacheMs = deps.cacheMs ?? DATABASE_METRICS_CACHE_MS;
  const now = deps.now ?? (() => performance.now());
  let reading: Promise<Snapshot | undefined> | undefined;
  let kept: { snapshot: Snapshot; readAt: number } | undefined;
  const snapshot = (): Promise<Snapshot | undefined> => {
    if (kept && now() - kept.readAt < cacheMs) return Promise.resolve(kept.snapshot);
    return (reading ??= Promise.all([readBusinessCounts(deps.database.pool, READ_TIMEOUT_MS), deps.jobs.stats()])
      .then(([counts, queues]) => {
        const read = { counts, queues };
        kept = { snapshot: read, readAt: now() };
        return read;
      })
      .catch((error: unknown) => {
        deps.log.warn({ err: error }, 'business metrics could not be read from the database');
        return undefined;
      })
      .finally(() => (reading = undefined)));
  };

  function gauge<Label extends string>(name: string, help: string, labelNames: readonly Label[], fill: (set: (labels: Record<Label, string>, value: number) => void, snapshot: Snapshot) => void) {
    return new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const read = await snapshot();
        this.reset();
        if (read) fill((labels, value) => this.set(labels, value), read);
      },
    });
  }
  /** Every known value present (0 when no row has it), so a series does not vanish when its last row goes. */
  const withZeros = <Key extends string>(known: readonly Key[], rows: { key: string; count: number }[]) =>
    new Map<string, number>([...known.map((key): [string, number] => [key, 0]), ...rows.map((row): [string, number] => [row.key, row.count])]);

  new Gauge({
    name: 'database_metrics_up',
    help: 'Whether the last scrape read the business metrics from the database (1) or failed to (0)',
    registers: [registry],
    async collect() {
      this.set((await snapshot()) ? 1 : 0);
    },
  });
  gauge('meetings', 'Meetings stored, by status (database)', ['status'], (set, { counts }) => {
    for (const [status, count] of withZeros(meetingStatuses, counts.meetingsByStatus.map((row) => ({ key: row.status, count: row.count })))) set({ status }, count);
  });
  // "minutes" would read as a unit (promtool's lint): the product's word for the document is "ata".
  gauge('ata_generations', 'Minutes generations that succeeded or failed (audit log), and those in progress (database)', ['outcome'], (set, { counts }) => {
    for (const [outcome, count] of withZeros(['succeeded', 'failed', 'in_progress'], counts.generationsByOutcome.map((row) => ({ key: row.outcome, count: row.count })))) set({ outcome }, count);
  });
  gauge('envelopes', 'DocuSign envelopes stored, by status (database)', ['status'], (set, { counts }) => {
    for (const [status, count] of withZeros(envelopeStatuses, counts.envelopesByStatus.map((row) => ({ key: row.status, count: row.count })))) set({ status }, count);
  });
  gauge('webhook_events', 'Provider events stored, by provider, event type and outcome: processed, dismissed (by an admin), failed (an attempt failed) or pending (database)', ['provider', 'type', 'outcome'], (set, { counts }) => {
    for (const row of counts.webhookEvents) set({ provider: row.provider, type: row.type, outcome: row.outcome }, row.count);
  });
  gauge('webhook_processing_lag_seconds', 'Age of the oldest provider event received and not yet processed nor dismissed, per provider; 0 when none waits (database)', ['provider'], (set, { counts }) => {
    const lag = new Map(counts.webhookLagSec.map((row) => [row.provider, row.seconds]));
    for (const provider of webhookProviders) set({ provider }, lag.get(provider) ?? 0);
  });
  gauge('emails', 'Notification e-mails by kind and status: pending (to send, or waiting to retry a temporary failure), sent, failed (refused, or out of retries); kept EMAIL_RETENTION_DAYS once ended (database)', ['kind', 'status'], (set, { counts }) => {
    const stored = new Map(counts.emails.map((row) => [`${row.kind} ${row.status}`, row.count]));
    for (const kind of emailKinds) for (const status of outboundEmailStatuses) set({ kind, status }, stored.get(`${kind} ${status}`) ?? 0);
  });
  gauge('job_queue_jobs', 'Jobs per queue and state: waiting (ready), deferred (retry backoff, delayed start), active, failed (kept until deleted) (database)', ['queue', 'state'], (set, { queues }) => {
    for (const queue of queues) {
      for (const state of ['waiting', 'deferred', 'active', 'failed'] as const) set({ queue: queue.queue, state }, queue[state]);
    }
  });
  gauge('job_queue_oldest_waiting_seconds', 'How long the job waiting longest in each queue has been ready to run; 0 when none waits (database)', ['queue'], (set, { queues }) => {
    for (const queue of queues) set({ queue: queue.queue }, queue.oldestWaitingSec);
  });
}
