import { createHmac, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDocuSignEmulator, type DocuSignEmulator } from '../../emulators/docusign/docusign-emulator.js';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators/openai/openai-emulator.js';
import { startZoomEmulator, type ZoomEmulator } from '../../emulators/zoom/zoom-emulator.js';
import { loggerOptions } from '../../src/lib/logger.js';
import { createServer, type Server } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { docusignServerEnv, openaiServerEnv, testConfig, zoomServerEnv } from '../helpers/server.js';

const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

/**
 * A whole flow run with known secrets (server's and a user's: passwords, tokens, provider keys,
 * private keys, HMAC keys); afterwards none is found in any log line, any row of any table (the
 * job queue included) or any response, but the responses that hand a token or a Zoom start link
 * (its zak) to its owner.
 */
describe('secrets, after a whole flow', () => {
  let zoom: ZoomEmulator;
  let openai: OpenAIEmulator;
  let docusign: DocuSignEmulator;
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  const logLines: string[] = [];
  const responses: { route: string; text: string }[] = [];
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    Object.assign(secrets, {
      zoomClientSecret: secret('zoom-client'),
      zoomWebhookSecret: secret('zoom-hook'),
      openaiKey: `sk-${secret('server')}`,
      docusignHmac: secret('connect-hmac'),
      userPassword: secret('password'),
      userNewPassword: secret('new-password'),
      userZoomSecret: secret('user-zoom'),
      userOpenAIKey: `sk-${secret('user')}`,
      userHmac: secret('user-hmac'),
    });
    const serverKeys = await generateKeyPair('RS256', { extractable: true });
    const userKeys = await generateKeyPair('RS256', { extractable: true });
    secrets.docusignPrivateKey = await exportPKCS8(serverKeys.privateKey);
    secrets.userPrivateKey = await exportPKCS8(userKeys.privateKey);
    zoom = await startZoomEmulator({ credentials: { accountId: 'acct-s', clientId: 'client-s', clientSecret: secrets.zoomClientSecret!, webhookSecret: secrets.zoomWebhookSecret! } });
    openai = await startOpenAIEmulator({ apiKey: secrets.openaiKey! });
    docusign = await startDocuSignEmulator({ integrationKey: 'ik-s', userId: 'user-s', publicKeyPem: await exportSPKI(serverKeys.publicKey), hmacKeys: [secrets.docusignHmac!] });
    database = await createTestDatabase();
    const config = testConfig({
      DATABASE_URL: database.url,
      LOG_LEVEL: 'info',
      ...zoomServerEnv(zoom),
      ZOOM_WEBHOOK_SECRET: secrets.zoomWebhookSecret!,
      ...openaiServerEnv(openai),
      ...docusignServerEnv(docusign, { integrationKey: 'ik-s', userId: 'user-s', privateKeyPem: secrets.docusignPrivateKey, connectHmacKeys: [secrets.docusignHmac!] }),
      RATE_LIMIT_MAX_REQUESTS: '100000',
      MINUTES_WAIT_MS: '15000',
    });
    secrets.jwtSecret = config.auth.jwtSecret;
    secrets.refreshSecret = config.auth.refreshTokenSecret;
    secrets.encryptionKey = config.encryption.key;
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    server = await createServer(config, { role: 'all', log: pino(loggerOptions(config.log), destination), jobs: [] });
    baseUrl = (await server.listen())!;
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
    await Promise.all([zoom.stop(), openai.stop(), docusign.stop()]);
  });

  /** A call whose answer is kept for the sweep (unless it hands the caller its own tokens or start link). */
  async function call(method: string, route: string, options: { token?: string; body?: unknown; headers?: Record<string, string>; handsOwnCredentials?: boolean } = {}) {
    const response = await fetch(`${baseUrl}${route}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body === undefined ? {} : { 'content-type': typeof options.body === 'string' ? 'text/plain' : 'application/json' }),
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
    });
    const text = await response.text();
    if (!options.handsOwnCredentials) responses.push({ route: `${method} ${route} → ${response.status}`, text: `${JSON.stringify([...response.headers])}\n${text}` });
    return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }

  it('finds none of them anywhere they must not be', async () => {
    const registered = await call('POST', '/v1/auth/register', { body: { email: 'sweep@example.com', password: secrets.userPassword }, handsOwnCredentials: true });
    expect(registered.status).toBe(201);
    await call('POST', '/v1/auth/login', { body: { email: 'sweep@example.com', password: `${secrets.userPassword}-wrong` } });
    const login = await call('POST', '/v1/auth/login', { body: { email: 'sweep@example.com', password: secrets.userPassword }, handsOwnCredentials: true });
    const refreshed = await call('POST', '/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken }, handsOwnCredentials: true });
    await call('POST', '/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } }); // reused: the session ends
    const again = await call('POST', '/v1/auth/login', { body: { email: 'sweep@example.com', password: secrets.userPassword }, handsOwnCredentials: true });
    const token = String(again.body.token);
    secrets.accessToken = token;
    secrets.refreshToken = String(again.body.refreshToken);
    secrets.firstRefreshToken = String(refreshed.body.refreshToken);
    await call('POST', '/v1/user/password', { token, body: { currentPassword: secrets.userPassword, newPassword: secrets.userNewPassword } });

    await call('POST', '/v1/integrations/zoom', { token, body: { credentials: { accountId: 'acct-s', clientId: 'client-s', clientSecret: secrets.userZoomSecret, webhookSecret: 'x' } } });
    await call('POST', '/v1/integrations/openai', { token, body: { credentials: { apiKey: secrets.userOpenAIKey, baseUrl: openai.url } } });
    await call('POST', '/v1/integrations/docusign', { token, body: { credentials: { integrationKey: 'ik-u', userId: 'u-u', privateKey: secrets.userPrivateKey, oauthBasePath: docusign.oauthBasePath, connectHmacKeys: secrets.userHmac } } });
    await call('GET', '/v1/integrations', { token });
    await call('GET', '/v1/integrations/status', { token });
    await call('GET', '/v1/user/audit-logs', { token });

    // The user's own keys are refused by the emulators: failures with secrets nearby get logged.
    const meeting = await call('POST', '/v1/meetings', { token, body: { topic: 'Sigilo', startTime: new Date(Date.now() + 86_400_000).toISOString(), duration: 60 } });
    await call('DELETE', '/v1/integrations/zoom', { token });
    await call('DELETE', '/v1/integrations/openai', { token });

    // On the server's Zoom now. The host's start links carry a zak: handed to the owner, kept nowhere.
    const hosted = { topic: 'Host', startTime: new Date(Date.now() + 86_400_000).toISOString(), duration: 60 };
    const idempotent = { 'idempotency-key': 'sweep-hosted' };
    const created = await call('POST', '/v1/meetings', { token, body: hosted, headers: idempotent, handsOwnCredentials: true });
    const replayed = await call('POST', '/v1/meetings', { token, body: hosted, headers: idempotent, handsOwnCredentials: true });
    const hostedId = (created.body.meeting as { id: string }).id;
    const started = await call('GET', `/v1/meetings/${hostedId}/start-url`, { token, handsOwnCredentials: true });
    const zakOf = (url: unknown) => new URL(String(url)).searchParams.get('zak') ?? 'no zak';
    Object.assign(secrets, { createdZak: zakOf(created.body.zoomStartUrl), replayedZak: zakOf(replayed.body.zoomStartUrl), startZak: zakOf(started.body.startUrl) });
    expect(new Set([secrets.createdZak, secrets.replayedZak, secrets.startZak, 'no zak']).size).toBe(4); // each asked of Zoom afresh
    await call('GET', `/v1/meetings/${hostedId}`, { token });
    await call('GET', '/v1/meetings', { token });
    const held = await call('POST', '/v1/meetings', { token, body: { topic: 'Elsewhere', startTime: '2026-01-10T13:00:00Z', duration: 60, onZoom: false } });
    const meetingId = (held.body.meeting as { id: string }).id;
    await call('POST', `/v1/meetings/${meetingId}/transcript`, { token, body: 'Ana Souza: Aprovado.\nBruno Lima: De acordo.\n' });
    await call('POST', `/v1/meetings/${meetingId}/minutes`, { token, body: { language: 'pt-BR' } });
    const zoomEvent = JSON.stringify({ event: 'meeting.started', event_ts: Date.now(), payload: { object: { id: '1', uuid: 'sweep' } } });
    const timestamp = String(Math.floor(Date.now() / 1000));
    await call('POST', '/v1/webhooks/zoom', { body: zoomEvent, headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': timestamp, 'x-zm-signature': `v0=${createHmac('sha256', secrets.zoomWebhookSecret!).update(`v0:${timestamp}:${zoomEvent}`).digest('hex')}` } });
    await call('POST', '/v1/webhooks/docusign', { body: '{"event":"envelope-sent","data":{"envelopeId":"x"}}', headers: { 'content-type': 'application/json', 'x-docusign-signature-1': 'forged' } });
    expect(meeting.status).toBeGreaterThanOrEqual(400); // the user's Zoom secret is not the emulator's
    // Every job these requests made has run (a failing one at least once, its retry waiting).
    const unsettled = async () =>
      Number((await server.database.pool.query("SELECT count(*) FROM pgboss.job WHERE state IN ('created', 'active') AND start_after <= now()")).rows[0].count);
    await expect.poll(unsettled, { timeout: 15_000, interval: 50 }).toBe(0);

    const rows: string[] = [];
    const tables = (await server.database.pool.query<{ schema: string; name: string }>("SELECT table_schema AS schema, table_name AS name FROM information_schema.tables WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE'")).rows;
    for (const { schema, name } of tables) {
      for (const row of (await server.database.pool.query(`SELECT to_jsonb(t)::text AS text FROM "${schema}"."${name}" t`)).rows) rows.push(`${schema}.${name}: ${row.text}`);
    }
    const places = { logs: logLines.join(''), rows: rows.join('\n'), responses: responses.map((response) => `${response.route}\n${response.text}`).join('\n') };
    expect(rows.length).toBeGreaterThan(20);
    expect(places.logs.length).toBeGreaterThan(1000);
    const found: string[] = [];
    for (const [name, value] of Object.entries(secrets)) {
      // A PEM is looked for by a stretch of its key material, as it may be re-wrapped.
      const needle = value.includes('-----BEGIN') ? value.split('\n')[3]! : value;
      for (const [place, text] of Object.entries(places)) if (text.includes(needle)) found.push(`${name} in ${place}`);
    }
    expect(found).toEqual([]);
  });
});
