import { randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { readJson } from '../helpers/http.js';
import { createDocumentChecker } from '../helpers/openapi-document.js';
import { startTestServer, testConfig } from '../helpers/server.js';
import { bearer, postJson, registerUser, type TestUser } from '../helpers/users.js';

type Access = 'public' | 'user' | 'admin' | 'admin or metrics token';

/**
 * Who may call each route. A route added without an entry here fails the first test: its access
 * must be decided, and the cases below then prove it.
 */
const accessOf: Record<string, Access> = {
  'GET /v1/health': 'public',
  'GET /v1/health/live': 'public',
  'GET /v1/health/ready': 'public',
  'POST /v1/auth/register': 'public',
  'POST /v1/auth/login': 'public',
  'POST /v1/auth/refresh': 'public',
  'POST /v1/webhooks/zoom': 'public',
  'POST /v1/webhooks/docusign': 'public',
  'POST /v1/auth/logout': 'user',
  'GET /v1/user/profile': 'user',
  'PATCH /v1/user/profile': 'user',
  'POST /v1/user/password': 'user',
  'DELETE /v1/user': 'user',
  'GET /v1/user/audit-logs': 'user',
  'GET /v1/user/export': 'user',
  'GET /v1/integrations': 'user',
  'GET /v1/integrations/status': 'user',
  'POST /v1/integrations/{provider}': 'user',
  'DELETE /v1/integrations/{provider}': 'user',
  'GET /v1/meetings': 'user',
  'POST /v1/meetings': 'user',
  'GET /v1/meetings/{id}': 'user',
  'GET /v1/meetings/{id}/start-url': 'user',
  'PATCH /v1/meetings/{id}': 'user',
  'DELETE /v1/meetings/{id}': 'user',
  'POST /v1/meetings/{id}/participants': 'user',
  'GET /v1/meetings/{id}/recording': 'user',
  'POST /v1/meetings/{id}/transcript': 'user',
  'GET /v1/meetings/{id}/transcript': 'user',
  'POST /v1/meetings/{meetingId}/minutes': 'user',
  'GET /v1/meetings/{meetingId}/minutes': 'user',
  'GET /v1/minutes/{id}': 'user',
  'PATCH /v1/minutes/{id}': 'user',
  'GET /v1/minutes/{id}/versions': 'user',
  'GET /v1/minutes/{id}/pdf': 'user',
  'GET /v1/minutes/{id}/action-items': 'user',
  'GET /v1/minutes/{id}/action-items.ics': 'user',
  'GET /v1/user/notifications': 'user',
  'PATCH /v1/user/notifications': 'user',
  'GET /v1/notifications/unsubscribe': 'public',
  'POST /v1/notifications/unsubscribe': 'public',
  'GET /v1/downloads/signed-ata': 'public',
  'POST /v1/minutes/{id}/send-for-signature': 'user',
  'GET /v1/minutes/{id}/signed-pdf': 'user',
  'GET /v1/minutes/{id}/certificate': 'user',
  'GET /v1/docusign/envelopes': 'user',
  'GET /v1/docusign/envelopes/{envelopeId}': 'user',
  'POST /v1/docusign/envelopes/{envelopeId}/void': 'user',
  'POST /v1/docusign/envelopes/{envelopeId}/resend': 'user',
  'GET /v1/docusign/consent-url': 'user',
  'GET /v1/events': 'user',
  'POST /v1/webhook-endpoints': 'user',
  'GET /v1/webhook-endpoints': 'user',
  'DELETE /v1/webhook-endpoints/{id}': 'user',
  'GET /v1/webhook-endpoints/{id}/deliveries': 'user',
  'POST /v1/webhook-endpoints/{id}/deliveries/{deliveryId}/redeliver': 'user',
  'GET /v1/admin/users': 'admin',
  'PATCH /v1/admin/users/{id}': 'admin',
  'GET /v1/admin/webhook-events': 'admin',
  'POST /v1/admin/webhook-events/{id}/replay': 'admin',
  'POST /v1/admin/webhook-events/{id}/dismiss': 'admin',
  'GET /v1/admin/emails': 'admin',
  'GET /v1/admin/jobs': 'admin',
  'GET /v1/metrics': 'admin or metrics token',
};

const JWT_SECRET = testConfig().auth.jwtSecret;
const ADMIN_EMAIL = 'matrix-admin@example.com';

describe('the authorization matrix, from the OpenAPI document', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let routes: { method: string; path: string; key: string }[];
  let checker: ReturnType<typeof createDocumentChecker>;
  let user: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, env: { ADMIN_EMAILS: ADMIN_EMAIL, RATE_LIMIT_MAX_REQUESTS: '1000000', METRICS_TOKEN: 'matrix-metrics-token-0123456789' } });
    baseUrl = (await server.listen())!;
    const document = await readJson(await fetch(`${baseUrl}/v1/openapi.json`));
    checker = createDocumentChecker(document);
    routes = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path, key: `${method.toUpperCase()} ${path}` })),
    );
    user = await registerUser(baseUrl);
    admin = await registerUser(baseUrl, { email: ADMIN_EMAIL });
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  /** Calls a route with well-formed parameters and an empty body: what is checked first is who calls. */
  const call = (route: { method: string; path: string }, authorization?: string) => {
    const url = `${baseUrl}${route.path.replace('{provider}', 'zoom').replace(/\{[^}]+\}/g, randomUUID())}`;
    const hasBody = ['POST', 'PATCH', 'PUT', 'DELETE'].includes(route.method);
    return fetch(url, {
      method: route.method,
      headers: { ...(authorization ? { authorization } : {}), ...(hasBody ? { 'content-type': 'application/json' } : {}) },
      ...(hasBody ? { body: '{}' } : {}),
    });
  };
  /** The answer's JSON body, once it is checked to be what the OpenAPI document says this route answers. */
  const documentedBody = async (route: { method: string }, response: Response) => {
    const body = await readJson(response);
    expect(checker.problemsOf({ method: route.method, path: new URL(response.url).pathname }, { status: response.status, headers: response.headers, body })).toEqual([]);
    return body;
  };
  const accessToken = (claims: Record<string, unknown>, options: { key?: string; expiresIn?: string | number | null; subject?: string } = {}) => {
    const token = new SignJWT({ email: user.email, role: 'user', sid: randomUUID(), type: 'access', ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(options.subject ?? user.id)
      .setJti(randomUUID())
      .setIssuedAt();
    if (options.expiresIn !== null) token.setExpirationTime(options.expiresIn ?? '15m');
    return token.sign(new TextEncoder().encode(options.key ?? JWT_SECRET));
  };

  it('has an entry for every route the service serves, and none for a route it does not', () => {
    expect(routes.map((route) => route.key).sort()).toEqual(Object.keys(accessOf).sort());
  });

  it('refuses every credential that is not a live session of a live user, on every route that needs one', async () => {
    const revoked = await registerUser(baseUrl);
    await fetch(`${baseUrl}/v1/auth/logout`, { method: 'POST', headers: bearer(revoked.token) });
    const disabled = await registerUser(baseUrl);
    expect((await fetch(`${baseUrl}/v1/admin/users/${disabled.id}`, { method: 'PATCH', headers: { ...bearer(admin.token), 'content-type': 'application/json' }, body: '{"disabled":true}' })).status).toBe(200);
    const deleted = await registerUser(baseUrl);
    expect((await fetch(`${baseUrl}/v1/user`, { method: 'DELETE', headers: { ...bearer(deleted.token), 'content-type': 'application/json' }, body: JSON.stringify({ password: deleted.password }) })).status).toBe(200);

    const credentials: [string, string | undefined, string][] = [
      ['none', undefined, 'token_missing'],
      ['not Bearer', `Basic ${Buffer.from('a:b').toString('base64')}`, 'token_malformed'],
      ['not a JWT', 'Bearer abc.def', 'token_malformed'],
      ['expired', `Bearer ${await accessToken({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 })}`, 'token_expired'],
      ['without exp', `Bearer ${await accessToken({}, { expiresIn: null })}`, 'token_claims_invalid'],
      ['alg none', `Bearer ${new UnsecuredJWT({ sub: user.id, sid: randomUUID(), type: 'access', email: user.email, role: 'admin' }).setExpirationTime('15m').encode()}`, 'token_algorithm_invalid'],
      ['wrong key', `Bearer ${await accessToken({}, { key: 'another-secret-that-is-long-enough-0123456789' })}`, 'token_signature_invalid'],
      ['refresh token as access', `Bearer ${user.refreshToken}`, 'token_malformed'],
      ['a session that never was', `Bearer ${await accessToken({})}`, 'session_revoked'],
      ['revoked session', `Bearer ${revoked.token}`, 'session_revoked'],
      ['disabled user', `Bearer ${disabled.token}`, 'user_disabled'],
      ['deleted user', `Bearer ${deleted.token}`, 'session_revoked'],
    ];
    let checked = 0;
    for (const route of routes.filter((candidate) => accessOf[candidate.key] !== 'public')) {
      for (const [label, authorization, code] of credentials) {
        const response = await call(route, authorization);
        const body = await documentedBody(route, response);
        expect({ route: route.key, label, status: response.status, code: body.code }).toEqual({ route: route.key, label, status: 401, code });
        checked++;
      }
    }
    expect(checked).toBe(Object.values(accessOf).filter((access) => access !== 'public').length * credentials.length);
  });

  it('keeps admin routes from users (403) and serves them to admins', async () => {
    for (const route of routes.filter((candidate) => accessOf[candidate.key]!.startsWith('admin'))) {
      const asUser = await call(route, `Bearer ${user.token}`);
      expect({ route: route.key, status: asUser.status, code: (await documentedBody(route, asUser)).code }).toEqual({ route: route.key, status: 403, code: 'forbidden' });
      const asAdmin = await call(route, `Bearer ${admin.token}`);
      expect([200, 400, 404], route.key).toContain(asAdmin.status);
    }
    const scraper = await fetch(`${baseUrl}/v1/metrics`, { headers: { authorization: 'Bearer matrix-metrics-token-0123456789' } });
    expect(scraper.status).toBe(200);
  });

  it("answers another user's meeting, transcript and minutes with 404, naming nothing of it", async () => {
    const owner = await registerUser(baseUrl);
    const created = await readJson(await postJson(`${baseUrl}/v1/meetings`, { topic: 'Sigilosa', startTime: '2026-01-10T13:00:00Z', duration: 60, onZoom: false }, bearer(owner.token)));
    const meetingId = created.meeting.id as string;
    await fetch(`${baseUrl}/v1/meetings/${meetingId}/transcript`, { method: 'POST', headers: { ...bearer(owner.token), 'content-type': 'text/plain' }, body: 'Ana: Segredo.\n' });
    const ownedRoutes = routes.filter((route) => /\{(id|meetingId)\}/.test(route.path) && route.path.startsWith('/v1/meetings'));
    expect(ownedRoutes.length).toBeGreaterThan(8);
    for (const route of ownedRoutes) {
      const url = `${baseUrl}${route.path.replace(/\{(id|meetingId)\}/, meetingId)}`;
      const hasBody = route.method !== 'GET';
      const response = await fetch(url, { method: route.method, headers: { ...bearer(user.token), ...(hasBody ? { 'content-type': 'application/json' } : {}) }, ...(hasBody ? { body: '{}' } : {}) });
      const text = JSON.stringify(await documentedBody(route, response));
      expect([404, 400, 415], route.key).toContain(response.status);
      expect(text, route.key).not.toContain('Sigilosa');
      expect(text, route.key).not.toContain(owner.id);
    }
    expect((await fetch(`${baseUrl}/v1/meetings/${meetingId}`, { headers: bearer(user.token) })).status).toBe(404);
  });
});
