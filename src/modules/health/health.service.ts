import type { Redis } from 'ioredis';
import type { Database } from '../../db/client.js';
import { settleWithin } from '../../lib/timeout.js';
import type { Health, ServiceStatus } from './health.schemas.js';

export interface HealthService {
  check(): Promise<{ health: Health; isDatabaseUp: boolean }>;
  isReady(): Promise<boolean>;
}

const PROBE_TIMEOUT_MS = 2000;

/**
 * The database decides up or down (nothing works without it); Redis and the providers only
 * degrade the service. `providerStatuses` reports each provider's state without calling it.
 */
export function createHealthService(deps: {
  database: Database;
  redis?: Redis;
  providerStatuses: () => Pick<Health['services'], 'zoom' | 'docusign' | 'openai'>;
  isShuttingDown: () => boolean;
}): HealthService {
  async function redisStatus(): Promise<ServiceStatus> {
    if (!deps.redis) return 'not_configured';
    const ping = deps.redis.ping().then(
      (): ServiceStatus => 'ok',
      (): ServiceStatus => 'down',
    );
    return settleWithin(ping, PROBE_TIMEOUT_MS, 'down');
  }

  return {
    async check() {
      const [isDatabaseUp, redis] = await Promise.all([deps.database.isReachable(PROBE_TIMEOUT_MS), redisStatus()]);
      const services = { database: isDatabaseUp ? 'ok' : 'down', redis, ...deps.providerStatuses() } satisfies Health['services'];
      const isDegraded = Object.values(services).includes('down');
      return {
        isDatabaseUp,
        health: {
          status: !isDatabaseUp ? 'down' : isDegraded ? 'degraded' : 'ok',
          timestamp: new Date().toISOString(),
          services,
        },
      };
    },
    async isReady() {
      return !deps.isShuttingDown() && (await deps.database.isReachable(PROBE_TIMEOUT_MS));
    },
  };
}
