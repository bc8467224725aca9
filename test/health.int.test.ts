import fs from 'node:fs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { createLogger } from '../src/lib/logger.js';
import { findFreePort } from '../src/lib/ports.js';
import { createHealthService } from '../src/modules/health/health.service.js';
import type { Server } from '../src/server.js';
import { test } from './helpers/fixtures.js';
import { startTestServer } from './helpers/server.js';
import { smtpServerEnv, startTestSmtpServer } from './helpers/smtp.js';
import { makeSharedTempDir } from './helpers/temp-dir.js';

const log = createLogger({ level: 'silent', format: 'json' });

/** What a load balancer's probe gets: through the app, no socket needed. */
async function statusOf(server: Server, url = '/v1/health') {
  const response = await server.app!.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.json() };
}

describe('health when the database stops and returns', () => {
  const dataDir = makeSharedTempDir('atas-health-');
  let embedded: EmbeddedPostgres | undefined;
  let server: Server | undefined;

  afterAll(async () => {
    await server?.stop();
    await embedded?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('turns to 503/down while the database is stopped and back to 200 without a restart of the app', async () => {
    embedded = await startEmbeddedPostgres({ dataDir, log });
    const { port } = embedded;
    server = await startTestServer({ databaseUrl: embedded.url, env: { REDIS_URL: inject('redisUrl') } });

    expect(await statusOf(server)).toMatchObject({ status: 200, body: { status: 'ok', services: { database: 'ok', redis: 'ok' } } });

    await embedded.stop();
    embedded = undefined;
    expect(await statusOf(server)).toMatchObject({ status: 503, body: { status: 'down', services: { database: 'down' } } });
    expect((await statusOf(server, '/v1/health/ready')).status).toBe(503);
    expect((await statusOf(server, '/v1/health/live')).status).toBe(200);

    embedded = await startEmbeddedPostgres({ dataDir, port, log });
    await expect.poll(() => statusOf(server!), { timeout: 5000, interval: 100 }).toMatchObject({ status: 200, body: { status: 'ok', services: { database: 'ok' } } });
    expect((await statusOf(server, '/v1/health/ready')).status).toBe(200);
  });
});

describe('health of the other services', () => {
  test('is degraded, not down, when Redis is unreachable', async ({ startServer }) => {
    const server = await startServer({ env: { REDIS_URL: `redis://127.0.0.1:${await findFreePort()}` } });
    expect(await statusOf(server)).toMatchObject({
      status: 200,
      body: { status: 'degraded', services: { database: 'ok', redis: 'down' } },
    });
  });

  test('reports a provider as ok once the server has its credentials', async ({ startServer }) => {
    const { body } = await statusOf(await startServer({ env: { OPENAI_API_KEY: 'sk-test-key' } }));
    expect(body.services).toMatchObject({ openai: 'ok', zoom: 'not_configured', docusign: 'not_configured' });
    expect(JSON.stringify(body)).not.toContain('sk-test-key');
  });
});

describe('health of e-mail', () => {
  /** The health service as the app builds it, with this server's mailer. */
  const emailHealthOf = (server: Server, mailer: { status: 'configured' | 'local' | 'not_configured' } = server.services.mailer) =>
    createHealthService({
      database: server.database,
      providerStatuses: () => ({ zoom: 'ok', docusign: 'ok', openai: 'ok' }),
      isShuttingDown: () => false,
      mailer,
    }).check();

  test('says local without SMTP settings outside production, ok with them, and is never degraded by it', async ({ startServer }) => {
    const local = await startServer({ role: 'api', env: { EMULATORS: 'on' } });
    expect(local.services.mailer.status).toBe('local');
    expect((await emailHealthOf(local)).health).toMatchObject({ status: 'ok', services: { email: 'local' } });
    const withoutEmulators = await startServer({ role: 'api' });
    expect((await emailHealthOf(withoutEmulators)).health).toMatchObject({ status: 'ok', services: { email: 'not_configured' } });

    const smtp = await startTestSmtpServer();
    try {
      const server = await startServer({
        role: 'api',
        env: smtpServerEnv(smtp),
      });
      expect((await emailHealthOf(server)).health).toMatchObject({ status: 'ok', services: { email: 'ok' } });
      // The server's mailer is the one the settings name.
      await server.services.mailer.send({ to: 'maria@example.com', subject: 'wired', text: 'wired', html: '<p>wired</p>' });
      expect((await smtp.waitFor((mail) => mail.parsed.subject === 'wired')).envelope.from).toBe('atas@example.com');
    } finally {
      await smtp.stop();
    }
  });
});

describe('a connection lost in the middle of a transaction', () => {
  test('fails that transaction, and the process goes on (no uncaught error) with a fresh connection', async ({ startServer }) => {
    const server = await startServer({ role: 'api' });
    const transaction = server.database.transaction(async ({ client }) => {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // Another session ends this one while it sits idle in the transaction, as a server restart would.
      const ended = new Promise((resolve) => client.once('end', resolve));
      await server.database.pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await ended; // the connection's error arrived between two statements
      await client.query('SELECT 1');
    });
    await expect(transaction).rejects.toThrow();
    expect((await server.database.pool.query<{ ok: number }>('SELECT 1 AS ok')).rows[0]!.ok).toBe(1);
  });
});
