import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startZoomEmulator, type ZoomEmulator } from '../emulators/zoom/zoom-emulator.js';
import { ProviderError } from '../src/providers/provider-error.js';
import { createResilience } from '../src/providers/resilience.js';
import { createZoomClient } from '../src/providers/zoom/zoom.client.js';
import { createZoomClients } from '../src/providers/zoom/zoom.clients.js';
import { zoomContractProblems } from './helpers/zoom-contract.js';

const credentials = { accountId: 'acct-1', clientId: 'client-1', clientSecret: 'secret-1', webhookSecret: 'hook-secret-1' };

describe('Zoom client against the emulator', () => {
  let emulator: ZoomEmulator;

  beforeAll(async () => {
    emulator = await startZoomEmulator({ credentials });
  });
  afterEach(() => emulator.reset());
  afterAll(() => emulator.stop());

  const newClient = (overrides: Partial<Parameters<typeof createResilience>[0]> = {}, clientCredentials = credentials) =>
    createZoomClient({
      credentials: clientCredentials,
      apiBaseUrl: emulator.apiBaseUrl,
      oauthUrl: emulator.oauthUrl,
      resilience: createResilience({ provider: 'zoom', baseDelayMs: 10, timeoutMs: 2000, ...overrides }),
    });

  it('creates, reads, updates and deletes a meeting, with requests that follow Zoom’s OpenAPI spec', async () => {
    const client = newClient();
    const before = emulator.received.length;
    const created = await client.meetingCreate({ topic: 'Conselho', type: 2, start_time: '2030-01-10T13:00:00Z', duration: 60, timezone: 'UTC', agenda: 'Pauta', settings: { approval_type: 0 } });
    expect(created).toMatchObject({ topic: 'Conselho', join_url: expect.stringContaining('/j/'), start_url: expect.any(String) });
    await client.meetingUpdate(created.id, { topic: 'Conselho (novo)', duration: 90 });
    expect((await client.meeting(created.id)).topic).toBe('Conselho (novo)');
    const registrant = await client.meetingRegistrantCreate(created.id, { email: 'ana@example.com', first_name: 'Ana', last_name: 'Lima' });
    expect(registrant.join_url).toContain('tk=');
    emulator.addRecording(created.id, 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nAna: Olá\n');
    const recordings = await client.recordingGet(created.id);
    expect(recordings.recording_files.map((file) => file.file_type)).toEqual(['MP4', 'TRANSCRIPT']);
    await client.meetingDelete(created.id);
    await expect(client.meeting(created.id)).rejects.toMatchObject({ status: 404, code: '3001' });

    const sent = emulator.received.slice(before);
    expect(sent.map((request) => request.method)).toEqual(['POST', 'PATCH', 'GET', 'POST', 'GET', 'DELETE', 'GET']);
    for (const request of sent) expect(zoomContractProblems(request), `${request.method} ${request.path}`).toEqual([]);
    expect(sent.every((request) => request.authorization?.startsWith('Bearer emulated-zoom-'))).toBe(true);
  });

  it('the contract check catches a request Zoom would not accept', () => {
    expect(zoomContractProblems({ method: 'POST', path: '/v2/users/me/meetings', query: {}, body: { topic: 5 }, authorization: undefined })).not.toEqual([]);
    expect(zoomContractProblems({ method: 'PUT', path: '/v2/meetings/1', query: {}, body: {}, authorization: undefined })).not.toEqual([]);
    // Formats are checked too (ajv-formats), not ignored.
    expect(zoomContractProblems({ method: 'POST', path: '/v2/users/me/meetings', query: {}, body: { topic: 'Conselho', start_time: 'amanhã às 10h' }, authorization: undefined })).toEqual([
      '/users/{userId}/meetings body/start_time must match format "date-time"',
    ]);
  });

  it('asks for one token for concurrent calls and reuses it', async () => {
    const client = newClient();
    const tokensBefore = emulator.received.filter((request) => request.path.startsWith('/oauth')).length;
    const meetings = await Promise.all([1, 2, 3].map((n) => client.meetingCreate({ topic: `T${n}` })));
    const tokens = new Set(emulator.received.slice(-3).map((request) => request.authorization));
    expect(meetings).toHaveLength(3);
    expect(tokens.size).toBe(1);
    expect(tokensBefore).toBe(0);
  });

  it('refreshes the token once when Zoom says it expired (code 124)', async () => {
    const client = newClient();
    const meeting = await client.meetingCreate({ topic: 'T' });
    emulator.expireAccessTokens();
    expect((await client.meeting(meeting.id)).id).toBe(meeting.id);
  });

  it('waits for Retry-After on 429 and retries', async () => {
    const client = newClient();
    const meeting = await client.meetingCreate({ topic: 'T' });
    emulator.failNext({ status: 429, retryAfterSec: 1, body: { code: 429, message: 'Too many requests' } });
    const started = Date.now();
    expect((await client.meeting(meeting.id)).id).toBe(meeting.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('retries a 5xx on a read, but never repeats a create that may have happened', async () => {
    const client = newClient();
    const meeting = await client.meetingCreate({ topic: 'T' });
    emulator.failNext({ status: 503 });
    expect((await client.meeting(meeting.id)).id).toBe(meeting.id);

    const count = emulator.meetings.size;
    emulator.failNext({ status: 500 });
    await expect(client.meetingCreate({ topic: 'Once' })).rejects.toMatchObject({ status: 500, retryable: false });
    expect(emulator.meetings.size).toBe(count);
  });

  it('gives up after its attempts, times out slow answers, and opens the circuit after repeated failures', async () => {
    const client = newClient({ maxAttempts: 2, breakerThreshold: 2, halfOpenAfterMs: 60_000, timeoutMs: 200 });
    const meeting = await client.meetingCreate({ topic: 'T' });
    emulator.setLatency(400);
    await expect(client.meeting(meeting.id)).rejects.toMatchObject({ code: 'timeout' });
    emulator.setLatency(0);
    const error = await client.meeting(meeting.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'circuit_open' });
  });

  it('retries a read whose connection was reset or whose answer was not JSON, and never repeats such a create', async () => {
    const client = newClient();
    const meeting = await client.meetingCreate({ topic: 'Broken answers' });
    for (const kind of ['reset', 'invalid-json'] as const) {
      emulator.failNext({ kind });
      expect((await client.meeting(meeting.id)).id).toBe(meeting.id);
    }
    const count = emulator.meetings.size;
    emulator.failNext({ kind: 'reset' });
    await expect(client.meetingCreate({ topic: 'Maybe created' })).rejects.toMatchObject({ retryable: false });
    expect(emulator.meetings.size).toBe(count);
    emulator.failNext({ kind: 'invalid-json', times: 5 });
    await expect(client.meeting(meeting.id)).rejects.toMatchObject({ code: 'unexpected_response' });
  });

  it('closes the circuit again once Zoom answers: work resumes by itself', async () => {
    const client = newClient({ maxAttempts: 1, breakerThreshold: 2, halfOpenAfterMs: 300 });
    const meeting = await client.meetingCreate({ topic: 'Resumes' });
    emulator.failNext({ status: 503, times: 2 });
    for (let i = 0; i < 2; i++) await expect(client.meeting(meeting.id)).rejects.toMatchObject({ status: 503 });
    await expect(client.meeting(meeting.id)).rejects.toMatchObject({ code: 'circuit_open' });
    // Refused without a call to Zoom until the circuit half-opens (300 ms); then a call gets through and closes it.
    const attempt = () => client.meeting(meeting.id).then((found) => found.id, (error: { code?: string }) => error.code);
    await expect.poll(attempt, { timeout: 5000, interval: 50 }).toBe(meeting.id);
    expect((await client.meeting(meeting.id)).id).toBe(meeting.id);
  });

  it('takes a DELETE with a JSON content type and no body, as Zoom and its SDK do', async () => {
    const meeting = await newClient().meetingCreate({ topic: 'Empty body' });
    const tokenResponse = await fetch(emulator.oauthUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'account_credentials', account_id: credentials.accountId }),
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const deleted = await fetch(`${emulator.apiBaseUrl}/meetings/${meeting.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '' });
    expect(deleted.status).toBe(204);
    expect(emulator.meetings.has(String(meeting.id))).toBe(false);
  });

  it('reports bad credentials as a non-retryable error', async () => {
    const client = newClient({}, { ...credentials, clientSecret: 'wrong' });
    await expect(client.checkCredentials()).rejects.toMatchObject({ status: 401, code: 'invalid_client', retryable: false });
    expect(await newClient().checkCredentials()).toEqual({ scopes: expect.arrayContaining(['meeting:write:admin']) });
  });

  it('keeps one client per set of credentials, and only so many: the least recently used goes', async () => {
    const clients = createZoomClients({ apiBaseUrl: emulator.apiBaseUrl, oauthUrl: emulator.oauthUrl, resilience: createResilience({ provider: 'zoom' }), maxClients: 2 });
    const withSecret = (clientSecret: string) => ({ ...credentials, clientSecret });
    const first = clients.for(withSecret('a'));
    expect(clients.for(withSecret('a'))).toBe(first);
    clients.for(withSecret('b'));
    clients.for(withSecret('c'));
    expect(clients.for(withSecret('a'))).not.toBe(first);
  });
});
