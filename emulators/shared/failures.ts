import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';

export interface PlannedFailure {
  /** An HTTP status (401, 404, 429, 5xx); or, with `kind`, a broken answer. */
  status?: number;
  /** `reset`: the connection is dropped without an answer; `invalid-json`: 200 with a body that is not JSON. */
  kind?: 'reset' | 'invalid-json';
  /** How many requests in a row fail; 1 unless said. */
  times?: number;
  retryAfterSec?: number;
  body?: unknown;
}

/**
 * Failure switches every emulator shares: the next requests fail with a status (401, 404,
 * 429 with Retry-After, 5xx), lose their connection, get a body that is not JSON, or are answered
 * slowly. `appliesTo` says which URLs they touch.
 */
export function installFailureSwitches(app: FastifyInstance, options: { appliesTo: (url: string) => boolean }) {
  const planned: PlannedFailure[] = [];
  let latencyMs = 0;

  app.addHook('onRequest', async (request, reply) => {
    if (!options.appliesTo(request.url)) return;
    // A planned failure goes to the next request to arrive, taken before the latency: a slow
    // request still waiting from earlier must not take a failure planned after it arrived.
    const failure = planned[0];
    if (failure) {
      failure.times = (failure.times ?? 1) - 1;
      if (failure.times <= 0) planned.shift();
    }
    if (latencyMs > 0) await sleep(latencyMs);
    if (!failure) return;
    if (failure.kind === 'reset') {
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (failure.kind === 'invalid-json') return reply.status(200).header('content-type', 'application/json').send('{"id": 1, "truncated');
    if (failure.retryAfterSec !== undefined) void reply.header('retry-after', String(failure.retryAfterSec));
    const status = failure.status ?? 500;
    return reply.status(status).send(failure.body ?? { code: status, message: `Emulated failure ${status}` });
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
