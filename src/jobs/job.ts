import type { z } from 'zod';
import type { Logger } from '../lib/logger.js';
import { ProviderError } from '../providers/provider-error.js';

export interface JobContext {
  jobId: string;
  log: Logger;
  /** No retry follows a failure of this run: the handler should leave a visible final state. */
  isLastAttempt: boolean;
}

/**
 * A background job: its payload is validated when it is enqueued and again when it runs.
 * Handlers must be idempotent (a job can run again after a crash or a retry): look at stored
 * state before any side effect.
 */
export interface JobDefinition<Payload = unknown> {
  name: string;
  payloadSchema: z.ZodType<Payload>;
  handler: (payload: Payload, context: JobContext) => Promise<void>;
  /** Attempts after the first; failures wait retryDelaySec, doubling each time. Default 5 and 10 s. */
  retryLimit?: number;
  retryDelaySec?: number;
  expireInSeconds?: number;
  /**
   * How many of this queue's jobs one process runs at once: `workers` fetch loops (default 1),
   * each running up to `batchSize` jobs together (default 5, at least 2). A full batch is followed
   * at once by the next fetch, so a backlog drains without waiting for a poll; a job enqueued
   * while the loops idle wakes them (LISTEN/NOTIFY). A loop waits for the slowest job of its batch:
   * a queue whose jobs can be slow has several loops, so one slow job never holds the others.
   */
  workers?: number;
  batchSize?: number;
  /**
   * While a job runs its worker says so this often; a job whose worker died (a crash, a kill) is
   * retried within ~this many seconds plus the queue's 10 s monitor, instead of at its expiry.
   */
  heartbeatSeconds?: number;
}

export function defineJob<Schema extends z.ZodType>(definition: {
  name: string;
  payloadSchema: Schema;
  handler: (payload: z.output<Schema>, context: JobContext) => Promise<void>;
  retryLimit?: number;
  retryDelaySec?: number;
  expireInSeconds?: number;
  workers?: number;
  batchSize?: number;
  heartbeatSeconds?: number;
}): JobDefinition<z.output<Schema>> {
  return definition as JobDefinition<z.output<Schema>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a list of jobs whose payloads differ
export type AnyJobDefinition = JobDefinition<any>;

/**
 * For a handler's catch: a failure worth retrying (a provider's 429, 5xx or network error) is
 * rethrown while attempts remain, so the queue retries it; any other, or the last, is recorded
 * by `recordFailure` and the job ends there, visibly.
 */
export async function retryOrRecordFailure(error: unknown, context: JobContext, recordFailure: () => Promise<void>): Promise<void> {
  const retryable = error instanceof ProviderError && error.retryable;
  if (retryable && !context.isLastAttempt) throw error;
  context.log.warn({ err: error }, 'job failed for good');
  await recordFailure();
}
