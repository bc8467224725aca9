import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { readJson } from '../helpers/http.js';
import { startTestServer } from '../helpers/server.js';
import { bearer, registerUser, type TestUser } from '../helpers/users.js';

/** The service always keeps an active admin: the last one cannot demote, disable or delete itself. */
describe('the last active admin', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let first: TestUser;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, env: { ADMIN_EMAILS: 'first@example.com,second@example.com' } });
    baseUrl = (await server.listen())!;
    first = await registerUser(baseUrl, { email: 'first@example.com' });
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  const patchUser = (token: string, id: string, body: unknown) =>
    fetch(`${baseUrl}/v1/admin/users/${id}`, { method: 'PATCH', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const deleteAccount = (user: TestUser) =>
    fetch(`${baseUrl}/v1/user`, { method: 'DELETE', headers: { ...bearer(user.token), 'content-type': 'application/json' }, body: JSON.stringify({ password: user.password }) });
  const activeAdmins = async () => Number((await server.database.pool.query("SELECT count(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL")).rows[0].count);

  it('cannot demote, disable or delete itself (409 last_admin)', async () => {
    for (const response of [await patchUser(first.token, first.id, { role: 'user' }), await patchUser(first.token, first.id, { disabled: true }), await deleteAccount(first)]) {
      expect(response.status).toBe(409);
      expect(await readJson(response)).toMatchObject({ code: 'last_admin' });
    }
    expect(await activeAdmins()).toBe(1);
  });

  it('two admins demoting each other at once: one succeeds, one is refused, one admin remains', async () => {
    const second = await registerUser(baseUrl, { email: 'second@example.com' });
    expect(await activeAdmins()).toBe(2);
    const [a, b] = await Promise.all([patchUser(first.token, second.id, { role: 'user' }), patchUser(second.token, first.id, { role: 'user' })]);
    // The refused one is a 409, or a 403 when its admin was demoted before its request was checked.
    expect([a.status, b.status].filter((status) => status === 200)).toHaveLength(1);
    expect([a.status, b.status].filter((status) => status === 409 || status === 403)).toHaveLength(1);
    expect(await activeAdmins()).toBe(1);
  });
});
