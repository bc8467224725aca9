import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { AppError } from './errors.js';

export type RouteLimiter = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

const tooManyRequests = (retryAfterSec: number) =>
  new AppError('rate_limited', `Too many requests; retry in ${retryAfterSec} s`, { retryAfterSec });

/**
 * The global limit: RATE_LIMIT_MAX_REQUESTS per RATE_LIMIT_WINDOW_MS per user (per IP when
 * anonymous), counted in Redis when configured so every instance shares the counters, in
 * process otherwise. Routes opt out with `config: { rateLimit: false }`. Headers follow the
 * IETF draft (RateLimit-Limit, -Remaining, -Reset) plus Retry-After on a 429.
 */
export async function registerGlobalRateLimit(
  app: FastifyInstance,
  options: { max: number; windowMs: number; redis?: Redis; userIdOf: (request: FastifyRequest) => Promise<string | undefined> },
) {
  await app.register(rateLimit, {
    global: true,
    max: options.max,
    timeWindow: options.windowMs,
    ...(options.redis ? { redis: options.redis } : {}),
    nameSpace: 'atas:rate-limit:',
    // A Redis outage must not take the API down with it: requests pass uncounted meanwhile.
    skipOnError: true,
    enableDraftSpec: true,
    keyGenerator: async (request) => {
      const userId = await options.userIdOf(request);
      return userId ? `user:${userId}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) => tooManyRequests(Math.ceil(context.ttl / 1000)),
  });
}

/** A limit of its own for one kind of request, counted on top of the global one. */
export function createRouteLimiter(
  app: FastifyInstance,
  options: { name: string; max: number; windowMs: number; keyOf: (request: FastifyRequest) => string },
): RouteLimiter {
  const check = app.createRateLimit({
    max: options.max,
    timeWindow: options.windowMs,
    keyGenerator: (request) => `${options.name}:${options.keyOf(request)}`,
  });
  return async (request, reply) => {
    const result = await check(request);
    if (result.isAllowed || !result.isExceeded) return;
    void reply.headers({
      'ratelimit-limit': result.max,
      'ratelimit-remaining': 0,
      'ratelimit-reset': result.ttlInSeconds,
      'retry-after': result.ttlInSeconds,
    });
    throw tooManyRequests(result.ttlInSeconds);
  };
}
