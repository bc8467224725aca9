import type { Redis } from 'ioredis';
import type { Logger } from './logger.js';

/** ioredis (~20 MB) is loaded only by a process configured with REDIS_URL. */
export async function connectRedis(options: { url: string; password?: string; log: Logger }): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(options.url, {
    ...(options.password ? { password: options.password } : {}),
    connectTimeout: 2000,
    maxRetriesPerRequest: 1,
    // Fail fast while disconnected instead of queueing: callers decide what a missing Redis means.
    enableOfflineQueue: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
  });
  let reported = false;
  redis.on('error', (error) => {
    if (!reported) options.log.warn({ err: error }, 'redis unavailable');
    reported = true;
  });
  redis.on('ready', () => (reported = false));
  return redis;
}
