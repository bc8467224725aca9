import { randomUUID } from 'node:crypto';
import cors from '@fastify/cors';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { notFoundHandler } from './error-handler.js';
import { createFastify } from './fastify.js';
import type { Logger } from './lib/logger.js';
import { createRouteLimiter, registerGlobalRateLimit } from './lib/rate-limits.js';
import { acceptEmptyJsonBodies } from './lib/json-bodies.js';
import { documentObject, documentRoute } from './lib/openapi.js';
import { registerSecurityHeaders } from './lib/security-headers.js';
import { rejectUnstorableText } from './lib/storable-text.js';
import { requestIdScope } from './lib/trace-context.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { accountsRoutes } from './modules/accounts/accounts.routes.js';
import { dataExportRoutes } from './modules/data-export/data-export.routes.js';
import { eventRoutes } from './modules/events/events.routes.js';
import type { AuthGuards } from './modules/auth/auth.guards.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { createHealthService } from './modules/health/health.service.js';
import { providerStatuses } from './modules/health/provider-statuses.js';
import { integrationRoutes } from './modules/integrations/integrations.routes.js';
import { meetingMinutesRoutes, minutesRoutes } from './modules/minutes/minutes.routes.js';
import { docusignRoutes, minutesSignatureRoutes } from './modules/signatures/signatures.routes.js';
import { meetingRoutes } from './modules/meetings/meetings.routes.js';
import { metricsRoutes } from './modules/metrics/metrics.routes.js';
import { emailLinkRoutes, notificationSettingsRoutes } from './modules/notifications/notifications.routes.js';
import { operationsRoutes } from './modules/operations/operations.routes.js';
import { adminRoutes } from './modules/users/admin.routes.js';
import { userRoutes } from './modules/users/users.routes.js';
import type { ServerCredentials } from './modules/integrations/server-credentials.js';
import { outboundWebhooksDocument } from './modules/webhook-endpoints/webhook-endpoints.openapi.js';
import { webhookEndpointRoutes } from './modules/webhook-endpoints/webhook-endpoints.routes.js';
import { webhookRoutes } from './modules/webhooks/webhooks.routes.js';
import { transcriptRoutes } from './modules/transcripts/transcripts.routes.js';
import type { Services } from './services.js';

export interface AppDependencies {
  config: Config;
  log: Logger;
  database: Database;
  redis?: Redis;
  services: Services;
  /** Provider credentials for every user: the environment's, or a local emulator's. */
  serverCredentials: ServerCredentials;
  isShuttingDown?: () => boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Route guards: `authenticate`, and `authorize(...permissions)`. */
    auth: AuthGuards;
  }
}

/** A client may name its request (`X-Request-Id`) for tracing; anything odd is replaced. */
const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** The spec's policy; `/docs` (Swagger UI) loads only its own scripts and styles, so it runs under it. */
const contentSecurityPolicy = {
  directives: {
    defaultSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    scriptSrc: ["'self'"],
    imgSrc: ["'self'", 'data:', 'https:'],
    // Helmet's default would send browsers to https for every asset, breaking plain-HTTP deployments' /docs.
    upgradeInsecureRequests: null,
  },
};

/** Builds the HTTP app: security plugins, error shape, OpenAPI, and every module's routes under /v1. */
export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config } = deps;
  const app = createFastify(deps.log, {
    logRequests: true,
    bodyLimit: config.server.bodyLimitBytes,
    trustProxy: config.server.trustProxy,
    genReqId: (request) => {
      const offered = request.headers['x-request-id'];
      return typeof offered === 'string' && requestIdPattern.test(offered) ? offered : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();
  acceptEmptyJsonBodies(app);
  // The request's id follows it into the jobs it enqueues and their log lines (lib/trace-context.ts).
  const requestScopes = new WeakMap<object, ReturnType<typeof requestIdScope>>();
  app.addHook('onRequest', (request, _reply, done) => {
    const scope = requestIdScope(request.id);
    requestScopes.set(request, scope);
    scope.enter(done);
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const scope = requestScopes.get(request);
    if (scope) scope.enter(done);
    else done();
  });
  app.addHook('preValidation', async (request) => rejectUnstorableText(request));

  const isShuttingDown = deps.isShuttingDown ?? (() => false);

  // Requests waiting on a job answer at once and event streams end, so closing does not wait on them.
  const shutdown = new AbortController();
  app.addHook('preClose', async () => shutdown.abort());
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    // A keep-alive connection would hold the closing server open until its idle timeout.
    if (isShuttingDown()) void reply.header('connection', 'close');
  });

  // Created with the services: the provider clients and job workers report to the same registry.
  const { metrics } = deps.services;
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequestDuration
      .labels(request.method, request.routeOptions.url ?? 'unmatched', String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
  });

  registerSecurityHeaders(app, {
    contentSecurityPolicy,
    hsts: { maxAge: 31_536_000, includeSubDomains: true, preload: true },
  });
  await app.register(cors, {
    origin: config.cors.allowedOrigins,
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key', 'X-Request-Id', 'Prefer', 'Accept'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Location', 'Content-Disposition', 'X-Content-SHA256', 'Idempotent-Replayed'],
    optionsSuccessStatus: 200,
    // An OPTIONS without Origin is not a browser's preflight: answered like one (without
    // Access-Control-Allow-Origin), rather than with a plain-text 400 outside our error shape.
    strictPreflight: false,
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
    transform: documentRoute,
    transformObject: (input) => documentObject(input, { webhooks: outboundWebhooksDocument() }),
  });
  // Before the rate limit, so the reference page and its assets are not counted.
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  const { services } = deps;
  const { tokens, audit, users, accounts, guards, integrations, meetings, transcripts, minutes, signatures, zoomClients, docusignClients, webhooks, events, webhookEndpoints } = services;
  await registerGlobalRateLimit(app, {
    max: config.rateLimit.max,
    windowMs: config.rateLimit.windowMs,
    redis: deps.redis,
    userIdOf: (request) => tokens.subjectOf(request),
  });
  // Unknown routes count too: a scanner probing paths spends its own budget.
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, notFoundHandler);

  const health = createHealthService({
    database: deps.database,
    redis: deps.redis,
    providerStatuses: () => providerStatuses(deps.serverCredentials, { isZoomCircuitOpen: zoomClients.isCircuitOpen, isDocuSignCircuitOpen: docusignClients.isCircuitOpen }),
    isShuttingDown,
    mailer: services.mailer,
  });

  app.decorate('auth', guards);
  // A route that declares bearer security authenticates before its body is read or validated: an
  // anonymous caller learns nothing of its schema and cannot make the server parse a 20 MB upload.
  app.addHook('onRequest', async (request) => {
    const { schema, config } = request.routeOptions;
    if (schema?.security?.length && !config.checksOwnCredentials) await guards.authenticate(request);
  });
  // The spec's limit on the costly route, on top of the global one.
  const generationLimiter = createRouteLimiter(app, {
    name: 'minutes-generation',
    max: 10,
    windowMs: 3_600_000,
    keyOf: (request) => request.user?.id ?? request.ip,
  });
  // Instead of the global limit: per sending IP, both providers' routes counted together.
  const webhookLimiter = createRouteLimiter(app, {
    name: 'webhooks',
    max: config.rateLimit.webhooksPerMinute,
    windowMs: 60_000,
    keyOf: (request) => request.ip,
  });
  // An export reads every row and file of the account: a few an hour.
  const exportLimiter = createRouteLimiter(app, {
    name: 'data-export',
    max: 5,
    windowMs: 3_600_000,
    keyOf: (request) => request.user?.id ?? request.ip,
  });
  const loginLimiter = createRouteLimiter(app, {
    name: 'login',
    max: 5,
    windowMs: 60_000,
    keyOf: (request) => `${(request.body as { email?: string }).email ?? ''}|${request.ip}`,
  });

  await app.register(
    async (v1) => {
      v1.get('/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, async () => app.swagger());
      await v1.register(healthRoutes(health));
      await v1.register(accountsRoutes({ accounts, loginLimiter }), { prefix: '/auth' });
      await v1.register(userRoutes({ users }), { prefix: '/user' });
      await v1.register(auditRoutes({ audit }), { prefix: '/user' });
      await v1.register(notificationSettingsRoutes({ notifications: services.emailNotifications }), { prefix: '/user' });
      await v1.register(emailLinkRoutes({ notifications: services.emailNotifications }));
      await v1.register(dataExportRoutes({ dataExport: services.dataExport, limiter: exportLimiter }), { prefix: '/user' });
      await v1.register(adminRoutes({ users, guards }), { prefix: '/admin' });
      await v1.register(operationsRoutes({ operations: services.operations, guards }), { prefix: '/admin' });
      await v1.register(integrationRoutes({ integrations }), { prefix: '/integrations' });
      await v1.register(meetingRoutes({ meetings, guards }), { prefix: '/meetings' });
      await v1.register(transcriptRoutes({ transcripts, guards }), { prefix: '/meetings' });
      await v1.register(meetingMinutesRoutes({ minutes, signatures, guards, generationLimiter, waitMs: config.minutes.waitMs, shutdown: shutdown.signal }), {
        prefix: '/meetings',
      });
      await v1.register(minutesRoutes({ minutes, guards, shutdown: shutdown.signal }), { prefix: '/minutes' });
      await v1.register(minutesSignatureRoutes({ signatures, guards }), { prefix: '/minutes' });
      await v1.register(docusignRoutes({ signatures, guards }), { prefix: '/docusign' });
      await v1.register(eventRoutes({ events, guards, maxStreamsPerUser: config.events.maxStreamsPerUser, shutdown: shutdown.signal }));
      await v1.register(webhookEndpointRoutes({ endpoints: webhookEndpoints, guards }), { prefix: '/webhook-endpoints' });
      await v1.register(webhookRoutes({ webhooks, limiter: webhookLimiter }), { prefix: '/webhooks' });
      if (config.metrics.enabled) await v1.register(metricsRoutes({ metrics, guards, scraperToken: config.metrics.token }));
    },
    { prefix: '/v1' },
  );

  return app;
}
