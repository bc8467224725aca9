import type { Redis } from 'ioredis';
import pTimeout from 'p-timeout';
import type { Database } from '../../db/client.js';
import type { EmailStatus, Health, ServiceStatus } from './health.schemas.js';

/** The database decides up or down (nothing works without it); Redis and the providers only degrade the service; e-mail's mode is told, never degrades it. */
export interface HealthService {
  /** Each dependency's state and the overall status, probing the database and Redis (2 s at most each). */
  check(): Promise<{ health: Health; isDatabaseUp: boolean }>;
  /** Whether this instance should get traffic: not shutting down, and its database answers. */
  isReady(): Promise<boolean>;
}

export interface HealthServiceDeps {
  database: Database;
  redis?: Redis;
  /** Each provider's state, told without calling it. */
  providerStatuses: () => Pick<Health['services'], 'zoom' | 'docusign' | 'openai'>;
  isShuttingDown: () => boolean;
  /** The mailer's mode (`services.mailer.status`), told without sending anything. */
  mailer: { readonly status: 'configured' | 'local' | 'not_configured' };
}

const emailStatusOf = { configured: 'ok', local: 'local', not_configured: 'not_configured' } as const satisfies Record<string, EmailStatus>;

const PROBE_TIMEOUT_MS = 2000;

export function createHealthService(deps: HealthServiceDeps): HealthService {
  async function redisStatus(): Promise<ServiceStatus> {
    if (!deps.redis) return 'not_configured';
    const ping = deps.redis.ping().then(
      (): ServiceStatus => 'ok',
      (): ServiceStatus => 'down',
    );
    return pTimeout(ping, { milliseconds: PROBE_TIMEOUT_MS, fallback: (): ServiceStatus => 'down' });
  }

  return {
    async check() {
      const [isDatabaseUp, redis] = await Promise.all([deps.database.isReachable(PROBE_TIMEOUT_MS), redisStatus()]);
      const services = {
        database: isDatabaseUp ? 'ok' : 'down',
        redis,
        ...deps.providerStatuses(),
        email: emailStatusOf[deps.mailer.status],
      } satisfies Health['services'];
      // E-mail is never `down`: without it nothing is degraded, the notifications just do not go out.
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
