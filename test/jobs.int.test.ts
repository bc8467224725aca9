import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob } from '../src/jobs/job.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { startTestServer } from './helpers/server.js';

const poll = { timeout: 15_000, interval: 50 };

describe('jobs', () => {
  let database: TestDatabase;
  let server: Server;
  const received: string[] = [];
  let failingAttempts = 0;

  const recordJob = defineJob({
    name: 'test-record',
    payloadSchema: z.object({ label: z.string().min(1) }),
    handler: async ({ label }) => {
      received.push(label);
    },
  });
  const failingJob = defineJob({
    name: 'test-failing',
    payloadSchema: z.object({}),
    retryLimit: 1,
    retryDelaySec: 1,
    handler: async () => {
      failingAttempts++;
      throw new Error('provider unavailable');
    },
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, role: 'worker', jobs: [recordJob, failingJob] });
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  it('a job enqueued in a transaction exists only if the transaction commits', async () => {
    await expect(
      server.database.transaction(async ({ client }) => {
        await server.jobs.enqueue(recordJob, { label: 'rolled-back' }, { client });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');

    await server.database.transaction(async ({ client }) => {
      await server.jobs.enqueue(recordJob, { label: 'committed' }, { client });
    });

    await expect.poll(() => received, poll).toContain('committed');
    expect(received).toEqual(['committed']);
    // The queue holds the committed job alone: the rolled-back one was never there to run.
    const { rows } = await server.database.pool.query<{ label: string }>("SELECT data->>'label' AS label FROM pgboss.job WHERE name = $1", [recordJob.name]);
    expect(rows).toEqual([{ label: 'committed' }]);
  });

  it('validates the payload when it is enqueued', async () => {
    await expect(server.jobs.enqueue(recordJob, { label: '' })).rejects.toThrow(z.ZodError);
  });

  it('retries a failing job with backoff and ends it visibly failed', async () => {
    const jobId = await server.jobs.enqueue(failingJob, {});
    const stateOf = async () =>
      (await server.database.pool.query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [jobId])).rows[0]?.state;
    await expect.poll(stateOf, poll).toBe('failed');
    expect(failingAttempts).toBe(2);
  });
});

describe('job workers: woken by new jobs, batches run concurrently, one job never holds the others', () => {
  let database: TestDatabase;
  let server: Server;
  const done: string[] = [];
  let releaseSlowJob!: () => void;
  const slowJobReleased = new Promise<void>((resolve) => (releaseSlowJob = resolve));

  const batchJob = defineJob({
    name: 'test-batch',
    payloadSchema: z.object({ label: z.string(), outcome: z.enum(['ok', 'fail', 'wait']) }),
    retryLimit: 0,
    workers: 2,
    batchSize: 4,
    handler: async ({ label, outcome }) => {
      if (outcome === 'fail') throw new Error(`${label} failed`);
      if (outcome === 'wait') await slowJobReleased;
      done.push(label);
    },
  });
  const stateOf = async (id: string | null) =>
    (await server.database.pool.query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [id])).rows[0]?.state;

  beforeAll(async () => {
    database = await createTestDatabase();
    // Polls so rare that only a wake-up on enqueue, and fetching again after a full batch, can pass these tests.
    server = await startTestServer({ databaseUrl: database.url, role: 'worker', jobs: [batchJob], jobPollingIntervalSec: 60 });
    await sleep(500); // the workers' first fetch, on an empty queue, is behind them
  });
  afterAll(async () => {
    releaseSlowJob();
    await server.stop();
    await database.drop();
  });

  it('starts a job enqueued while the workers idle without waiting for a poll', async () => {
    await server.jobs.enqueue(batchJob, { label: 'woken', outcome: 'ok' });
    await expect.poll(() => done, poll).toContain('woken');
  });

  it('drains a backlog at once, batch after batch', async () => {
    const labels = Array.from({ length: 40 }, (_, index) => `backlog-${index}`);
    await server.database.transaction(async ({ client }) => {
      for (const label of labels) await server.jobs.enqueue(batchJob, { label, outcome: 'ok' }, { client });
    });
    await expect.poll(() => labels.filter((label) => !done.includes(label)), poll).toEqual([]);
  });

  it('fails only the job that failed, and a slow job holds back none of the others', async () => {
    const slow = await server.jobs.enqueue(batchJob, { label: 'slow', outcome: 'wait' });
    await expect.poll(() => stateOf(slow), poll).toBe('active');
    const failing = await server.jobs.enqueue(batchJob, { label: 'failing', outcome: 'fail' });
    const others = ['after-slow-1', 'after-slow-2', 'after-slow-3'];
    for (const label of others) await server.jobs.enqueue(batchJob, { label, outcome: 'ok' });

    await expect.poll(() => others.filter((label) => !done.includes(label)), poll).toEqual([]);
    await expect.poll(() => stateOf(failing), poll).toBe('failed');
    expect(await stateOf(slow)).toBe('active');
    releaseSlowJob();
    await expect.poll(() => stateOf(slow), poll).toBe('completed');
  });
});
