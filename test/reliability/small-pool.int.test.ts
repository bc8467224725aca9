import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators/openai/openai-emulator.js';
import type { Server } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { readJson } from '../helpers/http.js';
import { openaiServerEnv, startTestServer } from '../helpers/server.js';
import { bearer, registerUser, type TestUser } from '../helpers/users.js';

const CONCURRENCY = 50;
const ZOOM_SECRET = 'small-pool-zoom-secret';

/**
 * Two database connections for everything: 50 mutating requests of each kind at once all
 * complete, none waits on a connection its own transaction holds (a deadlock would time out),
 * and nothing is left half done.
 */
describe('DATABASE_POOL_MAX=2 under 50 concurrent mutating requests of each kind', () => {
  let openai: OpenAIEmulator;
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let users: TestUser[];
  let meetingIds: string[];

  beforeAll(async () => {
    openai = await startOpenAIEmulator({ apiKey: 'sk-small-pool', contextTokens: 16_384 });
    database = await createTestDatabase();
    server = await startTestServer({
      databaseUrl: database.url,
      env: {
        ...openaiServerEnv(openai),
        DATABASE_POOL_MAX: '2',
        DATABASE_POOL_MIN: '0',
        RATE_LIMIT_MAX_REQUESTS: '100000',
        ZOOM_WEBHOOK_SECRET: ZOOM_SECRET,
        OPENAI_CONTEXT_TOKENS: '16384',
        OPENAI_MAX_TOKENS: '2000',
      },
    });
    baseUrl = (await server.listen())!;
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
    await openai.stop();
  });

  const send = (method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...(token ? bearer(token) : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  /** Runs `count` requests at once; every one must answer `expected`. */
  async function allAtOnce(label: string, request: (index: number) => Promise<Response>, expected: number) {
    const responses = await Promise.all(Array.from({ length: CONCURRENCY }, (_, index) => request(index)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status !== expected), `${label}: ${JSON.stringify(statuses)}`).toEqual([]);
    return Promise.all(responses.map((response) => readJson(response)));
  }
  const count = async (sql: string) => Number((await server.database.pool.query(sql)).rows[0].count);

  it('accounts: register, log in, refresh, edit the profile, change the password', async () => {
    users = await Promise.all(Array.from({ length: CONCURRENCY }, () => registerUser(baseUrl)));
    const logins = await allAtOnce('login', (i) => send('POST', '/v1/auth/login', undefined, { email: users[i]!.email, password: users[i]!.password }), 200);
    await allAtOnce('refresh', (i) => send('POST', '/v1/auth/refresh', undefined, { refreshToken: logins[i].refreshToken }), 200);
    await allAtOnce('profile', (i) => send('PATCH', '/v1/user/profile', users[i]!.token, { name: `Pessoa ${i}` }), 200);
    await allAtOnce('password', (i) => send('POST', '/v1/user/password', users[i]!.token, { currentPassword: users[i]!.password, newPassword: `${users[i]!.password}-new` }), 200);
    expect(await count("SELECT count(*) FROM users WHERE name LIKE 'Pessoa %'")).toBe(CONCURRENCY);
  });

  it('meetings: create, edit, add participants, upload transcripts', async () => {
    const created = await allAtOnce('create', (i) => send('POST', '/v1/meetings', users[i]!.token, { topic: `Reunião ${i}`, startTime: '2026-01-10T13:00:00Z', duration: 60, onZoom: false }), 201);
    meetingIds = created.map((body) => body.meeting.id as string);
    await allAtOnce('edit', (i) => send('PATCH', `/v1/meetings/${meetingIds[i]}`, users[i]!.token, { topic: `Reunião ${i} (editada)` }), 200);
    await allAtOnce('participants', (i) => send('POST', `/v1/meetings/${meetingIds[i]}/participants`, users[i]!.token, { participants: [{ email: `p${i}@example.com`, name: 'Ana Souza' }] }), 200);
    await allAtOnce('transcript', (i) => send('POST', `/v1/meetings/${meetingIds[i]}/transcript`, users[i]!.token, `Ana Souza: Abertura ${i}.\nBruno Lima: Aprovado por unanimidade.\n`, { 'content-type': 'text/plain' }), 201);
    expect(await count("SELECT count(*) FROM meetings WHERE topic LIKE '% (editada)'")).toBe(CONCURRENCY);
    expect(await count('SELECT count(*) FROM transcripts')).toBe(CONCURRENCY);
  });

  it('minutes: 50 generations and PDFs at once, then 50 edits', async () => {
    await allAtOnce('generate', (i) => send('POST', `/v1/meetings/${meetingIds[i]}/minutes`, users[i]!.token, { language: 'pt-BR' }, { prefer: 'respond-async' }), 202);
    await expect.poll(() => count("SELECT count(*) FROM meeting_minutes WHERE status = 'draft' AND pdf_blob_key IS NOT NULL"), { timeout: 60_000, interval: 100 }).toBe(CONCURRENCY);
    expect(await count("SELECT count(*) FROM meeting_minutes WHERE status = 'draft' AND pdf_blob_key IS NOT NULL AND error_code IS NULL")).toBe(CONCURRENCY);
    const minutesIds = (await server.database.pool.query('SELECT id, user_id FROM meeting_minutes')).rows as { id: string; user_id: string }[];
    const minutesOf = (i: number) => minutesIds.find((row) => row.user_id === users[i]!.id)!.id;
    await allAtOnce('edit minutes', (i) => send('PATCH', `/v1/minutes/${minutesOf(i)}`, users[i]!.token, { content: `# Ata ${i}\n\nTexto revisto.` }), 200);
  });

  it('webhooks: 50 signed Zoom events at once, every one stored and processed', async () => {
    await allAtOnce(
      'webhooks',
      (i) => {
        const body = JSON.stringify({ event: 'meeting.started', event_ts: Date.now() + i, payload: { object: { id: `9${i}`, uuid: `pool-${i}` } } });
        const timestamp = String(Math.floor(Date.now() / 1000));
        const signature = `v0=${createHmac('sha256', ZOOM_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
        return send('POST', '/v1/webhooks/zoom', undefined, body, { 'x-zm-request-timestamp': timestamp, 'x-zm-signature': signature });
      },
      200,
    );
    await expect.poll(() => count('SELECT count(*) FROM webhook_events WHERE processed'), { timeout: 30_000, interval: 100 }).toBe(CONCURRENCY);
  });
});
