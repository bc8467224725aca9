import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../src/db/migrate.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';

const expectedTables = [
  'audit_logs',
  'docusign_envelopes',
  'email_unsubscribes',
  'idempotency_keys',
  'integration_credentials',
  'meeting_minutes',
  'meetings',
  'minutes_versions',
  'outbound_emails',
  'participants',
  'refresh_tokens',
  'sessions',
  'signers',
  'transcripts',
  'user_events',
  'users',
  'webhook_deliveries',
  'webhook_endpoints',
  'webhook_events',
];

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Everything a migration could change, as comparable text. */
async function describeSchema(url: string) {
  const columns = await query(
    url,
    `SELECT table_name, column_name, data_type, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`,
  );
  const constraints = await query(
    url,
    `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
  );
  const indexes = await query(url, `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2`);
  const applied = await query(url, 'SELECT hash FROM drizzle.__drizzle_migrations ORDER BY id');
  return { columns, constraints, indexes, applied };
}

describe('migrations', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ empty: true });
  });
  afterAll(() => database.drop());

  it('apply to an empty database and create every table of the model', async () => {
    expect(await query(database.url, `SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'`)).toHaveLength(0);
    await migrateDatabase(database.url);
    const tables = await query<{ table_name: string }>(
      database.url,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
    );
    expect(tables.map((row) => row.table_name)).toEqual(expectedTables);
  });

  it('a second run (even two at once) changes nothing', async () => {
    const before = await describeSchema(database.url);
    await Promise.all([migrateDatabase(database.url), migrateDatabase(database.url)]);
    expect(await describeSchema(database.url)).toEqual(before);
    expect(before.applied.length).toBeGreaterThan(0);
  });

  it('stores times as timestamptz and uses UUID primary keys everywhere but in the event outbox and the e-mail suppressions', async () => {
    const timestampColumns = await query<{ data_type: string }>(
      database.url,
      `SELECT data_type FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type LIKE 'timestamp%'`,
    );
    expect(timestampColumns.length).toBeGreaterThan(20);
    expect(new Set(timestampColumns.map((column) => column.data_type))).toEqual(new Set(['timestamp with time zone']));

    const primaryKeys = await query<{ table_name: string; data_type: string }>(
      database.url,
      `SELECT c.table_name, c.data_type FROM information_schema.columns c
         JOIN information_schema.table_constraints t ON t.table_name = c.table_name AND t.constraint_type = 'PRIMARY KEY'
         JOIN information_schema.key_column_usage k ON k.constraint_name = t.constraint_name AND k.column_name = c.column_name
        WHERE c.table_schema = 'public'`,
    );
    // An event's id is its place in a user's stream (read in order, resumed after), not an identity;
    // a suppression is an address and a kind of e-mail (two columns), nothing more.
    expect(primaryKeys).toHaveLength(expectedTables.length + 1);
    const byTable = Object.fromEntries(primaryKeys.map((key) => [key.table_name, key.data_type]));
    expect(byTable).toEqual({ ...Object.fromEntries(expectedTables.map((table) => [table, 'uuid'])), user_events: 'bigint', email_unsubscribes: 'character varying' });
  });

  it("creates the spec's indexes (meetings: one by user and start time in place of the spec's three)", async () => {
    const indexes = (await describeSchema(database.url)).indexes.map((index) => String(index.indexdef));
    for (const expected of [
      'ON public.meetings USING btree (user_id, start_time DESC, id DESC)',
      'UNIQUE INDEX meetings_zoom_meeting_id_unique ON public.meetings USING btree (zoom_meeting_id)',
      'ON public.participants USING btree (meeting_id)',
      'ON public.participants USING btree (email)',
      'ON public.audit_logs USING btree (resource_type, resource_id)',
      'ON public.audit_logs USING btree (created_at)',
      'ON public.webhook_events USING btree (processed)',
      'ON public.signers USING btree (status)',
      'UNIQUE INDEX integration_credentials_user_provider_unique ON public.integration_credentials USING btree (user_id, provider)',
    ]) {
      expect(indexes.some((index) => index.includes(expected)), expected).toBe(true);
    }
    // Every query of meetings by start time or status is scoped to a user; on their own these
    // let the planner walk the whole table by start time (bench/meetings-list.ts).
    for (const replaced of ['(start_time)', '(status)', '(user_id)']) {
      expect(indexes.some((index) => index.includes(`ON public.meetings USING btree ${replaced}`)), replaced).toBe(false);
    }
  });

  it('limits status columns to their allowed values', async () => {
    const [user] = await query<{ id: string }>(
      database.url,
      `INSERT INTO users (email, password_hash) VALUES ('a@example.com', 'x') RETURNING id`,
    );
    await expect(
      query(database.url, `INSERT INTO users (email, password_hash, role) VALUES ('b@example.com', 'x', 'root')`),
    ).rejects.toMatchObject({ code: '23514', constraint: 'users_role_check' });
    await expect(
      query(
        database.url,
        `INSERT INTO meetings (user_id, topic, start_time, duration, status) VALUES ($1, 't', now(), 30, 'postponed')`,
        [user!.id],
      ),
    ).rejects.toMatchObject({ code: '23514', constraint: 'meetings_status_check' });
  });

  it("follows the spec's ON DELETE rules", async () => {
    const [user] = await query<{ id: string }>(
      database.url,
      `INSERT INTO users (email, password_hash) VALUES ('owner@example.com', 'x') RETURNING id`,
    );
    const [meeting] = await query<{ id: string }>(
      database.url,
      `INSERT INTO meetings (user_id, topic, start_time, duration) VALUES ($1, 't', now(), 30) RETURNING id`,
      [user!.id],
    );
    await query(database.url, `INSERT INTO participants (meeting_id, email) VALUES ($1, 'p@example.com')`, [meeting!.id]);
    await query(database.url, `INSERT INTO audit_logs (user_id, action, resource_type) VALUES ($1, 'test', 'user')`, [user!.id]);

    await query(database.url, 'DELETE FROM users WHERE id = $1', [user!.id]);

    expect(await query(database.url, 'SELECT 1 FROM meetings WHERE id = $1', [meeting!.id])).toHaveLength(0);
    expect(await query(database.url, 'SELECT 1 FROM participants WHERE meeting_id = $1', [meeting!.id])).toHaveLength(0);
    const audit = await query<{ user_id: string | null }>(database.url, `SELECT user_id FROM audit_logs WHERE action = 'test'`);
    expect(audit).toEqual([{ user_id: null }]);
  });
});
