import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { expectOwnerOnly } from './helpers/ownership.js';
import { startTestServer } from './helpers/server.js';
import { makeSharedTempDir } from './helpers/temp-dir.js';
import { bearer, login, postJson, registerUser, uniqueEmail, type TestUser } from './helpers/users.js';

const ADMIN_EMAIL = 'boss@example.com';
const METRICS_TOKEN = 'scraper-token-0123456789';

describe('roles, audit log and ownership', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let admin: TestUser;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({
      databaseUrl: database.url,
      env: { ADMIN_EMAILS: ADMIN_EMAIL, METRICS_TOKEN, TRUST_PROXY: 'true' },
    });
    baseUrl = (await server.listen())!;
    admin = await registerUser(baseUrl, { email: ADMIN_EMAIL });
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, { headers });
    return { status: response.status, body: await readJson(response).catch(() => undefined), response };
  };
  const patchUser = (token: string, id: string, body: unknown) =>
    fetch(`${baseUrl}/v1/admin/users/${id}`, { method: 'PATCH', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify(body) });

  describe('RBAC', () => {
    it('makes a user registering with an ADMIN_EMAILS address an admin', async () => {
      expect((await get('/v1/user/profile', bearer(admin.token))).body.user.role).toBe('admin');
    });

    it('keeps admin routes from users (403 forbidden) and serves admins', async () => {
      const user = await registerUser(baseUrl);
      const denied = await get('/v1/admin/users', bearer(user.token));
      expect(denied.status).toBe(403);
      expect(denied.body).toMatchObject({ code: 'forbidden' });

      const listed = await get('/v1/admin/users?limit=1&page=1', bearer(admin.token));
      expect(listed.status).toBe(200);
      expect(listed.body.users).toHaveLength(1);
      expect(listed.body.pagination).toMatchObject({ page: 1, limit: 1, total: expect.any(Number) });
      expect(listed.body.pagination.totalPages).toBe(listed.body.pagination.total);
      expect(JSON.stringify(listed.body)).not.toContain('argon2');

      const searched = await get(`/v1/admin/users?search=${encodeURIComponent(user.email)}`, bearer(admin.token));
      expect(searched.body.users.map((found: { id: string }) => found.id)).toEqual([user.id]);
    });

    it('lets an admin promote a user, whose next request has the new role', async () => {
      const user = await registerUser(baseUrl);
      const response = await patchUser(admin.token, user.id, { role: 'admin' });
      expect(response.status).toBe(200);
      expect((await get('/v1/admin/users', bearer(user.token))).status).toBe(200);
    });

    it("stops a disabled user's tokens at once and refuses its logins", async () => {
      const user = await registerUser(baseUrl);
      expect((await patchUser(admin.token, user.id, { disabled: true })).status).toBe(200);
      expect((await get('/v1/user/profile', bearer(user.token))).status).toBe(401);
      expect((await login(baseUrl, user)).body).toMatchObject({ code: 'user_disabled' });

      expect((await patchUser(admin.token, user.id, { disabled: false })).status).toBe(200);
      expect((await login(baseUrl, user)).status).toBe(200);
    });

    it('answers 404 for an unknown user id and 400 for an empty change', async () => {
      expect((await patchUser(admin.token, '00000000-0000-4000-8000-000000000000', { role: 'admin' })).status).toBe(404);
      expect((await patchUser(admin.token, admin.id, {})).status).toBe(400);
    });

    it('npm run user:promote makes an existing user an admin', async () => {
      const user = await registerUser(baseUrl);
      const exitCode = await new Promise<number | null>((resolve) => {
        const child = spawn('npm', ['run', '--silent', 'user:promote', '--', user.email.toUpperCase()], {
          env: { ...process.env, DATABASE_URL: database.url, DATA_DIR: makeSharedTempDir('atas-promote-'), LOG_LEVEL: 'silent', EMULATORS: 'off' },
          stdio: 'ignore',
        });
        child.once('exit', resolve);
      });
      expect(exitCode).toBe(0);
      expect((await get('/v1/user/profile', bearer(user.token))).body.user.role).toBe('admin');
    });
  });

  describe('metrics', () => {
    it('serves Prometheus text to admins and to the METRICS_TOKEN bearer only', async () => {
      const user = await registerUser(baseUrl);
      const asAdmin = await fetch(`${baseUrl}/v1/metrics`, { headers: bearer(admin.token) });
      expect(asAdmin.status).toBe(200);
      expect(asAdmin.headers.get('content-type')).toContain('text/plain');
      expect(await asAdmin.text()).toContain('http_request_duration_seconds_bucket');

      expect((await fetch(`${baseUrl}/v1/metrics`, { headers: bearer(METRICS_TOKEN) })).status).toBe(200);
      expect((await fetch(`${baseUrl}/v1/metrics`, { headers: bearer(user.token) })).status).toBe(403);
      expect((await fetch(`${baseUrl}/v1/metrics`, { headers: bearer('scraper-token-wrong-one') })).status).toBe(401);
      expect((await fetch(`${baseUrl}/v1/metrics`)).status).toBe(401);
    });
  });

  describe('audit log', () => {
    it('records every action with IP and user agent, and no secret anywhere', async () => {
      const forwardedFor = { 'x-forwarded-for': '203.0.113.7', 'user-agent': 'audit-test/1.0' };
      const user = await registerUser(baseUrl);
      await login(baseUrl, { email: user.email, password: 'wrong password' }, forwardedFor);
      const session = await login(baseUrl, user, forwardedFor);
      const rotated = await readJson(await postJson(`${baseUrl}/v1/auth/refresh`, { refreshToken: session.body.refreshToken }));
      await postJson(`${baseUrl}/v1/auth/refresh`, { refreshToken: session.body.refreshToken }); // reuse
      await fetch(`${baseUrl}/v1/user/profile`, {
        method: 'PATCH',
        headers: { ...bearer(user.token), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Audited' }),
      });
      await postJson(`${baseUrl}/v1/user/password`, { currentPassword: user.password, newPassword: 'the new password 1' }, bearer(user.token));
      await patchUser(admin.token, user.id, { role: 'user' });
      await fetch(`${baseUrl}/v1/auth/logout`, { method: 'POST', headers: bearer(user.token) });

      const { rows } = await server.database.pool.query(
        `SELECT action, user_id, resource_type, host(ip_address) AS ip, user_agent, details FROM audit_logs
          WHERE user_id = $1 OR resource_id = $1 ORDER BY created_at`,
        [user.id],
      );
      const actions = rows.map((row) => row.action);
      expect(actions).toEqual(
        expect.arrayContaining([
          'auth.register',
          'auth.login_failed',
          'auth.login',
          'auth.refresh_reused',
          'user.profile_updated',
          'user.password_changed',
          'admin.user_updated',
          'auth.logout',
        ]),
      );
      const failed = rows.find((row) => row.action === 'auth.login_failed');
      expect(failed).toMatchObject({ ip: '203.0.113.7', user_agent: 'audit-test/1.0', details: { reason: 'wrong_password' } });

      const everything = JSON.stringify((await server.database.pool.query('SELECT * FROM audit_logs')).rows);
      for (const secret of [user.password, 'the new password 1', 'wrong password', user.token, user.refreshToken, session.body.token, session.body.refreshToken, rotated.token, rotated.refreshToken]) {
        expect(everything).not.toContain(secret);
      }
    });

    it('lists the own log with filters and pagination; admins may read another user', async () => {
      const user = await registerUser(baseUrl);
      await login(baseUrl, user);
      await login(baseUrl, user);
      const own = await get('/v1/user/audit-logs?action=auth.login&limit=1', bearer(user.token));
      expect(own.status).toBe(200);
      expect(own.body.logs).toHaveLength(1);
      expect(own.body.logs[0]).toMatchObject({ action: 'auth.login', userId: user.id });
      expect(own.body.pagination).toEqual({ total: 2, page: 1, limit: 1, totalPages: 2 });

      const future = new Date(Date.now() + 3_600_000).toISOString();
      const none = await get(`/v1/user/audit-logs?startDate=${encodeURIComponent(future)}`, bearer(user.token));
      expect(none.body.logs).toEqual([]);
      const past = await get(`/v1/user/audit-logs?endDate=${encodeURIComponent('2000-01-01T00:00:00Z')}`, bearer(user.token));
      expect(past.body.pagination.total).toBe(0);
      expect((await get('/v1/user/audit-logs?startDate=yesterday', bearer(user.token))).status).toBe(400);

      const asAdmin = await get(`/v1/user/audit-logs?userId=${user.id}`, bearer(admin.token));
      expect(asAdmin.body.logs.every((log: { userId: string }) => log.userId === user.id)).toBe(true);
      expect(asAdmin.body.pagination.total).toBe(3);
    });
  });

  describe('ownership', () => {
    it("keeps every user-scoped route from serving another user's data", async () => {
      const owner = await registerUser(baseUrl, { email: uniqueEmail('owner') });
      const intruder = await registerUser(baseUrl, { email: uniqueEmail('intruder') });
      await expectOwnerOnly(baseUrl, { method: 'GET', path: `/v1/user/audit-logs?userId=${owner.id}` }, owner, intruder);

      // The /v1/user routes name no id: each answers for the bearer alone.
      const profile = await get('/v1/user/profile', bearer(intruder.token));
      expect(JSON.stringify(profile.body)).not.toContain(owner.email);
      const logs = await get('/v1/user/audit-logs', bearer(intruder.token));
      expect(logs.body.logs.every((log: { userId: string }) => log.userId === intruder.id)).toBe(true);
    });
  });
});
