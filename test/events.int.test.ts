import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators/openai/openai-emulator.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { openaiServerEnv, startTestServer } from './helpers/server.js';
import { bearer, postJson, registerUser, type TestUser } from './helpers/users.js';

interface ReceivedEvent {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

/** An open `GET /v1/events`, its events gathered as they come. */
async function openStream(baseUrl: string, token: string, lastEventId?: string) {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/v1/events`, {
    headers: { ...bearer(token), accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: abort.signal,
  });
  const events: ReceivedEvent[] = [];
  let ended = false;
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body!) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        let boundary;
        while ((boundary = buffered.indexOf('\n\n')) >= 0) {
          const block = buffered.slice(0, boundary);
          buffered = buffered.slice(boundary + 2);
          const field = (name: string) => block.split('\n').find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
          if (field('event')) events.push({ id: field('id')!, event: field('event')!, data: JSON.parse(field('data')!) as Record<string, unknown> });
        }
      }
    } catch {
      // aborted by the test
    }
    ended = true;
  })();
  return {
    response,
    events,
    isEnded: () => ended,
    /** Waits until `predicate` holds for the events so far. */
    async until(predicate: (events: ReceivedEvent[]) => boolean, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline) throw new Error(`timed out; events so far: ${JSON.stringify(events.map((event) => event.event))}`);
        await sleep(20);
      }
      return events;
    },
    async close() {
      abort.abort();
      await reading;
    },
  };
}

describe('live events (GET /v1/events)', () => {
  let openai: OpenAIEmulator;
  let database: TestDatabase;
  let writer: Server;
  let reader: Server;
  let writerUrl: string;
  let readerUrl: string;
  let user: TestUser;

  beforeAll(async () => {
    openai = await startOpenAIEmulator({ apiKey: 'sk-test-events', contextTokens: 16_384 });
    database = await createTestDatabase();
    const env = { ...openaiServerEnv(openai), EVENTS_MAX_STREAMS_PER_USER: '2', MINUTES_WAIT_MS: '0' };
    // One instance runs the API and the jobs; the streams are read from another API instance.
    writer = await startTestServer({ databaseUrl: database.url, env });
    reader = await startTestServer({ databaseUrl: database.url, env, role: 'api' });
    writerUrl = (await writer.listen())!;
    readerUrl = (await reader.listen())!;
    user = await registerUser(writerUrl);
  });
  afterAll(async () => {
    await Promise.all([writer.stop(), reader.stop()]);
    await database.drop();
    await openai.stop();
  });

  const send = (method: string, path: string, body?: unknown, contentType = 'application/json') =>
    fetch(`${writerUrl}${path}`, {
      method,
      headers: { ...bearer(user.token), ...(body === undefined ? {} : { 'content-type': contentType }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const heldElsewhere = async (topic: string) =>
    (await readJson(await postJson(`${writerUrl}/v1/meetings`, { topic, startTime: '2026-01-10T13:00:00Z', duration: 60, onZoom: false }, bearer(user.token)))).meeting.id as string;
  const transcript = 'Ana Souza: Declaro aberta a reunião.\nBruno Lima: Aprovamos o orçamento por unanimidade.\nAna Souza: Bruno enviará a ata até sexta.\n';

  it('tells, on another instance, each change as it commits: transcript, minutes progress, ready and PDF', async () => {
    const stream = await openStream(readerUrl, user.token);
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
    const meetingId = await heldElsewhere('Conselho');
    expect((await send('POST', `/v1/meetings/${meetingId}/transcript`, transcript, 'text/plain')).status).toBe(201);
    await stream.until((events) => events.some((event) => event.event === 'transcript.ready'));

    const generated = await readJson(await send('POST', `/v1/meetings/${meetingId}/minutes`, { language: 'pt-BR' }));
    const minutesId = generated.minutes.id as string;
    const events = await stream.until((all) => all.some((event) => event.event === 'minutes.pdf_ready'));
    expect(events.map((event) => event.event)).toEqual(['transcript.ready', ...events.slice(1, -2).map(() => 'minutes.progress'), 'minutes.ready', 'minutes.pdf_ready']);
    expect(events[0]!.data).toEqual({ meetingId, source: 'upload' });
    expect(events.at(-2)!.data).toEqual({ minutesId, meetingId, status: 'draft', version: 1 });
    expect(events.at(-1)!.data).toEqual({ minutesId, meetingId, pdfSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);

    // Another user's stream hears nothing of it.
    const other = await registerUser(writerUrl);
    const theirs = await openStream(readerUrl, other.token);
    await send('DELETE', `/v1/meetings/${meetingId}`);
    await stream.until((all) => all.some((event) => event.event === 'meeting.status_changed'));
    expect(stream.events.at(-1)!.data).toEqual({ meetingId, status: 'cancelled' });
    expect(theirs.events).toEqual([]);
    await Promise.all([stream.close(), theirs.close()]);
  });

  it('resumes after Last-Event-ID on a new instance, missing nothing that happened while it was down', async () => {
    const first = await openStream(readerUrl, user.token);
    const meetingId = await heldElsewhere('Assembleia');
    await send('POST', `/v1/meetings/${meetingId}/transcript`, transcript, 'text/plain');
    const [seen] = await first.until((events) => events.length === 1);

    await reader.stop(); // the stream ends with its instance
    await first.until(() => first.isEnded());
    await send('POST', `/v1/meetings/${meetingId}/transcript`, transcript, 'text/plain');
    await send('DELETE', `/v1/meetings/${meetingId}`);

    reader = await startTestServer({ databaseUrl: database.url, env: { EVENTS_MAX_STREAMS_PER_USER: '2' }, role: 'api' });
    readerUrl = (await reader.listen())!;
    const resumed = await openStream(readerUrl, user.token, seen!.id);
    await resumed.until((all) => all.length === 2);
    // A change after the resume comes after them: whatever else the stream had to say is said by then.
    await send('POST', `/v1/meetings/${meetingId}/transcript`, transcript, 'text/plain');
    const events = await resumed.until((all) => all.length >= 3);
    expect(events.map((event) => [event.event, event.data])).toEqual([
      ['transcript.ready', { meetingId, source: 'upload' }],
      ['meeting.status_changed', { meetingId, status: 'cancelled' }],
      ['transcript.ready', { meetingId, source: 'upload' }],
    ]);
    await resumed.close();
  });

  it('never lets an event that commits later land behind one already read', async () => {
    const stream = await openStream(readerUrl, user.token);
    const early = new pg.Client({ connectionString: database.url });
    const late = new pg.Client({ connectionString: database.url });
    await Promise.all([early.connect(), late.connect()]);
    const insert = (client: pg.Client, meetingId: string) =>
      client.query("INSERT INTO user_events (user_id, type, data) VALUES ($1, 'meeting.status_changed', $2)", [user.id, { meetingId, status: 'in_progress' }]);
    try {
      await early.query('BEGIN');
      await insert(early, 'early'); // its id comes first, its commit last
      await insert(late, 'late');
      await sleep(1500); // a follower reads at least once meanwhile
      expect(stream.events).toEqual([]);
      await early.query('COMMIT');
      const events = await stream.until((all) => all.length === 2);
      expect(events.map((event) => event.data.meetingId)).toEqual(['early', 'late']);
    } finally {
      await Promise.all([early.end(), late.end()]);
      await stream.close();
    }
  });

  it('refuses a stream over the limit per user, and an id it never sent', async () => {
    const streams = [await openStream(readerUrl, user.token), await openStream(readerUrl, user.token)];
    const third = await fetch(`${readerUrl}/v1/events`, { headers: bearer(user.token) });
    expect(third.status).toBe(429);
    expect(await readJson(third)).toMatchObject({ code: 'too_many_streams' });
    await streams[0]!.close();
    // The slot is free once the server has seen the stream go.
    const again = await vi.waitFor(async () => {
      const stream = await openStream(readerUrl, user.token);
      if (stream.response.status === 200) return stream;
      await stream.close();
      throw new Error(`answered ${stream.response.status}`);
    });
    expect(again.response.status).toBe(200);
    await Promise.all([streams[1]!.close(), again.close()]);

    const forged = await fetch(`${readerUrl}/v1/events`, { headers: { ...bearer(user.token), 'last-event-id': 'not-an-event' } });
    expect(forged.status).toBe(400);
    expect(await readJson(forged)).toMatchObject({ code: 'validation_failed' });
  });

  it('deletes events older than EVENTS_RETENTION_HOURS', async () => {
    await writer.database.pool.query("UPDATE user_events SET created_at = now() - interval '73 hours' WHERE user_id = $1", [user.id]);
    const before = Number((await writer.database.pool.query('SELECT count(*) FROM user_events WHERE user_id = $1', [user.id])).rows[0].count);
    expect(before).toBeGreaterThan(3);
    expect(await writer.services.events.deleteExpired()).toBeGreaterThanOrEqual(before);
    expect(Number((await writer.database.pool.query('SELECT count(*) FROM user_events WHERE user_id = $1', [user.id])).rows[0].count)).toBe(0);
  });
});
