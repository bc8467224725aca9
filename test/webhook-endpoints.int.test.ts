import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { startTestServer } from './helpers/server.js';
import { bearer, postJson, registerUser, type TestUser } from './helpers/users.js';

interface Received {
  delivery: string;
  event: string;
  body: { id: string; type: string; createdAt: string; data: Record<string, unknown> };
}

/** A receiver as the README tells one to write it: check Atas-Signature over the raw body, then answer 2xx. */
async function startReceiver(secretOf: () => string) {
  const received: Received[] = [];
  const refused: string[] = [];
  let answer = 200;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = String(request.headers['atas-signature'] ?? '');
      const t = /(?:^|,)t=(\d+)/.exec(header)?.[1];
      const v1 = /(?:^|,)v1=([0-9a-f]+)/.exec(header)?.[1];
      const expected = createHmac('sha256', secretOf()).update(`${t}.${raw}`).digest('hex');
      const fresh = t !== undefined && Math.abs(Date.now() / 1000 - Number(t)) <= 300;
      const valid = v1 !== undefined && v1.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
      if (!fresh || !valid) {
        refused.push(header);
        response.writeHead(400).end();
        return;
      }
      if (answer === 200) received.push({ delivery: String(request.headers['atas-delivery']), event: String(request.headers['atas-event']), body: JSON.parse(raw) as Received['body'] });
      response.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/atas`,
    received,
    refused,
    answerWith(status: number) {
      answer = status;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached; last: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

describe('webhook endpoints', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let user: TestUser;
  let secret = '';
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const env = { WEBHOOK_DELIVERY_RETRY_DELAY_SEC: '1' };

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, env });
    baseUrl = (await server.listen())!;
    user = await registerUser(baseUrl);
    receiver = await startReceiver(() => secret);
  });
  afterAll(async () => {
    await server.stop();
    await receiver.stop();
    await database.drop();
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...bearer(user.token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: await readJson(response) };
  };
  /** Later tests start with no endpoint of earlier ones. */
  const removeEveryEndpoint = async () => {
    for (const endpoint of (await call('GET', '/v1/webhook-endpoints')).body.endpoints as { id: string }[]) await call('DELETE', `/v1/webhook-endpoints/${endpoint.id}`);
  };
  const heldElsewhere = async () =>
    (await readJson(await postJson(`${baseUrl}/v1/meetings`, { topic: 'Conselho', startTime: '2026-01-10T13:00:00Z', duration: 60, onZoom: false }, bearer(user.token)))).meeting.id as string;
  const upload = (meetingId: string) =>
    fetch(`${baseUrl}/v1/meetings/${meetingId}/transcript`, { method: 'POST', headers: { ...bearer(user.token), 'content-type': 'text/plain' }, body: 'Ana: Aprovado.\n' });

  it('delivers each event signed as the README says, retries a failing receiver, and resumes on a new instance after a restart', async () => {
    const created = await call('POST', '/v1/webhook-endpoints', { url: receiver.url, events: ['transcript.ready', 'meeting.status_changed'] });
    expect(created.status).toBe(201);
    secret = created.body.secret as string;
    expect(secret).toMatch(/^whsec_/);
    const endpointId = created.body.endpoint.id as string;
    expect((await call('GET', '/v1/webhook-endpoints')).body.endpoints).toEqual([expect.not.objectContaining({ secret: expect.anything() })]);

    const meetingId = await heldElsewhere();
    await upload(meetingId);
    const [first] = await until(() => receiver.received, (all) => all.length === 1);
    expect(first).toMatchObject({ event: 'transcript.ready', body: { type: 'transcript.ready', data: { meetingId, source: 'upload' } } });

    // The receiver fails; the instance stops while the delivery waits for its retry; another takes over.
    receiver.answerWith(503);
    await call('DELETE', `/v1/meetings/${meetingId}`);
    await until(() => call('GET', `/v1/webhook-endpoints/${endpointId}/deliveries`), (page) => page.body.deliveries[0]?.attempts >= 1);
    await server.stop();
    receiver.answerWith(200);
    server = await startTestServer({ databaseUrl: database.url, env });
    baseUrl = (await server.listen())!;
    const all = await until(() => receiver.received, (events) => events.length === 2);
    expect(all[1]).toMatchObject({ event: 'meeting.status_changed', body: { data: { meetingId, status: 'cancelled' } } });
    expect(receiver.refused).toEqual([]);

    const log = await call('GET', `/v1/webhook-endpoints/${endpointId}/deliveries`);
    expect(log.body.deliveries.map((delivery: { eventType: string; status: string; attempts: number; lastStatusCode: number }) => [delivery.eventType, delivery.status, delivery.attempts > 1, delivery.lastStatusCode])).toEqual([
      ['meeting.status_changed', 'delivered', true, 200],
      ['transcript.ready', 'delivered', false, 200],
    ]);

    // Sent again on demand, as the same delivery.
    const again = await call('POST', `/v1/webhook-endpoints/${endpointId}/deliveries/${log.body.deliveries[1].id}/redeliver`);
    expect(again.status).toBe(202);
    const redelivered = await until(() => receiver.received, (events) => events.length === 3);
    expect(redelivered[2]!.delivery).toBe(redelivered[0]!.delivery);
    expect(redelivered[2]!.body).toEqual(redelivered[0]!.body);
    await removeEveryEndpoint();
  });

  it('signs with the endpoint\'s secret: a receiver holding another refuses every delivery', async () => {
    await call('POST', '/v1/webhook-endpoints', { url: receiver.url, events: ['transcript.ready'] });
    secret = 'whsec_not-the-secret';
    const before = { refused: receiver.refused.length, received: receiver.received.length };
    await upload(await heldElsewhere());
    await until(() => receiver.refused.length, (refused) => refused > before.refused);
    expect(receiver.received).toHaveLength(before.received);
    await removeEveryEndpoint();
  });

  it('disables an endpoint whose every attempt failed for 24 hours, and audits it', async () => {
    const created = await call('POST', '/v1/webhook-endpoints', { url: receiver.url, events: ['transcript.ready'] });
    secret = created.body.secret as string;
    const endpointId = created.body.endpoint.id as string;
    receiver.answerWith(500);
    await server.database.pool.query("UPDATE webhook_endpoints SET failing_since = now() - interval '25 hours' WHERE id = $1", [endpointId]);
    await upload(await heldElsewhere());
    const [endpoint] = await until(
      async () => (await call('GET', '/v1/webhook-endpoints')).body.endpoints.filter((candidate: { id: string }) => candidate.id === endpointId),
      ([candidate]) => candidate?.disabledAt !== null,
    );
    expect(endpoint.disabledReason).toContain('24 hours');
    const audit = await call('GET', '/v1/user/audit-logs');
    expect(audit.body.logs.map((row: { action: string }) => row.action)).toContain('webhook_endpoint.disabled');
    expect((await call('POST', `/v1/webhook-endpoints/${endpointId}/deliveries/${(await call('GET', `/v1/webhook-endpoints/${endpointId}/deliveries`)).body.deliveries[0].id}/redeliver`)).body.code).toBe('conflict');
    receiver.answerWith(200);
  });

  it('keeps finished deliveries EVENTS_RETENTION_HOURS, pending ones until they end', async () => {
    receiver.answerWith(200);
    const created = await call('POST', '/v1/webhook-endpoints', { url: receiver.url, events: ['transcript.ready'] });
    secret = created.body.secret as string;
    const endpointId = created.body.endpoint.id as string;
    for (let uploads = 0; uploads < 3; uploads++) await upload(await heldElsewhere());
    const log = async () => (await call('GET', `/v1/webhook-endpoints/${endpointId}/deliveries`)).body.deliveries as { id: string; status: string }[];
    const delivered = await until(log, (deliveries) => deliveries.length === 3 && deliveries.every((delivery) => delivery.status === 'delivered'));
    await server.database.pool.query("UPDATE webhook_deliveries SET created_at = now() - interval '73 hours' WHERE endpoint_id = $1", [endpointId]);
    await server.database.pool.query("UPDATE webhook_deliveries SET status = 'pending' WHERE id = $1", [delivered[0]!.id]);
    expect(await server.services.webhookEndpoints.deleteExpired()).toBeGreaterThanOrEqual(2);
    expect((await log()).map((delivery) => delivery.id)).toEqual([delivered[0]!.id]);
    await removeEveryEndpoint();
  });

  it("refuses what is not a URL or an event type, and another user's endpoint is not found", async () => {
    expect((await call('POST', '/v1/webhook-endpoints', { url: 'ftp://example.com', events: ['transcript.ready'] })).body.code).toBe('validation_failed');
    expect((await call('POST', '/v1/webhook-endpoints', { url: receiver.url, events: ['minutes.eaten'] })).body.code).toBe('validation_failed');
    expect((await call('POST', '/v1/webhook-endpoints', { url: receiver.url, events: [] })).body.code).toBe('validation_failed');
    const created = await call('POST', '/v1/webhook-endpoints', { url: receiver.url, events: ['minutes.ready'] });
    const intruder = await registerUser(baseUrl);
    const theirs = await fetch(`${baseUrl}/v1/webhook-endpoints/${created.body.endpoint.id}/deliveries`, { headers: bearer(intruder.token) });
    expect(theirs.status).toBe(404);
    const removed = await fetch(`${baseUrl}/v1/webhook-endpoints/${created.body.endpoint.id}`, { method: 'DELETE', headers: bearer(intruder.token) });
    expect(removed.status).toBe(404);
  });
});
