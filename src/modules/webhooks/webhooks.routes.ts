import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { RouteLimiter } from '../../lib/rate-limits.js';
import type { WebhooksService } from './webhooks.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
  }
}

const acknowledged = z.object({ success: z.literal(true), duplicate: z.boolean().describe('Delivered before: stored once') });
const zoomUrlValidation = z.object({ plainToken: z.string(), encryptedToken: z.string() }).describe("The answer to Zoom's `endpoint.url_validation`");

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
      {
        config: { rateLimit: false },
        schema: {
          operationId: 'receiveZoomEvent',
          tags: ['webhooks'],
          summary: "Zoom's event notifications",
          description:
            'For Zoom, not for clients: `x-zm-signature` (v0 HMAC-SHA256 with the webhook secret) and `x-zm-request-timestamp` (within 5 minutes) are verified before anything else; `endpoint.url_validation` is answered. A repeated delivery is recognised (`duplicate: true`).',
          security: [],
          unparsedBody: { description: "Zoom's event, as signed", mediaTypes: ['application/json'] },
          errors: ['rate_limited', 'webhook_signature_invalid', 'integration_not_configured'],
          response: { 200: z.union([acknowledged, zoomUrlValidation]) },
        },
      },
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
      {
        config: { rateLimit: false },
        schema: {
          operationId: 'receiveDocuSignEvent',
          tags: ['webhooks'],
          summary: 'DocuSign Connect notifications',
          description:
            'For DocuSign, not for clients: JSON SIM messages, `X-DocuSign-Signature-1..N` (HMAC-SHA256, base64, of the raw body) verified before anything else. A repeated delivery is recognised (`duplicate: true`).',
          security: [],
          unparsedBody: { description: 'A Connect message, as signed', mediaTypes: ['application/json'] },
          errors: ['rate_limited', 'webhook_signature_invalid', 'integration_not_configured'],
          response: { 200: acknowledged },
        },
      },
      async (request, reply) => {
        const outcome = await deps.webhooks.receiveDocuSign({ rawBody: request.rawBody ?? Buffer.alloc(0), headers: request.headers });
        return reply.send({ success: true, duplicate: outcome.duplicate });
      },
    );
  };
}
