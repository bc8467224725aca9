import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { notFoundHandler } from './error-handler.js';
import { createFastify } from './fastify.js';
import type { Logger } from './lib/logger.js';
import { livenessRoute } from './modules/health/health.routes.js';
import { metricsRoutes } from './modules/metrics/metrics.routes.js';
import type { Services } from './services.js';

/**
 * A worker's only listener (METRICS_PORT): `GET /v1/metrics`, the same text and the same
 * credentials (an admin's token or METRICS_TOKEN) as the API's, so this process's own numbers
 * (its provider calls, its generations) are scraped too; and `GET /v1/health/live`. Nothing else:
 * no rate limit, CORS or OpenAPI, as no client but a scraper or a probe is meant to reach it.
 */
export async function buildMetricsApp(deps: { config: Config; log: Logger; services: Pick<Services, 'metrics' | 'guards'> }): Promise<FastifyInstance> {
  // A scrape every few seconds is no news: only what goes wrong is logged.
  const app = createFastify(deps.log, { logRequests: false, genReqId: () => randomUUID() });
  app.setNotFoundHandler(notFoundHandler);
  const { metrics, guards } = deps.services;
  await app.register(
    async (v1) => {
      await v1.register(livenessRoute);
      await v1.register(metricsRoutes({ metrics, guards, scraperToken: deps.config.metrics.token }));
    },
    { prefix: '/v1' },
  );
  return app;
}
