import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { healthResponse, probeResponse } from './health.schemas.js';
import type { HealthService } from './health.service.js';

export function healthRoutes(health: HealthService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/health',
      {
        config: { rateLimit: false },
        schema: {
          tags: ['health'],
          summary: 'State of the service and of each dependency; 503 when the database is down',
          response: { 200: healthResponse, 503: healthResponse },
        },
      },
      async (_request, reply) => {
        const { health: result, isDatabaseUp } = await health.check();
        return reply.status(isDatabaseUp ? 200 : 503).send(result);
      },
    );

    app.get(
      '/health/live',
      { config: { rateLimit: false }, schema: { tags: ['health'], summary: 'The process answers', response: { 200: probeResponse } } },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/health/ready',
      {
        config: { rateLimit: false },
        schema: {
          tags: ['health'],
          summary: 'Ready for traffic: the database answers and no shutdown is under way',
          response: { 200: probeResponse, 503: probeResponse },
        },
      },
      async (_request, reply) =>
        (await health.isReady()) ? { status: 'ok' as const } : reply.status(503).send({ status: 'down' as const }),
    );
  };
}
