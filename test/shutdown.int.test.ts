import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob } from '../src/jobs/job.js';
import { createTestDatabase } from './helpers/database.js';
import { startTestServer } from './helpers/server.js';

describe('graceful shutdown', () => {
  it('stops accepting, then finishes the in-flight request and the running job before closing', async () => {
    const database = await createTestDatabase();
    let jobStarted!: () => void;
    const jobHasStarted = new Promise<void>((resolve) => (jobStarted = resolve));
    let isJobFinished = false;
    const slowJob = defineJob({
      name: 'test-slow-job',
      payloadSchema: z.object({ durationMs: z.number() }),
      handler: async ({ durationMs }) => {
        jobStarted();
        await sleep(durationMs);
        isJobFinished = true;
      },
    });
    const server = await startTestServer({ databaseUrl: database.url, jobs: [slowJob] });

    let requestArrived!: () => void;
    const requestHasArrived = new Promise<void>((resolve) => (requestArrived = resolve));
    server.app!.get('/v1/test/slow', async () => {
      requestArrived();
      await sleep(1000);
      return { finished: true };
    });
    const baseUrl = (await server.listen())!;

    await server.jobs.enqueue(slowJob, { durationMs: 1500 });
    await jobHasStarted;
    const inFlight = fetch(`${baseUrl}/v1/test/slow`);
    await requestHasArrived;

    const stopped = server.stop();
    await sleep(100);
    const late = await fetch(`${baseUrl}/v1/health/live`).then(
      (response) => response.status,
      () => 'refused',
    );
    expect(late).not.toBe(200);

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ finished: true });

    await stopped;
    expect(isJobFinished).toBe(true);
    await database.drop();
  });

  it('closes a connection that never sent a request, rather than waiting for Node to time it out', async () => {
    const database = await createTestDatabase();
    const server = await startTestServer({ databaseUrl: database.url });
    const { port } = new URL((await server.listen())!);
    const silent = net.connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => silent.once('connect', resolve));
    const closedByServer = new Promise((resolve) => silent.once('close', resolve));
    await server.stop(); // without the close, this waits for Node's 60 s headers timeout
    await closedByServer;
    expect(silent.bytesRead).toBe(0);
    await database.drop();
  });
});
