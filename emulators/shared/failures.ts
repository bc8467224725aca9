import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';

export interface PlannedFailure {
  status: number;
  /** How many requests in a row fail; 1 unless said. */
  times?: number;
  retryAfterSec?: number;
  body?: unknown;
}

/**
 * Failure switches every emulator shares: the next requests fail with a status (401, 404,
 * 429 with Retry-After, 5xx) or are answered slowly. `appliesTo` says which URLs they touch.
 */
export function installFailureSwitches(app: FastifyInstance, options: { appliesTo: (url: string) => boolean }) {
  const planned: PlannedFailure[] = [];
  let latencyMs = 0;

  app.addHook('onRequest', async (request, reply) => {
    if (!options.appliesTo(request.url)) return;
    if (latencyMs > 0) await sleep(latencyMs);
    const failure = planned[0];
    if (!failure) return;
    failure.times = (failure.times ?? 1) - 1;
    if (failure.times <= 0) planned.shift();
    if (failure.retryAfterSec !== undefined) void reply.header('retry-after', String(failure.retryAfterSec));
    return reply.status(failure.status).send(failure.body ?? { code: failure.status, message: `Emulated failure ${failure.status}` });
  });

  return {
    failNext(failure: PlannedFailure) {
      planned.push({ ...failure });
    },
    setLatency(ms: number) {
      latencyMs = ms;
    },
    reset() {
      planned.length = 0;
      latencyMs = 0;
    },
  };
}
