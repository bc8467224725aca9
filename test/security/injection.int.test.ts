import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Server } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { readJson } from '../helpers/http.js';
import { startTestServer } from '../helpers/server.js';
import { bearer, postJson, registerUser } from '../helpers/users.js';

const sqlLooking = [
  "Robert'); DROP TABLE meetings;--",
  "' OR '1'='1",
  '$1 $$ $body$ \\\\ \\x00 /* comment */ -- tail',
  '%_ ILIKE % \\% escaped',
  '"; SELECT pg_sleep(10); --',
];

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** What looks like SQL is data: stored and given back byte for byte, and nothing runs. */
describe('SQL-looking input', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    // A statement that sleeps fails (as the request that ran it would): an injected pg_sleep(10) cannot pass unseen.
    await withClient(database.url, (client) => client.query(`ALTER DATABASE ${database.name} SET statement_timeout = '5s'`));
    server = await startTestServer({ databaseUrl: database.url, env: { RATE_LIMIT_MAX_REQUESTS: '100000' } });
    baseUrl = (await server.listen())!;
  });
  afterAll(async () => {
    await server.stop();
    await database.drop();
  });

  it('is stored verbatim in topics, agendas, participant names, searches and transcripts', async () => {
    const user = await registerUser(baseUrl, { name: sqlLooking[0] });
    for (const text of sqlLooking) {
      const created = await postJson(
        `${baseUrl}/v1/meetings`,
        { topic: text, agenda: text, startTime: '2026-01-10T13:00:00Z', duration: 60, onZoom: false, participants: [{ email: 'ana@example.com', name: text }] },
        bearer(user.token),
      );
      expect(created.status, text).toBe(201);
      const { meeting } = await readJson(created);
      const details = await readJson(await fetch(`${baseUrl}/v1/meetings/${meeting.id}`, { headers: bearer(user.token) }));
      expect(details.meeting).toMatchObject({ topic: text, agenda: text });
      expect(details.participants[0].name).toBe(text);
      const uploaded = await fetch(`${baseUrl}/v1/meetings/${meeting.id}/transcript`, { method: 'POST', headers: { ...bearer(user.token), 'content-type': 'text/plain' }, body: `Ana Souza: ${text}\n` });
      expect((await readJson(uploaded)).turns[0].text).toBe(text.trim());
    }
    expect((await readJson(await fetch(`${baseUrl}/v1/user/profile`, { headers: bearer(user.token) }))).user.name).toBe(sqlLooking[0]);
    const audit = await fetch(`${baseUrl}/v1/user/audit-logs?action=${encodeURIComponent(sqlLooking[1]!)}`, { headers: bearer(user.token) });
    expect(audit.status).toBe(200);
    expect((await readJson(audit)).logs).toEqual([]);
    expect(Number((await server.database.pool.query('SELECT count(*) FROM meetings WHERE user_id = $1', [user.id])).rows[0].count)).toBe(sqlLooking.length);
  });
});
