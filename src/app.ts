import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { registerErrorHandlers } from './lib/error-handler.js';
import type { Logger } from './lib/logger.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { createHealthService } from './modules/health/health.service.js';
import { configuredProviderStatuses } from './modules/health/provider-statuses.js';

export interface AppDependencies {
  config: Config;
  log: Logger;
  database: Database;
  redis?: Redis;
  isShuttingDown?: () => boolean;
}

/** A client may name its request (`X-Request-Id`) for tracing; anything odd is replaced. */
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the HTTP app: plugins, error shape, OpenAPI, and every module's routes under /v1. */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  // Typed as Fastify's base logger, so the app is the plain FastifyInstance that plugins expect.
  const loggerInstance: FastifyBaseLogger = deps.log;
  const app = Fastify({
    loggerInstance,
    bodyLimit: deps.config.server.bodyLimitBytes,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    genReqId: (request) => {
      const offered = request.headers['x-request-id'];
      return typeof offered === 'string' && requestIdPattern.test(offered) ? offered : randomUUID();
    },
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandlers(app);
  const isShuttingDown = deps.isShuttingDown ?? (() => false);
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    // A keep-alive connection would hold the closing server open until its idle timeout.
    if (isShuttingDown()) void reply.header('connection', 'close');
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Atas API',
        version: '1.0.0',
        description: 'Meetings on Zoom, minutes written by an LLM, signatures through DocuSign.',
      },
      servers: [{ url: '/' }],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  const health = createHealthService({
    database: deps.database,
    redis: deps.redis,
    providerStatuses: () => configuredProviderStatuses(deps.config),
    isShuttingDown,
  });

  await app.register(
    async (v1) => {
      v1.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
      await v1.register(healthRoutes(health));
    },
    { prefix: '/v1' },
  );

  return app;
}
