import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { startTestServer } from './helpers/server.js';
import { bearer, login, postJson, registerUser, uniqueEmail } from './helpers/users.js';

const JWT_SECRET = 'test-jwt-secret-that-is-long-enough-0123456789';
const key = new TextEncoder().encode(JWT_SECRET);

describe('auth', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, env: { JWT_SECRET } });
    baseUrl = (await server.listen())!;
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  const profile = async (headers: Record<string, string>) => {
    const response = await fetch(`${baseUrl}/v1/user/profile`, { headers });
    return { status: response.status, body: await readJson(response) };
  };

  describe('register', () => {
    it('creates the account with a trimmed, lower-cased e-mail and answers with a working session', async () => {
      const email = uniqueEmail('New');
      const response = await postJson(`${baseUrl}/v1/auth/register`, { email: `  ${email.toUpperCase()} `, password: 'long enough', name: 'Ana' });
      expect(response.status).toBe(201);
      const body = await readJson(response);
      expect(body.user).toMatchObject({ email: email.toLowerCase(), name: 'Ana', role: 'user', disabled: false });
      expect(body.user).not.toHaveProperty('passwordHash');
      expect(body.expiresIn).toBe(900);
      expect((await profile(bearer(body.token))).body.user.email).toBe(email.toLowerCase());
    });

    it('refuses an e-mail already taken, whatever its case, with 409 email_taken', async () => {
      const user = await registerUser(baseUrl);
      const response = await postJson(`${baseUrl}/v1/auth/register`, { email: user.email.toUpperCase(), password: 'another password' });
      expect(response.status).toBe(409);
      expect(await readJson(response)).toMatchObject({ code: 'email_taken' });
    });

    it.each([
      ['a bad e-mail', { email: 'not-an-email', password: 'long enough' }],
      ['a password under 8 characters', { email: uniqueEmail(), password: '1234567' }],
      ['a password over 256 characters', { email: uniqueEmail(), password: 'x'.repeat(257) }],
    ])('answers 400 validation_failed for %s', async (_case, body) => {
      const response = await postJson(`${baseUrl}/v1/auth/register`, body);
      expect(response.status).toBe(400);
      expect(await readJson(response)).toMatchObject({ code: 'validation_failed', details: expect.any(Array) });
    });

    it('stores the password as an argon2id hash', async () => {
      const user = await registerUser(baseUrl);
      const { rows } = await server.database.pool.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [user.id]);
      expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
      expect(rows[0]!.password_hash).not.toContain(user.password);
    });
  });

  describe('login', () => {
    it('starts a new session with the right password', async () => {
      const user = await registerUser(baseUrl);
      const result = await login(baseUrl, { email: user.email.toUpperCase(), password: user.password });
      expect(result.status).toBe(200);
      expect(result.body.user.id).toBe(user.id);
      expect((await profile(bearer(result.body.token))).status).toBe(200);
    });

    it('ignores X-Forwarded-For unless TRUST_PROXY is set', async () => {
      const user = await registerUser(baseUrl);
      await login(baseUrl, user, { 'x-forwarded-for': '203.0.113.9' });
      const { rows } = await server.database.pool.query(
        `SELECT host(ip_address) AS ip FROM audit_logs WHERE user_id = $1 AND action = 'auth.login'`,
        [user.id],
      );
      expect(rows).toEqual([{ ip: '127.0.0.1' }]);
    });

    it('answers a wrong password and an unknown e-mail alike', async () => {
      const user = await registerUser(baseUrl);
      const wrongPassword = await login(baseUrl, { email: user.email, password: 'wrong password' });
      const unknownEmail = await login(baseUrl, { email: uniqueEmail('nobody'), password: 'wrong password' });
      expect(wrongPassword.status).toBe(401);
      expect(unknownEmail.status).toBe(401);
      const { requestId: _a, ...first } = wrongPassword.body;
      const { requestId: _b, ...second } = unknownEmail.body;
      expect(first).toEqual(second);
      expect(first).toEqual({ code: 'invalid_credentials', error: 'E-mail or password is not correct' });
    });
  });

  describe('access tokens', () => {
    it('carries sub, email, role, sid, type and jti, and lasts JWT_EXPIRES_IN', async () => {
      const user = await registerUser(baseUrl);
      const [header, payload] = user.token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
      expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT' });
      expect(payload).toMatchObject({ sub: user.id, email: user.email, role: 'user', type: 'access', sid: expect.any(String), jti: expect.any(String) });
      expect(payload.exp - payload.iat).toBe(900);
    });

    it('refuses each kind of bad token with its own code', async () => {
      const user = await registerUser(baseUrl);
      const claims = JSON.parse(Buffer.from(user.token.split('.')[1]!, 'base64url').toString());
      const sign = (payload: Record<string, unknown>, secret = key, alg = 'HS256') =>
        new SignJWT(payload).setProtectedHeader({ alg }).sign(secret);

      const cases: [string, Record<string, string>, string][] = [
        ['no header', {}, 'token_missing'],
        ['not a bearer header', { authorization: `Token ${user.token}` }, 'token_malformed'],
        ['a bearer that is no JWT', bearer('abc.def'), 'token_malformed'],
        ['alg none', bearer(new UnsecuredJWT(claims).encode()), 'token_algorithm_invalid'],
        ['another algorithm', bearer(await sign(claims, key, 'HS512')), 'token_algorithm_invalid'],
        ['a wrong key', bearer(await sign(claims, new TextEncoder().encode('another-secret-another-secret-another-secret'))), 'token_signature_invalid'],
        ['a refresh-type token', bearer(await sign({ ...claims, type: 'refresh' })), 'token_type_invalid'],
        ['an expired token', bearer(await sign({ ...claims, iat: claims.iat - 3600, exp: Math.floor(Date.now() / 1000) - 60 })), 'token_expired'],
        ['missing claims', bearer(await sign({ sub: claims.sub, type: 'access' })), 'token_claims_invalid'],
      ];
      for (const [name, headers, code] of cases) {
        const result = await profile(headers);
        expect(result.status, name).toBe(401);
        expect(result.body.code, name).toBe(code);
      }
    });
  });

  describe('refresh', () => {
    it('rotates: each refresh token works once and returns a new pair', async () => {
      const user = await registerUser(baseUrl);
      const first = await postJson(`${baseUrl}/v1/auth/refresh`, { refreshToken: user.refreshToken });
      expect(first.status).toBe(200);
      const pair = await readJson(first);
      expect(pair).toEqual({ token: expect.any(String), refreshToken: expect.any(String), expiresIn: 900 });
      expect(pair.refreshToken).not.toBe(user.refreshToken);
      expect((await profile(bearer(pair.token))).status).toBe(200);

      const second = await postJson(`${baseUrl}/v1/auth/refresh`, { refreshToken: pair.refreshToken });
      expect(second.status).toBe(200);
    });

    it('revokes the whole session when a rotated token is presented again', async () => {
      const user = await registerUser(baseUrl);
      const rotated = await readJson(await postJson(`${baseUrl}/v1/auth/refresh`, { refreshToken: user.refreshToken }));

      const replay = await postJson(`${baseUrl}/v1/auth/refresh`, { refreshToken: user.refreshToken });
      expect(replay.status).toBe(401);
      expect(await readJson(replay)).toMatchObject({ code: 'refresh_token_reused' });

      expect((await profile(bearer(rotated.token))).body.code).toBe('session_revoked');
      const newest = await postJson(`${baseUrl}/v1/auth/refresh`, { refreshToken: rotated.refreshToken });
      expect(await readJson(newest)).toMatchObject({ code: 'session_revoked' });

      const otherSession = await login(baseUrl, user);
      expect((await profile(bearer(otherSession.body.token))).status).toBe(200);
    });

    it('refuses an unknown refresh token', async () => {
      const response = await postJson(`${baseUrl}/v1/auth/refresh`, { refreshToken: 'made-up' });
      expect(response.status).toBe(401);
      expect(await readJson(response)).toMatchObject({ code: 'refresh_token_invalid' });
    });
  });

  describe('logout', () => {
    it('stops the access and refresh tokens of the session at once, and only those', async () => {
      const user = await registerUser(baseUrl);
      const other = await login(baseUrl, user);
      const response = await fetch(`${baseUrl}/v1/auth/logout`, { method: 'POST', headers: bearer(user.token) });
      expect(response.status).toBe(200);
      expect(await readJson(response)).toEqual({ success: true });

      expect((await profile(bearer(user.token))).body.code).toBe('session_revoked');
      expect(await readJson(await postJson(`${baseUrl}/v1/auth/refresh`, { refreshToken: user.refreshToken }))).toMatchObject({
        code: 'session_revoked',
      });
      expect((await profile(bearer(other.body.token))).status).toBe(200);
    });
  });

  describe('account', () => {
    it('reads and updates the profile, refusing a taken e-mail', async () => {
      const user = await registerUser(baseUrl);
      const taken = await registerUser(baseUrl);
      const patch = (body: unknown) =>
        fetch(`${baseUrl}/v1/user/profile`, { method: 'PATCH', headers: { ...bearer(user.token), 'content-type': 'application/json' }, body: JSON.stringify(body) });

      const renamed = await patch({ name: 'Maria Silva', email: ` NEW-${user.email.toUpperCase()}` });
      expect(renamed.status).toBe(200);
      expect((await readJson(renamed)).user).toMatchObject({ name: 'Maria Silva', email: `new-${user.email}` });

      const conflict = await patch({ email: taken.email });
      expect(conflict.status).toBe(409);
      expect(await readJson(conflict)).toMatchObject({ code: 'email_taken' });
      expect((await patch({})).status).toBe(400);
      expect((await patch({ role: 'admin' })).status).toBe(400);
    });

    it('changes the password, ending every other session but this one', async () => {
      const user = await registerUser(baseUrl);
      const other = await login(baseUrl, user);
      const change = (currentPassword: string) =>
        postJson(`${baseUrl}/v1/user/password`, { currentPassword, newPassword: 'a brand new password' }, bearer(user.token));

      expect(await readJson(await change('not my password'))).toMatchObject({ code: 'invalid_credentials' });
      expect((await change(user.password)).status).toBe(200);

      expect((await profile(bearer(user.token))).status).toBe(200);
      expect((await profile(bearer(other.body.token))).body.code).toBe('session_revoked');
      expect((await login(baseUrl, user)).status).toBe(401);
      expect((await login(baseUrl, { email: user.email, password: 'a brand new password' })).status).toBe(200);
    });

    it('deletes the account with its password, cascading to what it owns', async () => {
      const user = await registerUser(baseUrl);
      const remove = (password: string) =>
        fetch(`${baseUrl}/v1/user`, { method: 'DELETE', headers: { ...bearer(user.token), 'content-type': 'application/json' }, body: JSON.stringify({ password }) });

      expect((await remove('wrong password')).status).toBe(401);
      expect((await remove(user.password)).status).toBe(200);

      expect((await profile(bearer(user.token))).body.code).toBe('session_revoked');
      expect((await login(baseUrl, user)).status).toBe(401);
      const { rows } = await server.database.pool.query('SELECT 1 FROM sessions WHERE user_id = $1', [user.id]);
      expect(rows).toHaveLength(0);
      const audit = await server.database.pool.query(`SELECT user_id FROM audit_logs WHERE action = 'user.deleted' AND resource_id = $1`, [user.id]);
      expect(audit.rows).toEqual([{ user_id: null }]);
    });
  });
});
