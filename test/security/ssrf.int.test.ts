import dns from 'node:dns/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboundFetch, isPublicAddress } from '../../src/lib/outbound-fetch.js';
import type { Server } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { readJson } from '../helpers/http.js';
import { startTestServer } from '../helpers/server.js';
import { bearer, postJson, registerUser } from '../helpers/users.js';

/** A service on this machine that must never be reached: it counts what reaches it. */
async function startInternalService(handler: http.RequestListener = (_request, response) => response.end('internal secret')) {
  const hits: string[] = [];
  const server = http.createServer((request, response) => {
    hits.push(request.url ?? '');
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, hits, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: Error & { cause?: { code?: string } }) => error.cause?.code ?? error.message);

describe('the outbound fetch: public addresses only, checked at connection time', () => {
  let internal: Awaited<ReturnType<typeof startInternalService>>;
  // A resolver as a rebinding attacker's DNS answers: a public-looking name, a private address.
  const resolve = (hostname: string, callback: (error: Error | null, addresses: { address: string; family: number }[]) => void) =>
    callback(null, hostname === 'internal.example.com' ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '169.254.169.254', family: 4 }]);

  beforeAll(async () => {
    internal = await startInternalService();
  });
  afterAll(async () => internal.close());

  it('refuses addresses in the URL and names that resolve to private space, before any byte is sent', async () => {
    const outbound = createOutboundFetch({ trustedHosts: [], allowPrivate: false, resolve });
    for (const url of [
      `http://127.0.0.1:${internal.port}/`,
      `http://[::ffff:127.0.0.1]:${internal.port}/`,
      `http://0x7f.1:${internal.port}/`,
      `http://internal.example.com:${internal.port}/`,
      'http://metadata.example.com/latest/meta-data/',
      'http://[::1]/',
      'http://10.0.0.1/',
    ]) {
      expect(await failureOf(outbound(url)), url).toBe('ERR_FORBIDDEN_ADDRESS');
    }
    expect(internal.hits).toEqual([]);
  });

  it('checks every redirect hop: a trusted endpoint redirecting inside is refused at the second hop', async () => {
    const redirector = await startInternalService((_request, response) => response.writeHead(302, { location: `http://127.0.0.1:${internal.port}/steal` }).end());
    try {
      const outbound = createOutboundFetch({ trustedHosts: [`127.0.0.1:${redirector.port}`], allowPrivate: false, resolve });
      expect(await failureOf(outbound(`http://127.0.0.1:${redirector.port}/start`))).toBe('ERR_FORBIDDEN_ADDRESS');
      expect(redirector.hits).toEqual(['/start']);
      expect(internal.hits).toEqual([]);
    } finally {
      await redirector.close();
    }
  });

  it('reaches configured endpoints, and anything outside production', async () => {
    const trusted = createOutboundFetch({ trustedHosts: [`127.0.0.1:${internal.port}`], allowPrivate: false, resolve });
    expect(await (await trusted(`http://127.0.0.1:${internal.port}/configured`)).text()).toBe('internal secret');
    const development = createOutboundFetch({ trustedHosts: [], allowPrivate: true, resolve });
    expect((await development(`http://127.0.0.1:${internal.port}/dev`)).status).toBe(200);
    expect(internal.hits).toEqual(['/configured', '/dev']);
    internal.hits.length = 0;
  });
});

describe('a production server and a user-supplied OpenAI base URL', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let internal: Awaited<ReturnType<typeof startInternalService>>;

  beforeAll(async () => {
    internal = await startInternalService();
    database = await createTestDatabase();
    server = await startTestServer({ databaseUrl: database.url, env: { NODE_ENV: 'production' } });
    baseUrl = (await server.listen())!;
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
    await internal.close();
  });

  it('never reaches an internal service through a name that resolves to it, and says the same as for an unreachable one', async () => {
    // This machine's own name: a literal check passes it, and it resolves to a private or loopback address.
    const resolved = await dns.lookup(os.hostname(), { all: true });
    expect(resolved.length).toBeGreaterThan(0);
    expect(resolved.some((entry) => isPublicAddress(entry.address))).toBe(false);

    const statusWith = async (openaiBaseUrl: string) => {
      const user = await registerUser(baseUrl);
      const saved = await postJson(`${baseUrl}/v1/integrations/openai`, { credentials: { apiKey: 'sk-user', baseUrl: openaiBaseUrl } }, bearer(user.token));
      expect(saved.status, openaiBaseUrl).toBe(200);
      return (await readJson(await fetch(`${baseUrl}/v1/integrations/status`, { headers: bearer(user.token) }))).openai;
    };
    const internalStatus = await statusWith(`http://${os.hostname()}:${internal.port}/v1`);
    const unreachableStatus = await statusWith('http://unreachable.invalid/v1');
    expect(internalStatus).toEqual({ connected: false, source: 'user' });
    expect(internalStatus).toEqual(unreachableStatus);
    expect(internal.hits).toEqual([]);
  });

  it("sends no webhook delivery to an internal address: refused at creation by literal, at connection by name", async () => {
    const user = await registerUser(baseUrl);
    const create = (url: string) => postJson(`${baseUrl}/v1/webhook-endpoints`, { url, events: ['transcript.ready'] }, bearer(user.token));
    for (const url of [`http://${os.hostname()}:${internal.port}/hook`, 'https://127.0.0.1/hook', 'https://169.254.169.254/latest', 'https://[::1]/hook', 'https://localhost/hook']) {
      const refused = await create(url);
      expect({ url, status: refused.status, code: (await readJson(refused)).code }).toEqual({ url, status: 400, code: 'validation_failed' });
    }
    // This machine's own name passes the literal check: the connection is what is refused.
    const created = await readJson(await create(`https://${os.hostname()}:${internal.port}/hook`));
    const meeting = await readJson(await postJson(`${baseUrl}/v1/meetings`, { topic: 'Interna', startTime: '2026-01-10T13:00:00Z', duration: 60, onZoom: false }, bearer(user.token)));
    await fetch(`${baseUrl}/v1/meetings/${meeting.meeting.id}/transcript`, { method: 'POST', headers: { ...bearer(user.token), 'content-type': 'text/plain' }, body: 'Ana: Aprovado.\n' });
    let deliveries: { attempts: number; lastError: string | null }[] = [];
    for (let attempt = 0; attempt < 100 && !deliveries[0]?.attempts; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      deliveries = (await readJson(await fetch(`${baseUrl}/v1/webhook-endpoints/${created.endpoint.id}/deliveries`, { headers: bearer(user.token) }))).deliveries;
    }
    expect(deliveries[0]).toMatchObject({ attempts: 1, lastError: expect.stringContaining('not a public address') });
    expect(internal.hits).toEqual([]);
  });
});
