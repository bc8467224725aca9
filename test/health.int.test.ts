import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { createLogger } from '../src/lib/logger.js';
import { findFreePort } from '../src/lib/ports.js';
import type { Server } from '../src/server.js';
import { createTestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { startTestServer } from './helpers/server.js';
import { makeSharedTempDir } from './helpers/temp-dir.js';

const log = createLogger({ level: 'silent', format: 'json' });

async function getHealth(baseUrl: string) {
  const response = await fetch(`${baseUrl}/v1/health`);
  return { status: response.status, body: await readJson(response) };
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
    const baseUrl = (await server.listen())!;

    expect(await getHealth(baseUrl)).toMatchObject({ status: 200, body: { status: 'ok', services: { database: 'ok', redis: 'ok' } } });

    await embedded.stop();
    embedded = undefined;
    expect(await getHealth(baseUrl)).toMatchObject({ status: 503, body: { status: 'down', services: { database: 'down' } } });
    const ready = await fetch(`${baseUrl}/v1/health/ready`);
    expect(ready.status).toBe(503);
    expect((await fetch(`${baseUrl}/v1/health/live`)).status).toBe(200);

    embedded = await startEmbeddedPostgres({ dataDir, port, log });
    let health = await getHealth(baseUrl);
    for (let attempt = 0; attempt < 20 && health.status !== 200; attempt++) {
      await sleep(250);
      health = await getHealth(baseUrl);
    }
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', services: { database: 'ok' } } });
    expect((await fetch(`${baseUrl}/v1/health/ready`)).status).toBe(200);
  });
});

describe('health of the other services', () => {
  it('is degraded, not down, when Redis is unreachable', async () => {
    const database = await createTestDatabase();
    const unusedPort = await findFreePort();
    const server = await startTestServer({ databaseUrl: database.url, env: { REDIS_URL: `redis://127.0.0.1:${unusedPort}` } });
    try {
      const baseUrl = (await server.listen())!;
      expect(await getHealth(baseUrl)).toMatchObject({
        status: 200,
        body: { status: 'degraded', services: { database: 'ok', redis: 'down' } },
      });
    } finally {
      await server.stop();
      await database.drop();
    }
  });

  it('reports a provider as ok once the server has its credentials', async () => {
    const database = await createTestDatabase();
    const server = await startTestServer({ databaseUrl: database.url, env: { OPENAI_API_KEY: 'sk-test-key' } });
    try {
      const baseUrl = (await server.listen())!;
      const { body } = await getHealth(baseUrl);
      expect(body.services).toMatchObject({ openai: 'ok', zoom: 'not_configured', docusign: 'not_configured' });
      expect(JSON.stringify(body)).not.toContain('sk-test-key');
    } finally {
      await server.stop();
      await database.drop();
    }
  });
});

describe('a connection lost in the middle of a transaction', () => {
  it('fails that transaction, and the process goes on (no uncaught error) with a fresh connection', async () => {
    const database = await createTestDatabase();
    const server = await startTestServer({ databaseUrl: database.url, role: 'api' });
    try {
      const transaction = server.database.transaction(async ({ client }) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // Another session ends this one while it sits idle in the transaction, as a server restart would.
        await server.database.pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        await sleep(300); // the connection's error arrives between two statements
        await client.query('SELECT 1');
      });
      await expect(transaction).rejects.toThrow();
      expect((await server.database.pool.query<{ ok: number }>('SELECT 1 AS ok')).rows[0]!.ok).toBe(1);
    } finally {
      await server.stop();
      await database.drop();
    }
  });
});
