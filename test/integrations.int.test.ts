import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startZoomEmulator, type ZoomEmulator } from '../emulators/zoom/zoom-emulator.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { startTestServer } from './helpers/server.js';
import { makeSharedTempDir } from './helpers/temp-dir.js';
import { bearer, postJson, registerUser } from './helpers/users.js';

const zoomCredentials = { accountId: 'acct-int', clientId: 'client-int', clientSecret: `secret-${randomBytes(6).toString('hex')}`, webhookSecret: 'hook' };
const oldKey = randomBytes(32).toString('hex');
const newKey = randomBytes(32).toString('hex');

describe('integrations', () => {
  let emulator: ZoomEmulator;
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;

  const startServer = async (keys: Record<string, string>) => {
    server = await startTestServer({
      databaseUrl: database.url,
      env: { ZOOM_API_BASE_URL: emulator.apiBaseUrl, ZOOM_OAUTH_URL: emulator.oauthUrl, ...keys },
    });
    baseUrl = (await server.listen())!;
  };

  beforeAll(async () => {
    emulator = await startZoomEmulator({ credentials: zoomCredentials });
    database = await createTestDatabase();
    await startServer({ ENCRYPTION_KEY: oldKey });
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
    await emulator.stop();
  });

  const connectZoom = (token: string, credentials: Record<string, string> = zoomCredentials) =>
    postJson(`${baseUrl}/v1/integrations/zoom`, { credentials }, bearer(token));
  const status = async (token: string) => readJson(await fetch(`${baseUrl}/v1/integrations/status`, { headers: bearer(token) }));

  it('stores credentials encrypted and only ever shows which fields are set', async () => {
    const user = await registerUser(baseUrl);
    const saved = await connectZoom(user.token);
    expect(saved.status).toBe(200);
    const body = await readJson(saved);
    expect(body.integration).toMatchObject({ provider: 'zoom', isActive: true, fieldsSet: ['accountId', 'clientId', 'clientSecret', 'webhookSecret'] });
    expect(JSON.stringify(body)).not.toContain(zoomCredentials.clientSecret);

    const listed = await readJson(await fetch(`${baseUrl}/v1/integrations`, { headers: bearer(user.token) }));
    expect(listed.integrations).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(zoomCredentials.clientSecret);

    const { rows } = await server.database.pool.query('SELECT credentials::text AS stored FROM integration_credentials WHERE user_id = $1', [user.id]);
    expect(rows[0].stored).not.toContain(zoomCredentials.clientSecret);
    expect(rows[0].stored).not.toContain(zoomCredentials.clientId);
    const audit = JSON.stringify((await server.database.pool.query('SELECT * FROM audit_logs WHERE user_id = $1', [user.id])).rows);
    expect(audit).toContain('integration.saved');
    expect(audit).not.toContain(zoomCredentials.clientSecret);
  });

  it('checks the credentials with a real token request', async () => {
    const user = await registerUser(baseUrl);
    expect((await status(user.token)).zoom).toEqual({ connected: false, scopes: [], source: 'none' });
    await connectZoom(user.token);
    expect((await status(user.token)).zoom).toMatchObject({ connected: true, source: 'user', scopes: expect.arrayContaining(['meeting:write:admin']) });

    const other = await registerUser(baseUrl);
    await connectZoom(other.token, { ...zoomCredentials, clientSecret: 'wrong' });
    expect((await status(other.token)).zoom).toMatchObject({ connected: false, source: 'user' });
  });

  it("validates each provider's fields and keeps one user's integrations from another", async () => {
    const user = await registerUser(baseUrl);
    const missing = await connectZoom(user.token, { accountId: 'a' });
    expect(missing.status).toBe(400);
    expect(await readJson(missing)).toMatchObject({ code: 'validation_failed' });
    expect((await connectZoom(user.token, { ...zoomCredentials, surprise: 'x' })).status).toBe(400);
    expect((await postJson(`${baseUrl}/v1/integrations/slack`, { credentials: {} }, bearer(user.token))).status).toBe(400);
    expect((await postJson(`${baseUrl}/v1/integrations/openai`, { credentials: { apiKey: 'sk-x', baseUrl: 'not a url' } }, bearer(user.token))).status).toBe(400);

    await connectZoom(user.token);
    const stranger = await registerUser(baseUrl);
    expect((await readJson(await fetch(`${baseUrl}/v1/integrations`, { headers: bearer(stranger.token) }))).integrations).toEqual([]);
    const removeAsStranger = await fetch(`${baseUrl}/v1/integrations/zoom`, { method: 'DELETE', headers: bearer(stranger.token) });
    expect(removeAsStranger.status).toBe(404);

    const removed = await fetch(`${baseUrl}/v1/integrations/zoom`, { method: 'DELETE', headers: bearer(user.token) });
    expect(removed.status).toBe(200);
    expect((await fetch(`${baseUrl}/v1/integrations/zoom`, { method: 'DELETE', headers: bearer(user.token) })).status).toBe(404);
  });

  it('rotates the encryption key: old keys still decrypt, npm run keys:rotate re-encrypts credentials and webhook secrets', async () => {
    const user = await registerUser(baseUrl);
    await connectZoom(user.token);
    const signatures: { header: string; body: string }[] = [];
    const receiver = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        signatures.push({ header: String(request.headers['atas-signature']), body });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const created = await readJson(
      await postJson(`${baseUrl}/v1/webhook-endpoints`, { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, events: ['transcript.ready'] }, bearer(user.token)),
    );
    await server.stop();

    await startServer({ ENCRYPTION_KEY: newKey, ENCRYPTION_KEYS: oldKey });
    expect((await status(user.token)).zoom.connected).toBe(true);

    const exitCode = await new Promise<number | null>((resolve) => {
      const child = spawn('npm', ['run', '--silent', 'keys:rotate'], {
        env: { ...process.env, DATABASE_URL: database.url, DATA_DIR: makeSharedTempDir('atas-rotate-'), ENCRYPTION_KEY: newKey, ENCRYPTION_KEYS: oldKey, LOG_LEVEL: 'silent' },
        stdio: 'ignore',
      });
      child.once('exit', resolve);
    });
    expect(exitCode).toBe(0);
    await server.stop();

    await startServer({ ENCRYPTION_KEY: newKey });
    expect((await status(user.token)).zoom.connected).toBe(true);
    // The signing secret opens under the new key alone: a delivery is signed with it.
    const meeting = await readJson(await postJson(`${baseUrl}/v1/meetings`, { topic: 'Chaves', startTime: '2026-01-10T13:00:00Z', duration: 60, onZoom: false }, bearer(user.token)));
    await fetch(`${baseUrl}/v1/meetings/${meeting.meeting.id}/transcript`, { method: 'POST', headers: { ...bearer(user.token), 'content-type': 'text/plain' }, body: 'Ana: Aprovado.\n' });
    for (let attempt = 0; attempt < 100 && signatures.length === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    receiver.close();
    const [delivered] = signatures;
    const t = /t=(\d+)/.exec(delivered!.header)![1]!;
    expect(delivered!.header).toBe(`t=${t},v1=${createHmac('sha256', created.secret as string).update(`${t}.${delivered!.body}`).digest('hex')}`);
  });

  it('in production, refuses user endpoints on private networks or outside DocuSign', async () => {
    await server.stop();
    await startServer({ ENCRYPTION_KEY: oldKey, NODE_ENV: 'production' });
    const user = await registerUser(baseUrl);
    const save = (provider: string, credentials: Record<string, string>) => postJson(`${baseUrl}/v1/integrations/${provider}`, { credentials }, bearer(user.token));
    for (const baseUrl of ['http://127.0.0.1:11434/v1', 'http://169.254.169.254/latest', 'http://localhost:8000/v1']) {
      const refused = await save('openai', { apiKey: 'sk-x', baseUrl });
      expect(refused.status, baseUrl).toBe(400);
      expect((await readJson(refused)).details).toEqual([expect.objectContaining({ path: '/credentials/baseUrl' })]);
    }
    expect((await save('openai', { apiKey: 'sk-x', baseUrl: 'https://myresource.openai.azure.com/openai/v1/' })).status).toBe(200);
    const pem = '-----BEGIN PRIVATE KEY-----\\nMIIB\\n-----END PRIVATE KEY-----';
    expect((await save('docusign', { integrationKey: 'ik', userId: 'u', privateKey: pem, oauthBasePath: 'http://10.0.0.1' })).status).toBe(400);
    expect((await save('docusign', { integrationKey: 'ik', userId: 'u', privateKey: pem, oauthBasePath: 'account.docusign.com' })).status).toBe(200);
    await server.stop();
    await startServer({ ENCRYPTION_KEY: oldKey });
  });
});
