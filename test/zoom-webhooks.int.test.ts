import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZoomEmulator, type ZoomEmulator } from '../emulators/zoom/zoom-emulator.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { startTestServer, zoomServerEnv } from './helpers/server.js';
import { bearer, postJson, registerUser } from './helpers/users.js';

const credentials = { accountId: 'acct-w', clientId: 'client-w', clientSecret: 'secret-w', webhookSecret: 'zoom-webhook-secret-w' };
const sample = (name: string) => JSON.parse(fs.readFileSync(new URL(`./contracts/zoom/samples/${name}`, import.meta.url), 'utf8'));
const transcriptVtt = fs.readFileSync(new URL('./contracts/zoom/samples/transcript.vtt', import.meta.url), 'utf8');

function signed(body: string, secret = credentials.webhookSecret, timestampSec = Math.floor(Date.now() / 1000)) {
  const timestamp = String(timestampSec);
  return {
    'content-type': 'application/json',
    'x-zm-request-timestamp': timestamp,
    'x-zm-signature': `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
  };
}

// One server on Zoom's emulator for the file: webhooks, and transcripts uploaded by hand.
let emulator: ZoomEmulator;
let database: TestDatabase;
let server: Server;
let baseUrl: string;
let webhookUrl: string;

beforeAll(async () => {
  emulator = await startZoomEmulator({ credentials });
  database = await createTestDatabase();
  server = await startTestServer({
    databaseUrl: database.url,
    env: {
      ...zoomServerEnv(emulator),
      ZOOM_WEBHOOK_SECRET: credentials.webhookSecret,
    },
  });
  baseUrl = (await server.listen())!;
  webhookUrl = `${baseUrl}/v1/webhooks/zoom`;
});
afterAll(async () => {
  await server.stop();
  await database.drop();
  await emulator.stop();
});

describe('Zoom webhooks', () => {
  const deliver = (event: unknown, headersOf: (body: string) => Record<string, string> = signed) => {
    const body = JSON.stringify(event);
    return fetch(webhookUrl, { method: 'POST', headers: headersOf(body), body });
  };
  const eventRows = async (eventType: string) =>
    (await server.database.pool.query('SELECT * FROM webhook_events WHERE event_type = $1 ORDER BY created_at', [eventType])).rows;
  async function waitFor<T>(read: () => Promise<T>, isDone: (value: T) => boolean): Promise<T> {
    for (let attempt = 0; attempt < 300; attempt++) {
      const value = await read();
      if (isDone(value)) return value;
      await sleep(50);
    }
    return read();
  }
  async function scheduleMeeting() {
    const user = await registerUser(baseUrl);
    const response = await postJson(`${baseUrl}/v1/meetings`, { topic: 'Conselho', startTime: new Date(Date.now() + 86_400_000).toISOString(), duration: 60 }, bearer(user.token));
    return { user, meeting: (await readJson(response)).meeting };
  }

  it("answers Zoom's endpoint.url_validation with the HMAC of the plain token", async () => {
    const response = await deliver(sample('endpoint.url_validation.json'));
    expect(response.status).toBe(200);
    expect(await readJson(response)).toEqual({
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      encryptedToken: createHmac('sha256', credentials.webhookSecret).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'),
    });
  });

  it.each([
    ['forged', (body: string) => signed(body, 'not-the-secret')],
    ['stale', (body: string) => signed(body, credentials.webhookSecret, Math.floor(Date.now() / 1000) - 600)],
    ['unsigned', () => ({ 'content-type': 'application/json' })],
  ])('refuses a %s delivery with 401 and stores nothing', async (_case, headersOf) => {
    const before = (await eventRows('meeting.ended')).length;
    const response = await deliver(sample('meeting.ended.json'), headersOf);
    expect(response.status).toBe(401);
    expect(await readJson(response)).toMatchObject({ code: 'webhook_signature_invalid' });
    expect(await eventRows('meeting.ended')).toHaveLength(before);
  });

  it('accepts the sample payloads signed as Zoom signs them, storing each before answering', async () => {
    for (const name of ['meeting.ended.json', 'recording.completed.json']) {
      const response = await deliver(sample(name));
      expect(response.status, name).toBe(200);
      expect(await readJson(response)).toEqual({ success: true, duplicate: false });
    }
    expect(await eventRows('meeting.ended')).toHaveLength(1);
    expect(await eventRows('recording.completed')).toHaveLength(1);
  });

  it('moves a meeting through started and ended, processing a duplicate delivery once', async () => {
    const { meeting } = await scheduleMeeting();
    const started = { event: 'meeting.started', event_ts: Date.now(), payload: { account_id: credentials.accountId, object: { id: meeting.zoomMeetingId, uuid: 'u-1' } } };
    expect(await readJson(await deliver(started))).toEqual({ success: true, duplicate: false });
    expect(await readJson(await deliver(started))).toEqual({ success: true, duplicate: true });
    const statusOf = async () => (await server.database.pool.query('SELECT status FROM meetings WHERE id = $1', [meeting.id])).rows[0].status;
    expect(await waitFor(statusOf, (status) => status === 'in_progress')).toBe('in_progress');

    await deliver({ ...started, event: 'meeting.ended', event_ts: Date.now() + 1 });
    expect(await waitFor(statusOf, (status) => status === 'completed')).toBe('completed');
    const rows = await eventRows('meeting.started');
    expect(rows.filter((row) => row.payload.payload.object.id === meeting.zoomMeetingId)).toHaveLength(1);
  });

  it('stores and applies a signed event holding text PostgreSQL cannot store, cleaned: Zoom cannot be asked again', async () => {
    const { meeting } = await scheduleMeeting();
    const event = {
      event: 'meeting.participant_joined',
      event_ts: Date.now(),
      payload: { account_id: credentials.accountId, object: { id: meeting.zoomMeetingId, uuid: 'u-nul', participant: { email: 'nul@example.com', user_name: 'Ana\u0000 Souza \ud800', join_time: '2026-12-01T10:00:00Z' } } },
    };
    const response = await deliver(event);
    expect(response.status).toBe(200);
    const nameOf = async () =>
      (await server.database.pool.query("SELECT name FROM participants WHERE meeting_id = $1 AND email = 'nul@example.com'", [meeting.id])).rows[0]?.name as string | undefined;
    expect(await waitFor(nameOf, (name) => name !== undefined)).toBe('Ana Souza \ufffd');
    const [row] = (await server.database.pool.query("SELECT payload FROM webhook_events WHERE payload->'payload'->'object'->>'uuid' = 'u-nul'")).rows;
    expect(row.payload.payload.object.participant.user_name).toBe('Ana Souza \ufffd');
  });

  it('ends in the same state whatever order the events are applied in (workers run them concurrently)', async () => {
    const { meeting } = await scheduleMeeting();
    const object = (extra: Record<string, unknown> = {}) => ({ account_id: credentials.accountId, object: { id: meeting.zoomMeetingId, uuid: 'u-2', ...extra } });
    const participant = (times: Record<string, string>) => ({ participant: { email: 'Ana@Example.com', user_name: 'Ana', ...times } });
    const processed = async () => (await server.database.pool.query("SELECT count(*)::int AS n FROM webhook_events WHERE processed AND payload->'payload'->'object'->>'uuid' = 'u-2'")).rows[0].n;
    // Applied newest first, each after the one before: the end before the start, the leave before the join.
    const newestFirst = [
      { event: 'meeting.ended', event_ts: Date.now() + 2, payload: object() },
      { event: 'meeting.participant_left', event_ts: Date.now() + 1, payload: object(participant({ leave_time: '2026-12-01T10:45:00Z' })) },
      { event: 'meeting.participant_joined', event_ts: Date.now(), payload: object(participant({ join_time: '2026-12-01T10:00:00Z' })) },
      { event: 'meeting.started', event_ts: Date.now() - 1, payload: object() },
    ];
    for (const [index, event] of newestFirst.entries()) {
      await deliver(event);
      expect(await waitFor(processed, (n) => n === index + 1)).toBe(index + 1);
    }
    // A worker that read the meeting before the end was applied still cannot move it back.
    await server.services.meetings.applyZoomStatus({ ...meeting, status: 'scheduled' }, 'in_progress');

    const stateOf = async () => {
      const [row] = (
        await server.database.pool.query(
          `SELECT m.status, p.joined_at, p.left_at, p.duration FROM meetings m JOIN participants p ON p.meeting_id = m.id
            WHERE m.id = $1 AND p.email = 'ana@example.com'`,
          [meeting.id],
        )
      ).rows;
      return row;
    };
    expect(await stateOf()).toEqual({
      status: 'completed',
      joined_at: new Date('2026-12-01T10:00:00Z'),
      left_at: new Date('2026-12-01T10:45:00Z'),
      duration: 45 * 60,
    });
  });

  it('makes one job per stored event, and finds an event whose wake-up was lost (a crash between storing and dispatching)', async () => {
    const { meeting } = await scheduleMeeting();
    const started = { event: 'meeting.started', event_ts: Date.now(), payload: { account_id: credentials.accountId, object: { id: meeting.zoomMeetingId, uuid: 'u-3' } } };
    expect((await deliver(started)).status).toBe(200);
    // Stored as the API stores one, but without the notification: only the worker's sweep can find it.
    const [orphan] = (
      await server.database.pool.query<{ id: string }>(
        `INSERT INTO webhook_events (provider, event_type, delivery_key, payload) VALUES ('zoom', 'meeting.ended', 'orphan-u-3', $1) RETURNING id`,
        [{ ...started, event: 'meeting.ended', event_ts: Date.now() + 1 }],
      )
    ).rows;
    const statusOf = async () => (await server.database.pool.query('SELECT status FROM meetings WHERE id = $1', [meeting.id])).rows[0].status;
    expect(await waitFor(statusOf, (status) => status === 'completed')).toBe('completed');

    const jobs = await server.database.pool.query<{ event_id: string }>(
      `SELECT j.data->>'eventId' AS event_id FROM pgboss.job j JOIN webhook_events e ON e.id::text = j.data->>'eventId'
        WHERE j.name = 'zoom-webhook-event' AND e.payload->'payload'->'object'->>'uuid' = 'u-3'`,
    );
    expect(jobs.rows).toHaveLength(2);
    expect(new Set(jobs.rows.map((row) => row.event_id)).size).toBe(2);
    expect(jobs.rows.map((row) => row.event_id)).toContain(orphan!.id);
    const undispatched = await server.database.pool.query("SELECT count(*)::int AS n FROM webhook_events WHERE dispatched_at IS NULL AND payload->'payload'->'object'->>'uuid' = 'u-3'");
    expect(undispatched.rows[0].n).toBe(0);
  });

  it('on recording.completed, downloads the transcript from Zoom and stores its speaker turns', async () => {
    const { meeting } = await scheduleMeeting();
    emulator.addRecording(meeting.zoomMeetingId, transcriptVtt);
    await deliver(emulator.recordingCompletedEvent(meeting.zoomMeetingId));
    const transcript = await waitFor(
      async () => (await server.database.pool.query('SELECT turns FROM transcripts WHERE meeting_id = $1', [meeting.id])).rows[0],
      (row) => row !== undefined,
    );
    expect(transcript.turns[0]).toMatchObject({ speaker: 'Maria Souza', text: expect.stringContaining('reunião ordinária') });
    const row = (await server.database.pool.query('SELECT has_transcript, has_recording, transcript_url FROM meetings WHERE id = $1', [meeting.id])).rows[0];
    expect(row).toMatchObject({ has_transcript: true, has_recording: true, transcript_url: expect.stringContaining('/rec/download/') });
  });

  it('refuses to fetch a transcript from a host that is not Zoom, and records the failure visibly', async () => {
    const { meeting } = await scheduleMeeting();
    const event = {
      event: 'recording.transcript_completed',
      event_ts: Date.now(),
      download_token: 'token',
      payload: { object: { id: meeting.zoomMeetingId, uuid: 'u-2', recording_files: [{ file_type: 'TRANSCRIPT', download_url: 'https://evil.example.com/steal' }] } },
    };
    expect((await deliver(event)).status).toBe(200);
    const [row] = await waitFor(
      async () => (await eventRows('recording.transcript_completed')).filter((candidate) => candidate.payload.payload.object.id === meeting.zoomMeetingId),
      (rows) => rows[0]?.error !== null && rows[0]?.error !== undefined,
    );
    expect(row).toMatchObject({ processed: false, error: expect.stringContaining('not a Zoom host'), retry_count: 1 });
    expect((await server.database.pool.query('SELECT 1 FROM transcripts WHERE meeting_id = $1', [meeting.id])).rows).toHaveLength(0);
    // No retry can change a refused host: the job ends at once instead of trying six times.
    const jobOf = async () => (await server.database.pool.query("SELECT state, retry_count FROM pgboss.job WHERE data->>'eventId' = $1", [row.id])).rows[0];
    expect(await waitFor(jobOf, (job) => job?.state === 'completed')).toMatchObject({ state: 'completed', retry_count: 0 });
  });

  it('ends at once an event with an impossible date, recording the reason', async () => {
    const { meeting } = await scheduleMeeting();
    const joined = { account_id: credentials.accountId, object: { id: meeting.zoomMeetingId, uuid: 'u-bad-date', participant: { email: 'late@example.com', join_time: '2026-13-45T99:99:99Z' } } };
    expect((await deliver({ event: 'meeting.participant_joined', event_ts: Date.now(), payload: joined })).status).toBe(200);
    const [row] = await waitFor(
      async () => (await server.database.pool.query("SELECT * FROM webhook_events WHERE payload->'payload'->'object'->>'uuid' = 'u-bad-date'")).rows,
      (rows) => rows[0]?.error != null,
    );
    expect(row).toMatchObject({ processed: false, retry_count: 1, error: "validation_failed: The participant's join_time is not a date" });
    const jobOf = async () => (await server.database.pool.query("SELECT state, retry_count FROM pgboss.job WHERE data->>'eventId' = $1", [row.id])).rows[0];
    expect(await waitFor(jobOf, (job) => job?.state === 'completed')).toMatchObject({ state: 'completed', retry_count: 0 });
  });
});

describe('uploaded transcripts', () => {
  it('stores an uploaded VTT, SRT or text transcript, matches speakers to participants, and serves it to the owner only', async () => {
    const owner = await registerUser(baseUrl);
    const created = await readJson(
      await postJson(
        `${baseUrl}/v1/meetings`,
        { topic: 'Externa', startTime: new Date(Date.now() + 86_400_000).toISOString(), duration: 60, participants: [{ email: 'maria@example.com', name: 'Maria Souza' }] },
        bearer(owner.token),
      ),
    );
    const path = `${baseUrl}/v1/meetings/${created.meeting.id}/transcript`;
    const upload = (body: string, contentType: string, token = owner.token) =>
      fetch(path, { method: 'POST', headers: { ...bearer(token), 'content-type': contentType }, body });

    expect((await fetch(path, { headers: bearer(owner.token) })).status).toBe(404);
    const uploaded = await upload(transcriptVtt, 'text/vtt; charset=utf-8');
    expect(uploaded.status).toBe(201);
    const { turns, pagination } = await readJson(await fetch(path, { headers: bearer(owner.token) }));
    expect(turns[0]).toMatchObject({ speaker: 'Maria Souza', participantEmail: 'maria@example.com' });
    expect(pagination).toEqual({ total: turns.length, page: 1, limit: 200, totalPages: 1 });
    // A page at a time: PostgreSQL slices the stored turns.
    const second = await readJson(await fetch(`${path}?page=2&limit=3`, { headers: bearer(owner.token) }));
    expect(second.turns).toEqual(turns.slice(3, 6));
    expect(second.pagination).toEqual({ total: turns.length, page: 2, limit: 3, totalPages: Math.ceil(turns.length / 3) });
    expect((await readJson(await fetch(`${path}?page=99&limit=3`, { headers: bearer(owner.token) }))).turns).toEqual([]);
    expect((await fetch(`${path}?limit=1001`, { headers: bearer(owner.token) })).status).toBe(400);
    expect((await upload('1\n00:00:01,000 --> 00:00:02,000\nJosé: Ação.\n', 'application/x-subrip')).status).toBe(201);
    expect((await upload('Ana: Olá.\n', 'text/plain')).status).toBe(201);

    expect((await upload('not a vtt', 'text/vtt')).status).toBe(422);
    expect((await upload('{}', 'application/json')).status).toBe(415);
    expect((await upload('<x/>', 'application/xml')).status).toBe(415);
    // Up to 20 MB is taken (more than the 1 MB default of other routes); beyond, 413.
    const line = 'Ana: Uma fala longa sobre a pauta da reunião, repetida para passar do limite.\n';
    const lineCount = Math.floor((2 * 1024 * 1024) / line.length);
    const twoMegabytes = await upload(line.repeat(lineCount), 'text/plain');
    expect(twoMegabytes.status).toBe(201);
    // The upload answers its first page of turns, and says how many there are.
    const answered = await readJson(twoMegabytes);
    expect(answered.turns).toHaveLength(200);
    expect(answered.pagination).toEqual({ total: lineCount, page: 1, limit: 200, totalPages: Math.ceil(lineCount / 200) });
    const tooLarge = await upload(line.repeat(Math.ceil((20 * 1024 * 1024 + 1) / Buffer.byteLength(line))), 'text/plain');
    expect(tooLarge.status).toBe(413);
    expect((await readJson(tooLarge)).code).toBe('payload_too_large');

    const intruder = await registerUser(baseUrl);
    expect((await fetch(path, { headers: bearer(intruder.token) })).status).toBe(404);
    expect((await upload('Ana: Olá.\n', 'text/plain', intruder.token)).status).toBe(404);
  });
});
