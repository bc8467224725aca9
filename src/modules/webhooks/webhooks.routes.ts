import type { FastifyPluginAsync } from 'fastify';
import type { RouteLimiter } from '../../lib/rate-limits.js';
import type { WebhooksService } from './webhooks.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
  }
}

/**
 * Provider callbacks: no user token; a rate limit of their own per sending IP (before the body is
 * read); each verifies its provider's signature over the raw body before anything else.
 */
export function webhookRoutes(deps: { webhooks: WebhooksService; limiter: RouteLimiter }): FastifyPluginAsync {
  return async (app) => {
    app.addHook('onRequest', deps.limiter);
    // In this scope JSON bodies are kept raw: signatures are computed over the exact bytes.
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      request.rawBody = body as Buffer;
      done(null, body);
    });

    app.post(
      '/zoom',
      { config: { rateLimit: false }, schema: { tags: ['webhooks'], summary: "Zoom's event notifications (x-zm-signature verified)" } },
      async (request, reply) => {
        const header = (name: string) => {
          const value = request.headers[name];
          return typeof value === 'string' ? value : undefined;
        };
        const outcome = await deps.webhooks.receiveZoom({
          rawBody: request.rawBody ?? Buffer.alloc(0),
          signature: header('x-zm-signature'),
          timestamp: header('x-zm-request-timestamp'),
        });
        if (outcome.kind === 'validation') return reply.send(outcome.answer);
        return reply.send({ success: true, duplicate: outcome.duplicate });
      },
    );

    app.post(
      '/docusign',
      { config: { rateLimit: false }, schema: { tags: ['webhooks'], summary: 'DocuSign Connect (JSON SIM) notifications (X-DocuSign-Signature-N HMAC verified)' } },
      async (request, reply) => {
        const outcome = await deps.webhooks.receiveDocuSign({ rawBody: request.rawBody ?? Buffer.alloc(0), headers: request.headers });
        return reply.send({ success: true, duplicate: outcome.duplicate });
      },
    );
  };
}
