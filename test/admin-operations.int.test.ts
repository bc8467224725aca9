import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startZoomEmulator, type ZoomEmulator } from '../emulators/zoom/zoom-emulator.js';
import { defineJob } from '../src/jobs/job.js';
import { createLogger } from '../src/lib/logger.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { startTestServer, zoomServerEnv } from './helpers/server.js';
import { bearer, postJson, registerUser, uniqueEmail, type TestUser } from './helpers/users.js';

const credentials = { accountId: 'acct-ops', clientId: 'client-ops', clientSecret: 'secret-ops', webhookSecret: 'zoom-webhook-secret-ops' };
const ADMIN_EMAIL = uniqueEmail('ops-admin');
// Registered but worked by no process: its jobs wait.
const idleJob = defineJob({ name: 'ops-test-idle', payloadSchema: z.object({}).passthrough(), handler: async () => undefined });

describe('admin operations', () => {
  let emulator: ZoomEmulator;
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let admin: TestUser;
  let user: TestUser;

  beforeAll(async () => {
    emulator = await startZoomEmulator({ credentials });
    database = await createTestDatabase();
    server = await startTestServer({
      databaseUrl: database.url,
      env: { ...zoomServerEnv(emulator), ZOOM_WEBHOOK_SECRET: credentials.webhookSecret, ADMIN_EMAILS: ADMIN_EMAIL, RATE_LIMIT_MAX_REQUESTS: '10000' },
    });
    baseUrl = (await server.listen())!;
    admin = await registerUser(baseUrl, { email: ADMIN_EMAIL });
    user = await registerUser(baseUrl);
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
    await emulator.stop();
  });

  const get = async (path: string, token: string) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: bearer(token) });
    return { status: response.status, body: await readJson(response) };
  };
  const replay = async (id: string, token = admin.token) => {
    const response = await fetch(`${baseUrl}/v1/admin/webhook-events/${id}/replay`, { method: 'POST', headers: bearer(token) });
    return { status: response.status, body: await readJson(response) };
  };
  const dismiss = async (id: string, body?: unknown, token = admin.token) => {
    const init = body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    const response = await fetch(`${baseUrl}/v1/admin/webhook-events/${id}/dismiss`, { method: 'POST', ...init, headers: { ...init.headers, ...bearer(token) } });
    return { status: response.status, body: await readJson(response) };
  };
  async function until<T>(read: () => Promise<T>, isDone: (value: T) => boolean): Promise<T> {
    for (let attempt = 0; attempt < 80; attempt++) {
      const value = await read();
      if (isDone(value)) return value;
      await sleep(250);
    }
    return read();
  }
  const query = async (text: string, values: unknown[] = []) => (await server.database.pool.query(text, values)).rows;

  /** A stored Zoom event whose processing failed for good (its job is done: nothing retries it). */
  async function failedEvent(zoomMeetingId: string) {
    const payload = { event: 'meeting.started', event_ts: Date.now(), payload: { account_id: credentials.accountId, object: { id: zoomMeetingId, uuid: randomUUID() } } };
    const [row] = await query(
      `INSERT INTO webhook_events (provider, event_type, delivery_key, payload, dispatched_at, error, retry_count)
       VALUES ('zoom', 'meeting.started', $1, $2, now(), 'database error 40001', 6) RETURNING id`,
      [randomUUID(), JSON.stringify(payload)],
    );
    return row.id as string;
  }
  async function scheduleMeeting() {
    const response = await postJson(`${baseUrl}/v1/meetings`, { topic: 'Operações', startTime: new Date(Date.now() + 86_400_000).toISOString(), duration: 30 }, bearer(user.token));
    expect(response.status).toBe(201);
    return (await readJson(response)).meeting as { id: string; zoomMeetingId: string; status: string };
  }

  it('keeps every operations route from users (403) and anonymous callers (401)', async () => {
    for (const [method, path] of [
      ['GET', '/v1/admin/webhook-events'],
      ['POST', `/v1/admin/webhook-events/${randomUUID()}/replay`],
      ['POST', `/v1/admin/webhook-events/${randomUUID()}/dismiss`],
      ['GET', '/v1/admin/emails'],
      ['GET', '/v1/admin/jobs'],
    ] as const) {
      const asUser = await fetch(`${baseUrl}${path}`, { method, headers: bearer(user.token) });
      expect(asUser.status, path).toBe(403);
      expect((await readJson(asUser)).code).toBe('forbidden');
      expect((await fetch(`${baseUrl}${path}`, { method })).status, path).toBe(401);
    }
  });

  it('lists stored events filtered by provider, processed, error and time, a page at a time, audited', async () => {
    const meeting = await scheduleMeeting();
    const failedId = await failedEvent(meeting.zoomMeetingId);
    const [processed] = await query(
      `INSERT INTO webhook_events (provider, event_type, delivery_key, payload, dispatched_at, processed, processed_at)
       VALUES ('zoom', 'meeting.ended', $1, '{}', now(), true, now()) RETURNING id`,
      [randomUUID()],
    );
    const [docusign] = await query(
      `INSERT INTO webhook_events (provider, event_type, delivery_key, payload, dispatched_at, created_at)
       VALUES ('docusign', 'envelope-sent', $1, '{}', now(), now() - interval '2 days') RETURNING id`,
      [randomUUID()],
    );
    const idsOf = (body: { events: { id: string }[] }) => body.events.map((event) => event.id);

    const failed = await get('/v1/admin/webhook-events?provider=zoom&processed=false&error=true', admin.token);
    expect(failed.status).toBe(200);
    expect(idsOf(failed.body)).toEqual([failedId]);
    expect(failed.body.events[0]).toMatchObject({ provider: 'zoom', eventType: 'meeting.started', processed: false, error: 'database error 40001', retryCount: 6, processedAt: null });
    expect(failed.body.events[0]).not.toHaveProperty('payload');
    expect(failed.body.pagination).toEqual({ total: 1, page: 1, limit: 20, totalPages: 1 });

    const applied = await get('/v1/admin/webhook-events?processed=true', admin.token);
    expect(idsOf(applied.body)).toContain(processed.id);
    expect(idsOf(applied.body)).not.toContain(failedId);
    expect(idsOf((await get('/v1/admin/webhook-events?error=false&provider=zoom', admin.token)).body)).not.toContain(failedId);
    expect(idsOf((await get('/v1/admin/webhook-events?provider=docusign', admin.token)).body)).toEqual([docusign.id]);

    const dayAgo = encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString());
    expect(idsOf((await get(`/v1/admin/webhook-events?to=${dayAgo}`, admin.token)).body)).toEqual([docusign.id]);
    const recent = idsOf((await get(`/v1/admin/webhook-events?from=${dayAgo}`, admin.token)).body);
    expect(recent).toEqual(expect.arrayContaining([failedId, processed.id]));
    expect(recent).not.toContain(docusign.id);

    const page = await get('/v1/admin/webhook-events?limit=1&page=2', admin.token);
    expect(page.body.events).toHaveLength(1);
    expect(page.body.pagination).toMatchObject({ page: 2, limit: 1, total: 3, totalPages: 3 });
    expect((await get('/v1/admin/webhook-events?processed=yes', admin.token)).status).toBe(400);

    const audited = await query(`SELECT details FROM audit_logs WHERE user_id = $1 AND action = 'admin.webhook_events_listed'`, [admin.id]);
    expect(audited).toHaveLength(7); // each list above that answered 200
    expect(audited.map((row) => row.details)).toContainEqual(expect.objectContaining({ provider: 'zoom', processed: false, error: true }));
  });

  it('replays a failed event once: it is applied, its error cleared, and the replay audited', async () => {
    const meeting = await scheduleMeeting();
    const eventId = await failedEvent(meeting.zoomMeetingId);
    const response = await replay(eventId);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    expect(response.body).toMatchObject({ replayed: true, event: { id: eventId, processed: false, error: 'database error 40001' } });

    const [row] = await until(
      () => query('SELECT processed, error, retry_count FROM webhook_events WHERE id = $1', [eventId]),
      ([current]) => current.processed,
    );
    expect(row).toEqual({ processed: true, error: null, retry_count: 6 });
    expect((await get(`/v1/meetings/${meeting.id}`, user.token)).body.meeting.status).toBe('in_progress');
    // One job for the event: the replay's (the stored row had been dispatched before).
    expect(await query(`SELECT state FROM pgboss.job WHERE data->>'eventId' = $1`, [eventId])).toEqual([{ state: 'completed' }]);

    const audited = await query(`SELECT user_id, resource_type, details FROM audit_logs WHERE action = 'admin.webhook_event_replayed' AND resource_id = $1`, [eventId]);
    expect(audited).toEqual([{ user_id: admin.id, resource_type: 'webhook_event', details: { provider: 'zoom', eventType: 'meeting.started', previousError: 'database error 40001' } }]);

    const again = await replay(eventId);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('webhook_event_processed');
    expect((await replay(randomUUID())).status).toBe(404);
    expect(await query(`SELECT count(*)::int AS count FROM pgboss.job WHERE data->>'eventId' = $1`, [eventId])).toEqual([{ count: 1 }]);
  });

  it('applies an event once when two of its jobs run at once (a replay beside a queued retry), and queues one replay job per event', async () => {
    const meeting = await scheduleMeeting();
    emulator.addRecording(meeting.zoomMeetingId, 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nMaria Souza: Declaro aberta a reunião.\n');
    // Stored and dispatched (its first job exists elsewhere, say in a retry's backoff): none is made here.
    const storeEvent = async () => {
      const [row] = await query(
        `INSERT INTO webhook_events (provider, event_type, delivery_key, payload, dispatched_at) VALUES ('zoom', 'recording.completed', $1, $2, now()) RETURNING id`,
        [randomUUID(), JSON.stringify(emulator.recordingCompletedEvent(meeting.zoomMeetingId))],
      );
      return row.id as string;
    };
    const transcripts = async () => (await query('SELECT count(*)::int AS count FROM transcripts WHERE meeting_id = $1', [meeting.id]))[0].count as number;
    const zoomJob = server.services.webhooks.jobs.find((job) => job.name === 'zoom-webhook-event')!;
    const context = (jobId: string) => ({ jobId, log: createLogger({ level: 'silent', format: 'json' }), isLastAttempt: false });

    // Two runs of the event's job at once: both start before either has finished its download.
    const eventId = await storeEvent();
    await Promise.all([zoomJob.handler({ eventId }, context('first')), zoomJob.handler({ eventId }, context('second'))]);
    expect(await query('SELECT processed, error FROM webhook_events WHERE id = $1', [eventId])).toEqual([{ processed: true, error: null }]);
    expect(await transcripts()).toBe(1);

    // Through the queue: a job of the event and a replay at once.
    const other = await storeEvent();
    const [, replayed] = await Promise.all([server.jobs.enqueue(zoomJob, { eventId: other }), replay(other)]);
    // 409 when the job was quicker: it applied the event before the replay locked it.
    expect([202, 409]).toContain(replayed.status);
    const [applied] = await until(() => query('SELECT processed, error FROM webhook_events WHERE id = $1', [other]), ([row]) => row.processed);
    expect(applied).toEqual({ processed: true, error: null });
    await until(() => query(`SELECT state FROM pgboss.job WHERE data->>'eventId' = $1 AND state < 'completed'`, [other]), (rows) => rows.length === 0);
    expect(await query(`SELECT count(*)::int AS count FROM pgboss.job WHERE data->>'eventId' = $1`, [other])).toEqual([{ count: replayed.status === 202 ? 2 : 1 }]);

    // A replay while an earlier replay's job still waits (here, deferred an hour) queues no other.
    const third = await storeEvent();
    await server.jobs.enqueue(zoomJob, { eventId: third }, { singletonKey: `replay:${third}`, startAfter: new Date(Date.now() + 3_600_000) });
    expect((await replay(third)).status).toBe(202);
    expect(await query(`SELECT count(*)::int AS count FROM pgboss.job WHERE data->>'eventId' = $1`, [third])).toEqual([{ count: 1 }]);
    await query(`DELETE FROM pgboss.job WHERE data->>'eventId' = $1`, [third]);
    expect(await transcripts()).toBe(2);
  });

  it('dismisses a failed event: kept unapplied, its job skips it, listed as dismissed, audited with the reason', async () => {
    const meeting = await scheduleMeeting();
    const eventId = await failedEvent(meeting.zoomMeetingId);
    const reason = 'the meeting was recreated by hand';
    const response = await dismiss(eventId, { reason });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body).toMatchObject({ dismissed: true, event: { id: eventId, processed: false, processedAt: null, error: 'database error 40001' } });
    expect(Date.parse(response.body.event.dismissedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await query('SELECT processed, processed_at, dismissed_at IS NOT NULL AS dismissed FROM webhook_events WHERE id = $1', [eventId])).toEqual([{ processed: false, processed_at: null, dismissed: true }]);

    // Its job, should one still run (a retry, a replay enqueued before), leaves it alone.
    const zoomJob = server.services.webhooks.jobs.find((job) => job.name === 'zoom-webhook-event')!;
    const jobId = await server.jobs.enqueue(zoomJob, { eventId });
    await until(() => query('SELECT state FROM pgboss.job WHERE id = $1', [jobId]), ([job]) => job?.state === 'completed');
    expect((await get(`/v1/meetings/${meeting.id}`, user.token)).body.meeting.status).toBe('scheduled');
    expect(await query('SELECT processed FROM webhook_events WHERE id = $1', [eventId])).toEqual([{ processed: false }]);

    const idsOf = (body: { events: { id: string }[] }) => body.events.map((event) => event.id);
    const listed = await get('/v1/admin/webhook-events?dismissed=true', admin.token);
    expect(idsOf(listed.body)).toEqual([eventId]);
    expect(listed.body.events[0].dismissedAt).toBe(response.body.event.dismissedAt);
    // What still needs an operator: failed and not dismissed.
    expect(idsOf((await get('/v1/admin/webhook-events?processed=false&error=true&dismissed=false', admin.token)).body)).not.toContain(eventId);
    expect((await get('/v1/admin/webhook-events?dismissed=maybe', admin.token)).status).toBe(400);

    const audited = await query(`SELECT user_id, details FROM audit_logs WHERE action = 'admin.webhook_event_dismissed' AND resource_id = $1`, [eventId]);
    expect(audited).toEqual([{ user_id: admin.id, details: { provider: 'zoom', eventType: 'meeting.started', error: 'database error 40001', reason } }]);

    const again = await dismiss(eventId);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('webhook_event_dismissed');
    expect((await dismiss(randomUUID())).status).toBe(404);
    // Without a body, and with a reason over 500 characters.
    const other = await failedEvent(meeting.zoomMeetingId);
    expect((await dismiss(other, { reason: 'x'.repeat(501) })).body.code).toBe('validation_failed');
    expect((await dismiss(other)).status).toBe(200);
    expect(await query(`SELECT details->>'reason' AS reason FROM audit_logs WHERE action = 'admin.webhook_event_dismissed' AND resource_id = $1`, [other])).toEqual([{ reason: null }]);
  });

  it('replays a dismissed event: the dismissal is taken back and the event applied; an applied one cannot be dismissed', async () => {
    const meeting = await scheduleMeeting();
    const eventId = await failedEvent(meeting.zoomMeetingId);
    expect((await dismiss(eventId, { reason: 'looked hopeless' })).status).toBe(200);

    const replayed = await replay(eventId);
    expect(replayed.status, JSON.stringify(replayed.body)).toBe(202);
    // The event as the replay left it: no longer dismissed.
    expect(replayed.body).toMatchObject({ replayed: true, event: { id: eventId, processed: false, dismissedAt: null, error: 'database error 40001' } });
    const [row] = await until(
      () => query('SELECT processed, dismissed_at FROM webhook_events WHERE id = $1', [eventId]),
      ([current]) => current.processed,
    );
    expect(row).toEqual({ processed: true, dismissed_at: null });
    expect((await get(`/v1/meetings/${meeting.id}`, user.token)).body.meeting.status).toBe('in_progress');
    const audited = await query(`SELECT details FROM audit_logs WHERE action = 'admin.webhook_event_replayed' AND resource_id = $1`, [eventId]);
    expect(audited).toEqual([{ details: { provider: 'zoom', eventType: 'meeting.started', previousError: 'database error 40001', undismissed: true } }]);

    const applied = await dismiss(eventId);
    expect(applied.status, JSON.stringify(applied.body)).toBe(409);
    expect(applied.body.code).toBe('webhook_event_processed');
  });

  it('lists notification e-mails filtered by status, kind and time, newest first, a page at a time, without their facts, audited', async () => {
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3_600_000);
    const minutesOfUser = randomUUID();
    const minutesOfAdmin = randomUUID();
    const insertEmail = async (row: { userId: string; kind: string; status: string; createdAt: Date; facts?: object; attempts?: number; errorCode?: string; errorMessage?: string; sentAt?: Date }) => {
      const [inserted] = await query(
        `INSERT INTO outbound_emails (user_id, kind, event_id, recipient, recipient_name, language, facts, status, attempts, error_code, error_message, sent_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'Pessoa', 'pt-BR', $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id, created_at, updated_at`,
        [row.userId, row.kind, randomUUID(), uniqueEmail('recipient'), JSON.stringify(row.facts ?? {}), row.status, row.attempts ?? 1, row.errorCode ?? null, row.errorMessage ?? null, row.sentAt ?? null, row.createdAt],
      );
      return inserted as { id: string; created_at: Date; updated_at: Date };
    };
    // Two users' e-mails; two created at the same instant, to be split across pages by their id.
    const refused = await insertEmail({
      userId: user.id, kind: 'minutes_failed', status: 'failed', createdAt: hoursAgo(10), facts: { minutesId: minutesOfUser, topic: 'Reunião sigilosa', reason: 'secret' },
      errorCode: 'smtp_refused_550', errorMessage: '550 5.1.1 mailbox unavailable',
    });
    const outOfRetries = await insertEmail({
      userId: admin.id, kind: 'signed_ata', status: 'failed', createdAt: hoursAgo(8), facts: { minutesId: minutesOfAdmin, topic: 'Conselho' },
      attempts: 6, errorCode: 'smtp_temporary_421', errorMessage: '421 4.7.0 try again later',
    });
    const tie = hoursAgo(5);
    const sent = await insertEmail({ userId: user.id, kind: 'minutes_ready', status: 'sent', createdAt: tie, facts: { minutesId: minutesOfUser }, sentAt: hoursAgo(4) });
    const pending = await insertEmail({ userId: admin.id, kind: 'minutes_ready', status: 'pending', createdAt: tie, attempts: 0 });
    const latest = await insertEmail({ userId: user.id, kind: 'signed_ata', status: 'sent', createdAt: hoursAgo(2), facts: { minutesId: minutesOfUser }, sentAt: hoursAgo(2) });
    // Newest first; at the same instant, by id (descending).
    const tied = [sent.id, pending.id].sort().reverse();
    const newestFirst = [latest.id, ...tied, outOfRetries.id, refused.id];
    // Only these rows: any the app made during the run were created later than an hour ago.
    const [from, to] = [hoursAgo(12).toISOString(), hoursAgo(1).toISOString()];
    const window = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const idsOf = (body: { emails: { id: string }[] }) => body.emails.map((email) => email.id);

    const failed = await get(`/v1/admin/emails?status=failed&${window}`, admin.token);
    expect(failed.status, JSON.stringify(failed.body)).toBe(200);
    expect(idsOf(failed.body)).toEqual([outOfRetries.id, refused.id]);
    const [recipientOf] = await query('SELECT recipient FROM outbound_emails WHERE id = $1', [outOfRetries.id]);
    expect(failed.body.emails[0]).toEqual({
      id: outOfRetries.id,
      kind: 'signed_ata',
      status: 'failed',
      recipient: recipientOf.recipient,
      language: 'pt-BR',
      attempts: 6,
      errorCode: 'smtp_temporary_421',
      errorMessage: '421 4.7.0 try again later',
      userId: admin.id,
      minutesId: minutesOfAdmin,
      createdAt: outOfRetries.created_at.toISOString(),
      sentAt: null,
      updatedAt: outOfRetries.updated_at.toISOString(),
    });
    expect(failed.body.emails[1]).toMatchObject({ userId: user.id, kind: 'minutes_failed', errorCode: 'smtp_refused_550', errorMessage: '550 5.1.1 mailbox unavailable', minutesId: minutesOfUser, attempts: 1 });
    // What the message said (its facts) is not listed.
    expect(JSON.stringify(failed.body)).not.toContain('sigilosa');
    expect(JSON.stringify(failed.body)).not.toContain('secret');
    expect(failed.body.pagination).toEqual({ total: 2, page: 1, limit: 20, totalPages: 1 });
    // Without a window, every e-mail listed has failed.
    const everyFailed = await get('/v1/admin/emails?status=failed&limit=100', admin.token);
    expect(everyFailed.body.emails.map((email: { status: string }) => email.status)).toEqual(everyFailed.body.emails.map(() => 'failed'));
    expect(idsOf(everyFailed.body).filter((id) => newestFirst.includes(id))).toEqual([outOfRetries.id, refused.id]);

    expect(idsOf((await get(`/v1/admin/emails?kind=signed_ata&${window}`, admin.token)).body)).toEqual([latest.id, outOfRetries.id]);
    expect(idsOf((await get(`/v1/admin/emails?kind=minutes_ready&status=sent&${window}`, admin.token)).body)).toEqual([sent.id]);
    const pendingListed = await get(`/v1/admin/emails?status=pending&${window}`, admin.token);
    expect(pendingListed.body.emails).toEqual([expect.objectContaining({ id: pending.id, minutesId: null, errorCode: null, errorMessage: null, sentAt: null, attempts: 0 })]);
    const beforeTie = `from=${encodeURIComponent(hoursAgo(9).toISOString())}&to=${encodeURIComponent(tie.toISOString())}`;
    expect(idsOf((await get(`/v1/admin/emails?${beforeTie}`, admin.token)).body)).toEqual([...tied, outOfRetries.id]);

    // Two at a time: every e-mail once, in order, the tied ones split between pages 1 and 2.
    const pages = [];
    for (let page = 1; page <= 3; page++) {
      const listed = await get(`/v1/admin/emails?limit=2&page=${page}&${window}`, admin.token);
      expect(listed.body.pagination).toEqual({ total: 5, page, limit: 2, totalPages: 3 });
      pages.push(idsOf(listed.body));
    }
    expect(pages.map((ids) => ids.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(newestFirst);
    expect((await get(`/v1/admin/emails?limit=2&page=4&${window}`, admin.token)).body.emails).toEqual([]);

    for (const invalid of ['status=bounced', 'kind=newsletter', 'from=yesterday', 'limit=101']) {
      const response = await get(`/v1/admin/emails?${invalid}`, admin.token);
      expect(response.status, invalid).toBe(400);
      expect(response.body.code, invalid).toBe('validation_failed');
    }
    expect((await get(`/v1/admin/emails?status=failed`, user.token)).status).toBe(403);

    const audited = await query(`SELECT resource_type, details FROM audit_logs WHERE user_id = $1 AND action = 'admin.emails_listed'`, [admin.id]);
    expect(audited).toHaveLength(10); // each list above that answered 200
    expect(audited).toContainEqual({ resource_type: 'outbound_email', details: { status: 'failed', from, to, page: 1 } });
    expect(audited).toContainEqual({ resource_type: 'outbound_email', details: { kind: 'signed_ata', from, to, page: 1 } });
    expect(await query(`SELECT count(*)::int AS count FROM audit_logs WHERE user_id = $1 AND action = 'admin.emails_listed'`, [user.id])).toEqual([{ count: 0 }]);
  });

  it('shows each queue with its waiting job and how long it has waited, audited', async () => {
    await server.jobs.register([idleJob]);
    await server.jobs.enqueue(idleJob, {});
    // Waiting for five seconds, as far as the queue can tell.
    await query(`UPDATE pgboss.job SET start_after = start_after - interval '5 seconds', created_on = created_on - interval '5 seconds' WHERE name = $1`, [idleJob.name]);
    const response = await get('/v1/admin/jobs', admin.token);
    expect(response.status).toBe(200);
    const idle = response.body.queues.find((queue: { queue: string }) => queue.queue === idleJob.name);
    expect(idle).toMatchObject({ waiting: 1, deferred: 0, active: 0, failed: 0 });
    expect(idle.oldestWaitingSeconds).toBeGreaterThanOrEqual(5);
    expect(response.body.queues.map((queue: { queue: string }) => queue.queue)).toContain('generate-minutes');
    const quiet = response.body.queues.find((queue: { queue: string }) => queue.queue === 'generate-minutes');
    expect(quiet).toMatchObject({ waiting: 0, oldestWaitingSeconds: 0 });
    expect(await query(`SELECT count(*)::int AS count FROM audit_logs WHERE user_id = $1 AND action = 'admin.job_queues_viewed'`, [admin.id])).toEqual([{ count: 1 }]);
  });
});
