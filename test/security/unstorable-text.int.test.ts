import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { readJson } from '../helpers/http.js';
import { startTestServer } from '../helpers/server.js';
import { bearer, registerUser, type TestUser } from '../helpers/users.js';

/**
 * Text PostgreSQL cannot store (NUL, unpaired surrogates): refused with 400 naming the field
 * wherever a client sends it as a field; cleaned in an uploaded file (README, "Text that cannot be stored").
 */
describe('text that cannot be stored', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let user: TestUser;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url });
    baseUrl = (await server.listen())!;
    user = await registerUser(baseUrl);
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  const meeting = (overrides: Record<string, unknown> = {}) => ({ topic: 'Assembleia', startTime: '2026-01-10T13:00:00-03:00', duration: 60, onZoom: false, ...overrides });
  const meetingCount = async () => Number((await server.database.pool.query('SELECT count(*) FROM meetings WHERE user_id = $1', [user.id])).rows[0].count);
  const send = (method: string, route: string, body: string) =>
    fetch(`${baseUrl}${route}`, { method, headers: { 'content-type': 'application/json', ...bearer(user.token) }, body });

  it('refuses NUL and unpaired surrogates in any JSON field, naming it, and stores nothing', async () => {
    const cases: { method: string; route: string; body: string; location: string; path: string }[] = [
      { method: 'POST', route: '/v1/meetings', body: JSON.stringify(meeting({ topic: 'Assembleia\u0000' })), location: 'body', path: '/topic' },
      { method: 'POST', route: '/v1/meetings', body: JSON.stringify(meeting({ agenda: 'Pauta \ud800' })), location: 'body', path: '/agenda' },
      { method: 'POST', route: '/v1/meetings', body: '{"topic":"A","participants":[{"email":"a@example.com","name":"\\udfffAna"}]}', location: 'body', path: '/participants/0/name' },
      { method: 'POST', route: '/v1/meetings', body: '{"topic\\u0000":"A"}', location: 'body', path: '/topic\u0000' },
      { method: 'PATCH', route: '/v1/user/profile', body: JSON.stringify({ name: 'Ana\u0000' }), location: 'body', path: '/name' },
      { method: 'POST', route: '/v1/auth/login', body: JSON.stringify({ email: user.email, password: `${user.password}\u0000` }), location: 'body', path: '/password' },
    ];
    for (const { method, route, body, location, path } of cases) {
      const response = await send(method, route, body);
      expect(response.status, body).toBe(400);
      expect(await readJson(response)).toMatchObject({ code: 'validation_failed', details: [{ location, path, message: expect.stringContaining('NUL') }], requestId: expect.any(String) });
    }
    expect(await meetingCount()).toBe(0);
    expect((await fetch(`${baseUrl}/v1/user/profile`, { headers: bearer(user.token) }).then(readJson)).user.name).toBeNull();
  });

  it('refuses them in the query and the path too, before any other check', async () => {
    for (const [route, location] of [
      ['/v1/meetings?status=%00', 'querystring'],
      ['/v1/meetings/%00', 'params'],
    ] as const) {
      const response = await fetch(`${baseUrl}${route}`, { headers: bearer(user.token) });
      expect(response.status, route).toBe(400);
      expect(await readJson(response)).toMatchObject({ code: 'validation_failed', details: [{ location, message: expect.stringContaining('NUL') }] });
    }
  });

  it('finds them 50,000 levels deep in a field the route ignores, and answers 400, not a crash', async () => {
    const body = JSON.stringify(meeting()).replace(/}$/, `,"ignored":${'['.repeat(50_000)}"\\u0000"${']'.repeat(50_000)}}`);
    const response = await send('POST', '/v1/meetings', body);
    expect(response.status).toBe(400);
    expect(await readJson(response)).toMatchObject({ code: 'validation_failed', details: [{ location: 'body', path: `/ignored${'/0'.repeat(50_000)}` }] });
    expect(await meetingCount()).toBe(0);
  });

  it('cleans an uploaded transcript of control characters, reads UTF-16 with a byte order mark, and refuses bytes that are not text', async () => {
    const created = await readJson(await send('POST', '/v1/meetings', JSON.stringify(meeting())));
    const upload = (content: Buffer) =>
      fetch(`${baseUrl}/v1/meetings/${created.meeting.id}/transcript`, { method: 'POST', headers: { 'content-type': 'text/plain', ...bearer(user.token) }, body: content });

    const withNul = await upload(Buffer.from('Ana Souza: Bom\u0000 dia\u0007.\nBruno Lima: Aprovado.\n'));
    expect(withNul.status).toBe(201);
    expect((await readJson(withNul)).turns.map((turn: { speaker: string; text: string }) => `${turn.speaker}: ${turn.text}`)).toEqual(['Ana Souza: Bom dia.', 'Bruno Lima: Aprovado.']);

    const utf16 = await upload(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Ana Souza: Ação aprovada.\n', 'utf16le')]));
    expect(utf16.status).toBe(201);
    expect((await readJson(utf16)).turns[0]).toMatchObject({ speaker: 'Ana Souza', text: 'Ação aprovada.' });

    const binary = await upload(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xd8]));
    expect(binary.status).toBe(422);
    expect(await readJson(binary)).toMatchObject({ code: 'unprocessable_transcript' });
  });
});
