import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startZoomEmulator, type ZoomEmulator } from '../emulators/zoom/zoom-emulator.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { test } from './helpers/fixtures.js';
import { readJson } from './helpers/http.js';
import { expectOwnerOnly } from './helpers/ownership.js';
import { startTestServer, zoomServerEnv } from './helpers/server.js';
import { bearer, postJson, registerUser, type TestUser } from './helpers/users.js';
import { zoomContractProblems } from './helpers/zoom-contract.js';

const credentials = { accountId: 'acct-m', clientId: 'client-m', clientSecret: 'secret-m', webhookSecret: 'hook-m' };
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const meetingInput = (overrides: Record<string, unknown> = {}) => ({ topic: 'Conselho de Administração', agenda: 'Pauta', startTime: inDays(2), duration: 60, ...overrides });

describe('meetings on Zoom', () => {
  let emulator: ZoomEmulator;
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let user: TestUser;

  beforeAll(async () => {
    emulator = await startZoomEmulator({ credentials });
    database = await createTestDatabase();
    server = await startTestServer({
      databaseUrl: database.url,
      env: {
        ...zoomServerEnv(emulator),
        RATE_LIMIT_MAX_REQUESTS: '10000',
      },
    });
    baseUrl = (await server.listen())!;
    user = await registerUser(baseUrl);
  });
  afterEach(() => emulator.reset());
  afterAll(async () => {
    await server.stop();
    await database.drop();
    await emulator.stop();
  });

  const send = (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const createMeeting = async (token = user.token, input: Record<string, unknown> = meetingInput(), headers: Record<string, string> = {}) => {
    const response = await send('POST', '/v1/meetings', token, input, headers);
    return { status: response.status, body: await readJson(response), headers: response.headers };
  };

  it('records a meeting held elsewhere (onZoom: false), past or future, without calling Zoom', async () => {
    const before = emulator.received.length;
    const held = await createMeeting(user.token, { topic: 'Assembleia presencial', startTime: '2026-01-10T19:00:00-03:00', duration: 120, onZoom: false, participants: [{ email: 'ana@example.com' }] });
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    expect(held.body.meeting).toMatchObject({ zoomMeetingId: null, joinUrl: null, status: 'scheduled', startTime: '2026-01-10T22:00:00.000Z' });
    expect(held.body.zoomJoinUrl).toBeUndefined();
    const updated = await send('PATCH', `/v1/meetings/${held.body.meeting.id}`, user.token, { topic: 'Assembleia geral presencial' });
    expect(updated.status).toBe(200);
    expect((await send('DELETE', `/v1/meetings/${held.body.meeting.id}`, user.token)).status).toBe(200);
    expect(emulator.received.length).toBe(before);

    const pastOnZoom = await createMeeting(user.token, meetingInput({ startTime: '2026-01-10T19:00:00-03:00' }));
    expect(pastOnZoom.status).toBe(400);
    expect(JSON.stringify(pastOnZoom.body.details)).toContain('startTime');
  });

  it('creates the meeting on Zoom, then stores it with its participants', async () => {
    const created = await createMeeting(user.token, meetingInput({ participants: [{ email: 'Ana@Example.com', name: 'Ana Lima' }, { email: 'joao@example.com' }] }));
    expect(created.status).toBe(201);
    const { meeting, zoomJoinUrl, zoomStartUrl } = created.body;
    expect(meeting).toMatchObject({ topic: 'Conselho de Administração', status: 'scheduled', duration: 60, joinUrl: zoomJoinUrl });
    expect(zoomStartUrl).toMatch(/\/s\/\d+\?zak=\w+$/);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const onZoom = emulator.meetings.get(meeting.zoomMeetingId)!;
    expect(onZoom.topic).toBe('Conselho de Administração');

    const details = await readJson(await send('GET', `/v1/meetings/${meeting.id}`, user.token));
    expect(details.hasMinutes).toBe(false);
    expect(details.participants.map((participant: { email: string }) => participant.email).sort()).toEqual(['ana@example.com', 'joao@example.com']);
    for (const request of emulator.received) expect(zoomContractProblems(request)).toEqual([]);
  });

  it.each([
    ['an empty topic', { topic: '' }],
    ['a topic over 500 characters', { topic: 'x'.repeat(501) }],
    ['an agenda over 2000 characters', { agenda: 'x'.repeat(2001) }],
    ['a start in the past', { startTime: '2020-01-01T10:00:00Z' }],
    ['a start without offset', { startTime: '2099-01-01T10:00:00' }],
    ['a duration under 15', { duration: 14 }],
    ['a duration over 480', { duration: 481 }],
    ['a bad participant e-mail', { participants: [{ email: 'nope' }] }],
  ])('refuses %s with 400 and creates nothing on Zoom', async (_case, overrides) => {
    const before = emulator.meetings.size;
    const created = await createMeeting(user.token, meetingInput(overrides));
    expect(created.status).toBe(400);
    expect(created.body.code).toBe('validation_failed');
    expect(emulator.meetings.size).toBe(before);
  });

  it('honours Idempotency-Key: a retry returns the first answer and creates nothing', async () => {
    const key = { 'idempotency-key': `key-${Date.now()}` };
    const input = meetingInput({ topic: 'Idempotent' });
    const first = await createMeeting(user.token, input, key);
    const before = emulator.meetings.size;
    const again = await createMeeting(user.token, input, key);
    expect(again.status).toBe(201);
    expect(again.body.meeting.id).toBe(first.body.meeting.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(emulator.meetings.size).toBe(before);
    // The start link (its zak, a credential) is not kept for replays: the replay asks Zoom again.
    const { zoomStartUrl: firstStartUrl, ...firstKept } = first.body;
    const { zoomStartUrl: againStartUrl, ...againKept } = again.body;
    expect(againKept).toEqual(firstKept);
    expect(againStartUrl).toMatch(/zak=/);
    expect(againStartUrl).not.toBe(firstStartUrl);
    const stored = await server.database.pool.query<{ text: string }>('SELECT response_body::text AS text FROM idempotency_keys WHERE key = $1', [key['idempotency-key']]);
    expect(stored.rows[0]!.text).toContain(first.body.meeting.id);
    expect(stored.rows[0]!.text).not.toContain('zak=');

    const reused = await createMeeting(user.token, meetingInput({ topic: 'Something else' }), key);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it("gives the host a start link fresh from Zoom each time, and keeps none", async () => {
    const { body } = await createMeeting();
    const startUrl = async (id: string, token = user.token) => {
      const response = await send('GET', `/v1/meetings/${id}/start-url`, token);
      return { status: response.status, body: await readJson(response), headers: response.headers };
    };
    const first = await startUrl(body.meeting.id);
    const second = await startUrl(body.meeting.id);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.body.startUrl).toMatch(new RegExp(`/s/${body.meeting.zoomMeetingId}\\?zak=\\w+$`));
    expect(new Set([body.zoomStartUrl, first.body.startUrl, second.body.startUrl]).size).toBe(3);
    const rows = await server.database.pool.query<{ text: string }>('SELECT to_jsonb(m)::text AS text FROM meetings m WHERE id = $1', [body.meeting.id]);
    expect(rows.rows[0]!.text).not.toContain('zak');
    const details = await readJson(await send('GET', `/v1/meetings/${body.meeting.id}`, user.token));
    expect(JSON.stringify(details)).not.toContain('zak');
    expect((await startUrl(body.meeting.id, (await registerUser(baseUrl)).token)).status).toBe(404);

    const held = await createMeeting(user.token, { topic: 'Presencial', startTime: inDays(1), duration: 60, onZoom: false });
    expect((await startUrl(held.body.meeting.id)).body.code).toBe('meeting_not_on_zoom');

    emulator.meetings.delete(body.meeting.zoomMeetingId);
    const gone = await startUrl(body.meeting.id);
    expect(gone.status).toBe(409);
    expect(gone.body.code).toBe('meeting_cancelled');
    expect((await readJson(await send('GET', `/v1/meetings/${body.meeting.id}`, user.token))).meeting.status).toBe('cancelled');
  });

  it('leaves no row when Zoom fails the create, and a retry after the failure works', async () => {
    const count = async () => Number((await server.database.pool.query('SELECT count(*) FROM meetings')).rows[0].count);
    const before = await count();
    emulator.failNext({ status: 500, body: { code: 500, message: 'Internal error' } });
    const input = meetingInput();
    const failed = await createMeeting(user.token, input, { 'idempotency-key': 'fails-once' });
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ code: 'provider_error', details: { provider: 'zoom' } });
    expect(await count()).toBe(before);

    const retried = await createMeeting(user.token, input, { 'idempotency-key': 'fails-once' });
    expect(retried.status).toBe(201);
  });

  it('waits for Retry-After when Zoom answers 429, then succeeds', async () => {
    emulator.failNext({ status: 429, retryAfterSec: 1, body: { code: 429, message: 'Too many requests' } });
    const created = await createMeeting();
    expect(created.status).toBe(201);
  });

  it('lists only the owner’s meetings, with filters and pagination edges', async () => {
    const owner = await registerUser(baseUrl);
    const early = await createMeeting(owner.token, meetingInput({ startTime: inDays(1), topic: 'A' }));
    await createMeeting(owner.token, meetingInput({ startTime: inDays(5), topic: 'B' }));
    await createMeeting(owner.token, meetingInput({ startTime: inDays(9), topic: 'C' }));
    await send('DELETE', `/v1/meetings/${early.body.meeting.id}`, owner.token);
    const list = async (query: string) => {
      const response = await send('GET', `/v1/meetings${query}`, owner.token);
      return { status: response.status, body: await readJson(response) };
    };

    const all = await list('');
    expect(all.body.meetings.map((meeting: { topic: string }) => meeting.topic)).toEqual(['C', 'B', 'A']);
    expect(all.body.pagination).toEqual({ total: 3, page: 1, limit: 20, totalPages: 1 });
    expect((await list('?status=cancelled')).body.meetings.map((meeting: { topic: string }) => meeting.topic)).toEqual(['A']);
    const window = await list(`?startDate=${encodeURIComponent(inDays(3))}&endDate=${encodeURIComponent(inDays(7))}`);
    expect(window.body.meetings.map((meeting: { topic: string }) => meeting.topic)).toEqual(['B']);
    expect((await list('?limit=2&page=2')).body).toMatchObject({ meetings: [{ topic: 'A' }], pagination: { total: 3, page: 2, limit: 2, totalPages: 2 } });
    expect((await list('?page=9')).body.meetings).toEqual([]);
    expect((await list('?limit=101')).status).toBe(400);
    expect((await list('?page=0')).status).toBe(400);
    expect((await list('?status=postponed')).status).toBe(400);
  });

  it('updates Zoom first; a meeting Zoom no longer has becomes cancelled', async () => {
    const { body } = await createMeeting();
    const id = body.meeting.id;
    const updated = await send('PATCH', `/v1/meetings/${id}`, user.token, { topic: 'Novo tema', duration: 90 });
    expect(updated.status).toBe(200);
    expect((await readJson(updated)).meeting).toMatchObject({ topic: 'Novo tema', duration: 90 });
    expect(emulator.meetings.get(body.meeting.zoomMeetingId)).toMatchObject({ topic: 'Novo tema', duration: 90 });

    emulator.meetings.delete(body.meeting.zoomMeetingId);
    const gone = await send('PATCH', `/v1/meetings/${id}`, user.token, { topic: 'Outro' });
    expect(gone.status).toBe(409);
    expect(await readJson(gone)).toMatchObject({ code: 'meeting_cancelled' });
    expect((await readJson(await send('GET', `/v1/meetings/${id}`, user.token))).meeting.status).toBe('cancelled');
  });

  it('cancels on Zoom and keeps the row', async () => {
    const { body } = await createMeeting();
    const response = await send('DELETE', `/v1/meetings/${body.meeting.id}`, user.token);
    expect(response.status).toBe(200);
    expect(emulator.meetings.has(body.meeting.zoomMeetingId)).toBe(false);
    expect((await readJson(await send('GET', `/v1/meetings/${body.meeting.id}`, user.token))).meeting.status).toBe('cancelled');
  });

  it('adds participants once per e-mail, registering them on Zoom when registration is on', async () => {
    const { body } = await createMeeting(user.token, meetingInput({ registration: true, participants: [{ email: 'ana@example.com', name: 'Ana Lima' }] }));
    const onZoom = emulator.meetings.get(body.meeting.zoomMeetingId)!;
    expect(onZoom.registrants.map((registrant) => registrant.email)).toEqual(['ana@example.com']);

    const added = await send('POST', `/v1/meetings/${body.meeting.id}/participants`, user.token, {
      participants: [{ email: 'ANA@example.com' }, { email: 'bia@example.com', name: 'Bia' }, { email: 'bia@example.com' }],
    });
    expect(added.status).toBe(200);
    expect((await readJson(added)).participants.map((participant: { email: string }) => participant.email)).toEqual(['ana@example.com', 'bia@example.com']);
    expect(onZoom.registrants.map((registrant) => registrant.email)).toEqual(['ana@example.com', 'bia@example.com']);
    for (const request of emulator.received) expect(zoomContractProblems(request)).toEqual([]);
  });

  it('reports the recording when Zoom has one', async () => {
    const { body } = await createMeeting();
    const path = `/v1/meetings/${body.meeting.id}/recording`;
    expect(await readJson(await send('GET', path, user.token))).toEqual({ hasRecording: false, recordingFiles: [] });
    emulator.addRecording(body.meeting.zoomMeetingId, 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAna: Olá\n');
    const recording = await readJson(await send('GET', path, user.token));
    expect(recording).toMatchObject({ hasRecording: true, transcriptUrl: expect.stringContaining('/rec/download/') });
    expect(recording.recordingFiles.map((file: { fileType: string }) => file.fileType)).toEqual(['MP4', 'TRANSCRIPT']);
  });

  it('serves each meeting route to its owner only', async () => {
    const owner = await registerUser(baseUrl);
    const intruder = await registerUser(baseUrl);
    const { body } = await createMeeting(owner.token);
    const id = body.meeting.id;
    await expectOwnerOnly(baseUrl, { method: 'GET', path: `/v1/meetings/${id}` }, owner, intruder);
    await expectOwnerOnly(baseUrl, { method: 'GET', path: `/v1/meetings/${id}/recording` }, owner, intruder);
    await expectOwnerOnly(baseUrl, { method: 'PATCH', path: `/v1/meetings/${id}`, body: { duration: 30 } }, owner, intruder);
    await expectOwnerOnly(baseUrl, { method: 'POST', path: `/v1/meetings/${id}/participants`, body: { participants: [{ email: 'x@example.com' }] } }, owner, intruder);
    await expectOwnerOnly(baseUrl, { method: 'DELETE', path: `/v1/meetings/${id}` }, owner, intruder);
    const intruderList = await readJson(await send('GET', '/v1/meetings', intruder.token));
    expect(intruderList.meetings).toEqual([]);
  });

  it('audits every change of a meeting', async () => {
    const owner = await registerUser(baseUrl);
    const { body } = await createMeeting(owner.token);
    await send('PATCH', `/v1/meetings/${body.meeting.id}`, owner.token, { duration: 45 });
    await send('POST', `/v1/meetings/${body.meeting.id}/participants`, owner.token, { participants: [{ email: 'c@example.com' }] });
    await send('DELETE', `/v1/meetings/${body.meeting.id}`, owner.token);
    const { rows } = await server.database.pool.query('SELECT action FROM audit_logs WHERE resource_id = $1 ORDER BY created_at', [body.meeting.id]);
    expect(rows.map((row) => row.action)).toEqual(['meeting.created', 'meeting.updated', 'meeting.participants_added', 'meeting.cancelled']);
  });
});

describe('Zoom tokens shared through Redis', () => {
  test('two instances ask Zoom for one token, kept sealed in Redis', async ({ startServer, onTestFinished }) => {
    const emulator = await startZoomEmulator({ credentials: { ...credentials, clientId: `client-shared-${Date.now()}` } });
    onTestFinished(() => emulator.stop());
    const env = {
      REDIS_URL: inject('redisUrl'),
      ...zoomServerEnv(emulator),
      TRUST_PROXY: 'true',
    };
    const [a, b] = [await startServer({ env }), await startServer({ env })];
    const [urlA, urlB] = [(await a.listen())!, (await b.listen())!];
    const user = await registerUser(urlA, {}, { 'x-forwarded-for': '198.51.100.77' });
    expect((await postJson(`${urlA}/v1/meetings`, meetingInput(), bearer(user.token))).status).toBe(201);
    expect((await postJson(`${urlB}/v1/meetings`, meetingInput(), bearer(user.token))).status).toBe(201);
    expect(emulator.issuedTokenCount()).toBe(1);

    const redis = new Redis(inject('redisUrl'));
    onTestFinished(() => redis.disconnect());
    const keys = await redis.keys('atas:zoom-token:*');
    const values = await Promise.all(keys.map((key) => redis.get(key)));
    expect(values.some((value) => value?.includes('sealed'))).toBe(true);
    expect(values.join('')).not.toContain('emulated-zoom-');
  });
});

describe('meetings without Zoom, and with Zoom down', () => {
  let emulator: ZoomEmulator;

  beforeAll(async () => {
    emulator = await startZoomEmulator({ credentials });
  });
  afterEach(() => emulator.reset());
  afterAll(() => emulator.stop());

  test('answers 424 integration_not_configured when neither the user nor the server has Zoom credentials', async ({ startServer }) => {
    const baseUrl = (await (await startServer()).listen())!;
    const user = await registerUser(baseUrl);
    const response = await postJson(`${baseUrl}/v1/meetings`, meetingInput(), bearer(user.token));
    expect(response.status).toBe(424);
    expect(await readJson(response)).toMatchObject({ code: 'integration_not_configured', details: { provider: 'zoom' } });

    await postJson(`${baseUrl}/v1/integrations/zoom`, { credentials }, bearer(user.token));
    const withOwn = await startServer({ env: { ZOOM_API_BASE_URL: emulator.apiBaseUrl, ZOOM_OAUTH_URL: emulator.oauthUrl } });
    const ownUrl = (await withOwn.listen())!;
    expect((await postJson(`${ownUrl}/v1/meetings`, meetingInput(), bearer(user.token))).status).toBe(201);
  });

  test('opens the circuit after repeated Zoom failures, and health says zoom down', async ({ startServer }) => {
    const baseUrl = (await (await startServer({ env: zoomServerEnv(emulator) })).listen())!;
    const user = await registerUser(baseUrl);
    const created = await readJson(await postJson(`${baseUrl}/v1/meetings`, meetingInput(), bearer(user.token)));
    expect(await readJson(await fetch(`${baseUrl}/v1/health`))).toMatchObject({ services: { zoom: 'ok' } });

    emulator.failNext({ status: 503, times: 50 });
    const recording = (token: string) => fetch(`${baseUrl}/v1/meetings/${created.meeting.id}/recording`, { headers: bearer(token) });
    expect((await recording(user.token)).status).toBe(502);
    expect((await recording(user.token)).status).toBeGreaterThanOrEqual(502);
    const open = await recording(user.token);
    expect(open.status).toBe(503);
    expect(await readJson(open)).toMatchObject({ code: 'provider_unavailable' });
    const health = await readJson(await fetch(`${baseUrl}/v1/health`));
    expect(health).toMatchObject({ status: 'degraded', services: { zoom: 'down' } });
  });
});
