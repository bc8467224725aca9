import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { healthResponse, probeResponse } from './health.schemas.js';
import type { HealthService } from './health.service.js';

/** The process answers: on its own in a worker's metrics listener (metrics-app.ts), and among the API's health routes. */
export const livenessRoute: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health/live',
    {
      config: { rateLimit: false },
      schema: {
        operationId: 'getLiveness',
        tags: ['health'],
        summary: 'Liveness probe',
        description: 'The process answers; nothing else is checked.',
        security: [],
        response: { 200: probeResponse },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
};

export function healthRoutes(health: HealthService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/health',
      {
        config: { rateLimit: false },
        schema: {
          operationId: 'getHealth',
          tags: ['health'],
          summary: 'State of the service and its dependencies',
          description: 'The database, Redis and each provider (`ok`, `down`, `emulated`, `not_configured`), and how e-mail is sent (`ok`: SMTP; `local`: kept on disk, outside production; `not_configured`: not sent, which does not degrade the status); 503 when the database is down. Not rate limited.',
          security: [],
          response: { 200: healthResponse, 503: healthResponse },
        },
      },
      async (_request, reply) => {
        const { health: result, isDatabaseUp } = await health.check();
        return reply.status(isDatabaseUp ? 200 : 503).send(result);
      },
    );

    await app.register(livenessRoute);

    app.get(
      '/health/ready',
      {
        config: { rateLimit: false },
        schema: {
          operationId: 'getReadiness',
          tags: ['health'],
          summary: 'Readiness probe',
          description: 'Ready for traffic: the database answers and no shutdown is under way; 503 otherwise.',
          security: [],
          response: { 200: probeResponse, 503: probeResponse },
        },
      },
      async (_request, reply) =>
        (await health.isReady()) ? { status: 'ok' as const } : reply.status(503).send({ status: 'down' as const }),
    );
  };
}
