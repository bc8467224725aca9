import { createHmac } from 'node:crypto';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Server } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { readJson } from '../helpers/http.js';
import { startTestServer } from '../helpers/server.js';
import { bearer, postJson, registerUser } from '../helpers/users.js';

const ZOOM_SECRET = 'outage-zoom-secret';
// 3 s in `npm test`; the long suite (vitest.long.config.ts) cuts PostgreSQL for 10 s.
const OUTAGE_MS = Number(process.env.OUTAGE_MS ?? 3000);

/** A TCP relay in front of PostgreSQL that a test can cut (every connection dropped, new ones refused) and restore. */
async function startRelay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const open = async () => {
    server = net.createServer((client) => {
      const upstream = net.connect(target.port, target.host);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  };
  await open();
  return {
    port,
    async cut() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server!.close(resolve));
    },
    restore: open,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server!.close(resolve));
    },
  };
}

describe(`PostgreSQL unreachable for ${OUTAGE_MS / 1000} s under use`, () => {
  let database: TestDatabase;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const direct = new URL(database.url);
    relay = await startRelay({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaRelay = new URL(database.url);
    viaRelay.hostname = '127.0.0.1';
    viaRelay.port = String(relay.port);
    server = await startTestServer({ databaseUrl: viaRelay.toString(), env: { ZOOM_WEBHOOK_SECRET: ZOOM_SECRET, RATE_LIMIT_MAX_REQUESTS: '100000' } });
    baseUrl = (await server.listen())!;
  });
  afterAll(async () => {
    await server.stop();
    await relay.close();
    await database.drop();
  });

  const deliver = (uuid: string) => {
    const body = JSON.stringify({ event: 'meeting.started', event_ts: Date.now(), payload: { object: { id: '1', uuid } } });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', ZOOM_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    return fetch(`${baseUrl}/v1/webhooks/zoom`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': timestamp, 'x-zm-signature': signature }, body });
  };

  it('answers 503 database_unavailable meanwhile, says so on /health/ready, and recovers without a restart, losing nothing', async () => {
    const user = await registerUser(baseUrl);
    expect((await deliver('before-outage')).status).toBe(200);

    await relay.cut();
    const outageStarted = Date.now();
    const during = [
      await fetch(`${baseUrl}/v1/meetings`, { headers: bearer(user.token) }),
      await postJson(`${baseUrl}/v1/meetings`, { topic: 'Durante', startTime: '2026-01-10T13:00:00Z', duration: 60, onZoom: false }, bearer(user.token)),
      await deliver('during-outage'),
    ];
    for (const response of during) {
      expect(response.status).toBe(503);
      expect(await readJson(response)).toMatchObject({ code: 'database_unavailable', requestId: expect.any(String) });
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect((await fetch(`${baseUrl}/v1/health/ready`)).status).toBe(503);
    expect((await fetch(`${baseUrl}/v1/health/live`)).status).toBe(200);
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)));

    await relay.restore();
    await expect.poll(async () => (await fetch(`${baseUrl}/v1/meetings`, { headers: bearer(user.token) })).status, { timeout: 15_000, interval: 200 }).toBe(200);
    expect((await fetch(`${baseUrl}/v1/health/ready`)).status).toBe(200);
    // What Zoom does with a 503: it sends the event again.
    expect((await deliver('during-outage')).status).toBe(200);
    const processed = async () => (await server.database.pool.query("SELECT payload->'payload'->'object'->>'uuid' AS uuid FROM webhook_events WHERE processed ORDER BY 1")).rows.map((row) => row.uuid as string);
    await expect.poll(processed, { timeout: 30_000, interval: 100 }).toEqual(['before-outage', 'during-outage']);
  });
});

describe('Redis unreachable', () => {
  let database: TestDatabase;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const redis = new URL(inject('redisUrl'));
    relay = await startRelay({ host: redis.hostname, port: Number(redis.port || 6379) });
    server = await startTestServer({ databaseUrl: database.url, env: { REDIS_URL: `redis://127.0.0.1:${relay.port}`, RATE_LIMIT_MAX_REQUESTS: '100000' } });
    baseUrl = (await server.listen())!;
  });
  afterAll(async () => {
    await server.stop();
    await relay.close();
    await database.drop();
  });

  it('keeps serving (rate limits pass uncounted, as documented), reports Redis down, and uses it again when it is back', async () => {
    const user = await registerUser(baseUrl);
    await relay.cut();
    for (let i = 0; i < 5; i++) expect((await fetch(`${baseUrl}/v1/meetings`, { headers: bearer(user.token) })).status).toBe(200);
    expect((await postJson(`${baseUrl}/v1/meetings`, { topic: 'Sem Redis', startTime: '2026-01-10T13:00:00Z', duration: 60, onZoom: false }, bearer(user.token))).status).toBe(201);
    expect((await registerUser(baseUrl)).token).toEqual(expect.any(String));
    const health = await readJson(await fetch(`${baseUrl}/v1/health`));
    expect(health.services).toMatchObject({ database: 'ok', redis: 'down' });
    expect((await fetch(`${baseUrl}/v1/health/ready`)).status).toBe(200);

    await relay.restore();
    await expect.poll(async () => (await readJson(await fetch(`${baseUrl}/v1/health`))).services.redis, { timeout: 15_000, interval: 100 }).toBe('ok');
    expect((await fetch(`${baseUrl}/v1/meetings`, { headers: bearer(user.token) })).headers.get('ratelimit-limit')).toBe('100000');
  });
});
