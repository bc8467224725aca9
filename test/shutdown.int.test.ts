import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect } from 'vitest';
import { z } from 'zod';
import { defineJob } from '../src/jobs/job.js';
import { test } from './helpers/fixtures.js';

describe('graceful shutdown', () => {
  test('stops accepting, then finishes the in-flight request and the running job before closing', async ({ startServer }) => {
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
    const server = await startServer({ jobs: [slowJob] });

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
    let isInFlightAnswered = false;
    const inFlight = fetch(`${baseUrl}/v1/test/slow`).finally(() => (isInFlightAnswered = true));
    await requestHasArrived;

    const stopped = server.stop();
    const late = () =>
      fetch(`${baseUrl}/v1/health/live`).then(
        (response) => response.status,
        () => 'refused',
      );
    await expect.poll(late, { timeout: 5000, interval: 20 }).toBe('refused');
    expect(isInFlightAnswered).toBe(false); // refused while the request in flight was still being served

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ finished: true });

    await stopped;
    expect(isJobFinished).toBe(true);
  });

  test('closes a connection that never sent a request, rather than waiting for Node to time it out', async ({ startServer }) => {
    const server = await startServer();
    const { port } = new URL((await server.listen())!);
    const silent = net.connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => silent.once('connect', resolve));
    const closedByServer = new Promise((resolve) => silent.once('close', resolve));
    await server.stop(); // without the close, this waits for Node's 60 s headers timeout
    await closedByServer;
    expect(silent.bytesRead).toBe(0);
  });
});
