import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { readJson } from '../helpers/http.js';
import { startTestServer } from '../helpers/server.js';
import { bearer, postJson, registerUser } from '../helpers/users.js';

/** What Fastify and Node's HTTP parser refuse on their own still answers `{ error, code, requestId }`. */
describe("Fastify's and Node's own refusals", () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    baseUrl = (await server.listen())!;
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  /** Sends `request` as raw bytes; resolves with the status and the JSON body of the answer. */
  function raw(request: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const { hostname, port } = new URL(baseUrl);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => socket.end(request));
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
      socket.on('error', reject);
      socket.on('close', () => {
        const [head = '', body = ''] = answer.split('\r\n\r\n');
        resolve({ status: Number(head.split(' ')[1]), body: JSON.parse(body) as Record<string, unknown> });
      });
    });
  }

  it('a path parameter over the length limit: 414 uri_too_long', async () => {
    const response = await fetch(`${baseUrl}/v1/meetings/${'9'.repeat(500)}`);
    expect(response.status).toBe(414);
    expect(await readJson(response)).toMatchObject({ code: 'uri_too_long', requestId: expect.any(String) });
  });

  it('a URL that cannot be decoded: 400 bad_request', async () => {
    const response = await fetch(`${baseUrl}/v1/meetings/%E0%A4%A`);
    expect(response.status).toBe(400);
    expect(await readJson(response)).toMatchObject({ code: 'bad_request', requestId: expect.any(String) });
  });

  it('headers over the size limit: 431 headers_too_large', async () => {
    const answer = await raw(`GET /v1/health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatchObject({ status: 431, body: { code: 'headers_too_large', requestId: expect.any(String) } });
  });

  it('bytes that are not HTTP: 400 bad_request', async () => {
    const answer = await raw('HELLO THERE\r\n\r\n');
    expect(answer).toMatchObject({ status: 400, body: { code: 'bad_request', requestId: expect.any(String) } });
  });

  it('OPTIONS without an Origin, and a body the JSON parser refuses', async () => {
    const options = await fetch(`${baseUrl}/v1/meetings`, { method: 'OPTIONS' });
    expect(options.status).toBe(200);
    expect(options.headers.get('access-control-allow-origin')).toBeNull();
    for (const body of ['{"a":', '[1,2', '"\\ud800"x', '{"__proto__":{"isAdmin":true}}']) {
      const response = await fetch(`${baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status, body).toBe(400);
      expect(await readJson(response), body).toMatchObject({ code: 'invalid_json', requestId: expect.any(String) });
    }
    // An empty body is no body: a route that needs one says what is missing.
    const empty = await fetch(`${baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' });
    expect(empty.status).toBe(400);
    expect(await readJson(empty)).toMatchObject({ code: 'validation_failed' });
  });

  it('takes an empty body with a JSON content type on routes that have none (as SDKs send DELETE and body-less POST)', async () => {
    const user = await registerUser(baseUrl);
    const created = await readJson(await postJson(`${baseUrl}/v1/meetings`, { topic: 'Vazia', startTime: '2026-01-10T13:00:00Z', duration: 60, onZoom: false }, bearer(user.token)));
    const emptyJson = { 'content-type': 'application/json', ...bearer(user.token) };
    expect((await fetch(`${baseUrl}/v1/meetings/${created.meeting.id}`, { method: 'DELETE', headers: emptyJson, body: '' })).status).toBe(200);
    expect((await fetch(`${baseUrl}/v1/auth/logout`, { method: 'POST', headers: emptyJson, body: '' })).status).toBe(200);
  });
});
