import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Metrics } from '../../lib/metrics.js';
import type { AuthGuards } from '../auth/auth.guards.js';
import { Permission } from '../auth/auth.permissions.js';
import { bearerTokenOf } from '../auth/auth.tokens.js';
import { constantTimeEqual } from '../../lib/crypto.js';

function isScraperToken(request: FastifyRequest, expected: string | undefined): boolean {
  const offered = bearerTokenOf(request.headers.authorization);
  if (!expected || !offered) return false;
  return constantTimeEqual(offered, expected);
}

/** Prometheus text for admins, or for a scraper that presents METRICS_TOKEN. */
export function metricsRoutes(deps: { metrics: Metrics; guards: AuthGuards; scraperToken?: string }): FastifyPluginAsyncZod {
  const requireAdmin = deps.guards.authorize(Permission.readMetrics);
  return async (app) => {
    app.get(
      '/metrics',
      {
        schema: {
          operationId: 'getMetrics',
          tags: ['operations'],
          summary: 'Prometheus metrics',
          description: 'Prometheus text exposition format, for admins or a scraper presenting `METRICS_TOKEN` as its bearer token. Not rate limited.',
          security: [{ bearerAuth: [] }],
          response: { 200: { description: 'Prometheus text format', content: { 'text/plain; version=0.0.4': { schema: z.string() } } } },
        },
        // METRICS_TOKEN is not a user's token: this route checks what it is given itself.
        config: { rateLimit: false, checksOwnCredentials: true },
        onRequest: async (request) => {
          if (!isScraperToken(request, deps.scraperToken)) await requireAdmin(request);
        },
      },
      async (_request, reply) => reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
    );
  };
}
