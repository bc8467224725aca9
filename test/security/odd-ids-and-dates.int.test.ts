import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { readJson } from '../helpers/http.js';
import { startTestServer } from '../helpers/server.js';
import { bearer, postJson, registerUser, type TestUser } from '../helpers/users.js';

describe('odd ids and dates', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let user: TestUser;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, env: { DOCUSIGN_WEBHOOK_SECRET: 'connect-secret', ZOOM_WEBHOOK_SECRET: 'zoom-secret', RATE_LIMIT_MAX_REQUESTS: '100000' } });
    baseUrl = (await server.listen())!;
    user = await registerUser(baseUrl);
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  it('answers every route of the OpenAPI document, with odd values in its path parameters, in the error shape and never with a 5xx', async () => {
    const document = await readJson(await fetch(`${baseUrl}/v1/openapi.json`));
    const oddIds = ['abc', '00000000-0000-0000-0000-00000000000g', '%2e%2e%2f%2e%2e%2fetc', "1'%20OR%20'1'%3D'1", '9'.repeat(400), '%F0%9F%98%80', '-1'];
    let checked = 0;
    for (const [path, operations] of Object.entries(document.paths as Record<string, Record<string, unknown>>)) {
      if (!path.includes('{')) continue;
      for (const method of Object.keys(operations)) {
        for (const odd of oddIds) {
          const url = `${baseUrl}${path.replace(/\{[^}]+\}/g, odd)}`;
          const hasBody = ['post', 'put', 'patch'].includes(method);
          const response = await fetch(url, { method: method.toUpperCase(), headers: { ...bearer(user.token), ...(hasBody ? { 'content-type': 'application/json' } : {}) }, body: hasBody ? '{}' : undefined });
          expect(response.status, `${method} ${url}`).toBeLessThan(500);
          expect(await readJson(response), `${method} ${url}`).toMatchObject({ code: expect.any(String), requestId: expect.any(String) });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('refuses dates PostgreSQL would not give back exactly, and round-trips those it takes', async () => {
    const create = (startTime: string) => postJson(`${baseUrl}/v1/meetings`, { topic: 'Assembleia', startTime, duration: 60, onZoom: false }, bearer(user.token));
    for (const startTime of ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00Z', '0099-06-01T12:00:00Z', '1899-12-31T23:59:59Z', '9999-12-31T23:59:59-12:00', '+010000-01-01T00:00:00Z']) {
      const response = await create(startTime);
      expect(response.status, startTime).toBe(400);
      expect(await readJson(response)).toMatchObject({ code: 'validation_failed', details: [{ path: '/startTime' }] });
    }
    for (const [sent, stored] of [
      ['1900-01-01T00:00:00Z', '1900-01-01T00:00:00.000Z'],
      ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
      ['2026-03-08T02:30:00.123-03:00', '2026-03-08T05:30:00.123Z'],
    ]) {
      const created = await create(sent!);
      expect(created.status, sent).toBe(201);
      const { meeting } = await readJson(created);
      expect((await readJson(await fetch(`${baseUrl}/v1/meetings/${meeting.id}`, { headers: bearer(user.token) }))).meeting.startTime).toBe(stored);
    }
  });

  it('refuses out-of-range filters and pages with 400', async () => {
    for (const route of [
      '/v1/meetings?startDate=0000-01-01T00:00:00Z',
      '/v1/meetings?endDate=9999-12-31T23:59:59-12:00',
      '/v1/user/audit-logs?startDate=0001-01-01T00:00:00Z',
      '/v1/meetings?page=100000000000000000000',
      '/v1/meetings?page=-1&limit=0',
      '/v1/user/audit-logs?page=1e300',
    ]) {
      const response = await fetch(`${baseUrl}${route}`, { headers: bearer(user.token) });
      expect(response.status, route).toBe(400);
      expect(await readJson(response)).toMatchObject({ code: 'validation_failed' });
    }
  });
});
