import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { databaseUrlFor } from './urls.js';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database for one test file: a copy of the migrated template, or an empty one. */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `atas_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((client) =>
    client.query(options.empty ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`),
  );
  return {
    name,
    url: databaseUrlFor(inject('adminDatabaseUrl'), name),
    drop: () =>
      withAdmin(async (client) => {
        // A pool's `end()` can resolve while its connections are still closing: FORCE would then
        // terminate a connection its client no longer listens on, an uncaught 57P01 in the test
        // process. Connections that are closing get a moment; what is left is forced.
        for (let attempt = 0; attempt < 40; attempt++) {
          const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM pg_stat_activity WHERE datname = $1', [name]);
          if (Number(rows[0]!.count) === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}
