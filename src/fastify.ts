import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { clientErrorHandler, frameworkErrorHandler, registerErrorHandlers } from './error-handler.js';
import type { Logger } from './lib/logger.js';

/**
 * A Fastify instance as every listener of ours starts (the API, a worker's metrics listener):
 * our logger with `requestId`, zod schemas, the error shape, `request.user`, 503 while closing.
 */
export function createFastify(
  log: Logger,
  options: Pick<FastifyServerOptions, 'genReqId' | 'bodyLimit' | 'trustProxy'> & { logRequests: boolean },
): FastifyInstance {
  const { logRequests, ...serverOptions } = options;
  // Typed as Fastify's base logger, so the app is the plain FastifyInstance that plugins expect.
  const loggerInstance: FastifyBaseLogger = log;
  const app = Fastify({
    loggerInstance,
    ...serverOptions,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: !logRequests }),
    return503OnClosing: true,
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandlers(app);
  app.decorateRequest('user', undefined);
  return app;
}
