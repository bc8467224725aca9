import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { startTestServer } from './helpers/server.js';

const v10Schema = fs.readFileSync(new URL('./fixtures/pgboss-v10-schema.sql', import.meta.url), 'utf8');
const jobIds = {
  completed: '34acf901-ced8-4666-99f2-00ebbda5e687',
  active: '14e4e3a4-2dc5-44fc-b02d-746fb507dd66',
  waiting: 'b4727f44-630f-4a12-9a94-cca51c07b36d',
  later: 'b96cb694-96e3-4d1e-8ae1-cde1b629b20d',
};

async function loadV10Schema(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(v10Schema);
  } finally {
    await client.end();
  }
}

describe('job queue on a database that pg-boss 10 created', () => {
  let database: TestDatabase;
  let servers: Server[];

  const query = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
    servers[0]!.database.pool.query<T>(text, values).then((result) => result.rows);
  const stateOf = async (id: string) => (await query<{ state: string }>('SELECT state FROM pgboss.job WHERE id = $1', [id]))[0]?.state;

  beforeAll(async () => {
    database = await createTestDatabase();
    await loadV10Schema(database.url);
    // Two instances starting at once, as an API and a worker would after a deploy.
    servers = await Promise.all([
      startTestServer({ databaseUrl: database.url, role: 'worker' }),
      startTestServer({ databaseUrl: database.url, role: 'api' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database.drop();
  });

  it("is on pg-boss's current schema, with the old one gone", async () => {
    const [version] = await query<{ version: number }>('SELECT version FROM pgboss.version');
    expect(version!.version).toBeGreaterThan(24);
    const schemas = await query<{ nspname: string }>("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'pgboss%' ORDER BY 1");
    expect(schemas.map((row) => row.nspname)).toEqual(['pgboss']);
  });

  it('runs the jobs that were waiting or running under the old runtime, once each', async () => {
    const deadline = Date.now() + 15_000;
    while ((await stateOf(jobIds.waiting)) !== 'completed' || (await stateOf(jobIds.active)) !== 'completed') {
      if (Date.now() > deadline) throw new Error(`not run: waiting ${await stateOf(jobIds.waiting)}, active ${await stateOf(jobIds.active)}`);
      await sleep(100);
    }
    const copies = await query<{ count: string }>('SELECT count(*) FROM pgboss.job WHERE id = ANY($1)', [[jobIds.waiting, jobIds.active]]);
    expect(Number(copies[0]!.count)).toBe(2);
  });

  it('keeps a job due later with its data, start time and singleton key, and leaves finished history behind', async () => {
    const [later] = await query<{ name: string; state: string; start_after: Date; singleton_key: string; data: unknown }>(
      'SELECT name, state, start_after, singleton_key, data FROM pgboss.job WHERE id = $1',
      [jobIds.later],
    );
    expect(later).toEqual({
      name: 'zoom-event',
      state: 'created',
      start_after: new Date('2099-01-01T00:00:00Z'),
      singleton_key: 'later-1',
      data: { eventId: '00000000-0000-4000-8000-000000000001' },
    });
    expect(await stateOf(jobIds.completed)).toBeUndefined();
  });
});
