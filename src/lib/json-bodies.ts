import type { FastifyInstance } from 'fastify';

/**
 * Clients (SDKs, `fetch` wrappers) send `Content-Type: application/json` with no body on a DELETE
 * or a body-less POST (logout, void, resend): an empty body is no body, not broken JSON. Anything
 * else goes to Fastify's own parser (which refuses `__proto__` and `constructor.prototype` keys).
 */
export function acceptEmptyJsonBodies(app: FastifyInstance) {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    return parseJson(request, body as string, done);
  });
}
