import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { readJson } from '../helpers/http.js';
import { startTestServer } from '../helpers/server.js';

const zoomSecret = 'zoom-webhook-secret-security';
const docusignSecret = 'docusign-connect-secret-security';
const freshIp = () => `203.0.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

/** Webhooks are the one anonymous way in: verified before anything else, and limited per sending IP. */
describe('webhooks against forged deliveries', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer({
      databaseUrl: database.url,
      env: { ZOOM_WEBHOOK_SECRET: zoomSecret, DOCUSIGN_WEBHOOK_SECRET: docusignSecret, WEBHOOK_RATE_LIMIT_PER_MINUTE: '5', TRUST_PROXY: 'true' },
    });
    baseUrl = (await server.listen())!;
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  const storedEvents = async () => Number((await server.database.pool.query('SELECT count(*) FROM webhook_events')).rows[0].count);
  const connectMessage = (envelopeId: unknown) => JSON.stringify({ event: 'envelope-completed', generatedDateTime: new Date().toISOString(), data: { envelopeId, accountId: randomUUID() } });
  const post = (provider: 'zoom' | 'docusign', body: string, ip: string, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}/v1/webhooks/${provider}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...headers }, body });

  it('refuses unsigned or wrongly signed DocuSign messages with 401, whatever envelope id they claim', async () => {
    const claims = [randomUUID(), "x' OR '1'='1", 'a\u0000b', 'é'.repeat(10_000), 42, { $ne: null }, null];
    for (const envelopeId of claims) {
      const body = connectMessage(envelopeId);
      for (const headers of [{} as Record<string, string>, { 'x-docusign-signature-1': createHmac('sha256', 'not-the-key').update(body).digest('base64') }]) {
        const response = await post('docusign', body, freshIp(), headers);
        expect(response.status, JSON.stringify(envelopeId)).toBe(401);
        expect(await readJson(response)).toMatchObject({ code: 'webhook_signature_invalid' });
      }
    }
    expect(await storedEvents()).toBe(0);
  });

  it('refuses unsigned, wrongly signed or stale Zoom events with 401, storing nothing', async () => {
    const body = JSON.stringify({ event: 'meeting.started', event_ts: Date.now(), payload: { object: { id: '1\u0000', uuid: 'x' } } });
    const sign = (secret: string, timestamp: number) => {
      const seconds = String(Math.floor(timestamp / 1000));
      return { 'x-zm-request-timestamp': seconds, 'x-zm-signature': `v0=${createHmac('sha256', secret).update(`v0:${seconds}:${body}`).digest('hex')}` };
    };
    for (const headers of [{} as Record<string, string>, sign('not-the-secret', Date.now()), sign(zoomSecret, Date.now() - 60 * 60 * 1000), { 'x-zm-request-timestamp': 'x', 'x-zm-signature': 'v0=zz' }]) {
      const response = await post('zoom', body, freshIp(), headers);
      expect(response.status).toBe(401);
      expect(await readJson(response)).toMatchObject({ code: 'webhook_signature_invalid' });
    }
    expect(await storedEvents()).toBe(0);
  });

  it('limits deliveries per sending IP, signed or not, and leaves other senders alone', async () => {
    const flooder = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post('docusign', connectMessage(randomUUID()), flooder)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const limited = await post('zoom', '{}', flooder);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await readJson(limited)).toMatchObject({ code: 'rate_limited' });
    expect((await post('docusign', connectMessage(randomUUID()), freshIp())).status).toBe(401);
  });
});
