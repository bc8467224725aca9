import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { startTestServer } from './helpers/server.js';
import { bearer, login, registerUser } from './helpers/users.js';

/** A client address of its own (through X-Forwarded-For), so counters in the shared Redis start at zero. */
const freshClientIp = () => `198.51.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

describe('two instances on one database and one Redis', () => {
  let database: TestDatabase;
  let instanceA: Server;
  let instanceB: Server;
  let urlA: string;
  let urlB: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { REDIS_URL: inject('redisUrl'), RATE_LIMIT_MAX_REQUESTS: '6', TRUST_PROXY: 'true' };
    instanceA = await startTestServer({ databaseUrl: database.url, env });
    instanceB = await startTestServer({ databaseUrl: database.url, env });
    urlA = (await instanceA.listen())!;
    urlB = (await instanceB.listen())!;
  });
  afterAll(async () => {
    await instanceA.stop();
    await instanceB.stop();
    await database.drop();
  });

  it('a logout on one instance rejects the access token on the other at once', async () => {
    const user = await registerUser(urlA, {}, { 'x-forwarded-for': freshClientIp() });
    expect((await fetch(`${urlB}/v1/user/profile`, { headers: bearer(user.token) })).status).toBe(200);
    await fetch(`${urlA}/v1/auth/logout`, { method: 'POST', headers: bearer(user.token) });
    const afterLogout = await fetch(`${urlB}/v1/user/profile`, { headers: bearer(user.token) });
    expect(afterLogout.status).toBe(401);
    expect(await readJson(afterLogout)).toMatchObject({ code: 'session_revoked' });
  });

  it('counts the global rate limit per user across both instances, with Retry-After and RateLimit headers', async () => {
    const user = await registerUser(urlA, {}, { 'x-forwarded-for': freshClientIp() });
    const call = (url: string) => fetch(`${url}/v1/user/profile`, { headers: bearer(user.token) });
    const statuses: number[] = [];
    for (const url of [urlA, urlB, urlA, urlB, urlA, urlB]) statuses.push((await call(url)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);

    const limited = await call(urlA);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-limit')).toBe('6');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(await readJson(limited)).toMatchObject({ code: 'rate_limited', error: expect.stringContaining('retry in'), requestId: expect.any(String) });
    expect((await call(urlB)).status).toBe(429);
  });

  it('counts anonymous requests per client IP, and leaves health outside the limit', async () => {
    const headers = { 'x-forwarded-for': freshClientIp() };
    for (let i = 0; i < 6; i++) await fetch(`${i % 2 ? urlA : urlB}/v1/nowhere`, { headers });
    expect((await fetch(`${urlA}/v1/nowhere`, { headers })).status).toBe(429);
    expect((await fetch(`${urlB}/v1/nowhere`, { headers: { 'x-forwarded-for': freshClientIp() } })).status).toBe(404);
    for (let i = 0; i < 3; i++) expect((await fetch(`${urlA}/v1/health`, { headers })).status).toBe(200);
  });
});

describe('route limits, headers and CORS', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({
      databaseUrl: database.url,
      env: { TRUST_PROXY: 'true', ALLOWED_ORIGINS: 'https://app.example.com', RATE_LIMIT_MAX_REQUESTS: '1000' },
    });
    baseUrl = (await server.listen())!;
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  it('allows 5 logins a minute per e-mail and IP, then 429 even with the right password', async () => {
    const user = await registerUser(baseUrl);
    const headers = { 'x-forwarded-for': freshClientIp() };
    for (let i = 0; i < 5; i++) expect((await login(baseUrl, { email: user.email, password: 'wrong password' }, headers)).status).toBe(401);
    const limited = await login(baseUrl, user, headers);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 'rate_limited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    expect((await login(baseUrl, user, { 'x-forwarded-for': freshClientIp() })).status).toBe(200);
  });

  it("sends the spec's CSP and HSTS, and no X-Powered-By", async () => {
    const response = await fetch(`${baseUrl}/v1/health`);
    const csp = response.headers.get('content-security-policy')!;
    for (const directive of ["default-src 'self'", "style-src 'self' 'unsafe-inline'", "script-src 'self'", "img-src 'self' data: https:"]) {
      expect(csp).toContain(directive);
    }
    expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains; preload');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.has('x-powered-by')).toBe(false);
    // Errors carry them too.
    for (const failed of [await fetch(`${baseUrl}/v1/no-such-route`), await fetch(`${baseUrl}/v1/meetings`)]) {
      expect(failed.status).toBeGreaterThanOrEqual(400);
      expect(failed.headers.get('content-security-policy')).toBe(csp);
      expect(failed.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains; preload');
    }
  });

  it('serves /docs with scripts of its own origin only, which the CSP allows', async () => {
    const response = await fetch(`${baseUrl}/docs/`);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(attributes).toMatch(/src="\.\/static\//);
      expect(inline!.trim()).toBe('');
      const src = /src="\.\/([^"]+)"/.exec(attributes!)![1];
      const asset = await fetch(`${baseUrl}/docs/${src}`);
      expect(asset.status).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
  });

  it('answers CORS for ALLOWED_ORIGINS with credentials, and not for other origins', async () => {
    const preflight = await fetch(`${baseUrl}/v1/auth/login`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');

    const foreign = await fetch(`${baseUrl}/v1/health`, { headers: { origin: 'https://evil.example.com' } });
    expect(foreign.headers.has('access-control-allow-origin')).toBe(false);
  });
});
