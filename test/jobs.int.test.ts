import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob } from '../src/jobs/job.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { startTestServer } from './helpers/server.js';

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
}

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

    await waitFor(() => received.includes('committed'));
    await sleep(1500); // two more polls: the rolled-back job would have run by now
    expect(received).toEqual(['committed']);
  });

  it('validates the payload when it is enqueued', async () => {
    await expect(server.jobs.enqueue(recordJob, { label: '' })).rejects.toThrow(z.ZodError);
  });

  it('retries a failing job with backoff and ends it visibly failed', async () => {
    const jobId = await server.jobs.enqueue(failingJob, {});
    const stateOf = async () =>
      (await server.database.pool.query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [jobId])).rows[0]?.state;
    await waitFor(async () => (await stateOf()) === 'failed', 15_000);
    expect(failingAttempts).toBe(2);
  });
});
