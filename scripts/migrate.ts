import { loadConfig } from '../src/config.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { createLogger } from '../src/lib/logger.js';

/** `npm run migrate`: applies pending migrations to DATABASE_URL, or to the embedded database. */
const config = loadConfig();
const log = createLogger(config.log);
const embedded = config.database.url ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir, log });
try {
  await migrateDatabase(config.database.url ?? embedded!.url);
  log.info('migrations applied');
} finally {
  await embedded?.stop();
}
