import { test as base } from 'vitest';
import type { Server } from '../../src/server.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { startTestServer } from './server.js';

type ServerOptions = Omit<Parameters<typeof startTestServer>[0], 'databaseUrl'>;

/**
 * `test` for tests that each need a database and servers of their own: `database` is a fresh copy
 * of the migrated template, `startServer` starts the real server on it. Both go when the test
 * ends, passed or failed; a server the test stopped itself is not stopped again.
 */
export const test = base.extend<{ database: TestDatabase; startServer: (options?: ServerOptions) => Promise<Server> }>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
  database: async ({}, use) => {
    const database = await createTestDatabase();
    await use(database);
    await database.drop();
  },
  startServer: async ({ database }, use) => {
    const servers: Server[] = [];
    await use(async (options = {}) => {
      const server = await startTestServer({ databaseUrl: database.url, ...options });
      servers.push(server);
      return server;
    });
    for (const server of servers) await server.stop();
  },
});
