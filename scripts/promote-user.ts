import { loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/client.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { createLogger } from '../src/lib/logger.js';
import { createAuditService } from '../src/modules/audit/audit.service.js';
import { createSessionsService } from '../src/modules/auth/sessions.service.js';
import { createTokenService } from '../src/modules/auth/auth.tokens.js';
import { createUsersService } from '../src/modules/users/users.service.js';

/** `npm run user:promote -- <email>`: makes an existing user an admin (the database of DATABASE_URL, or the embedded one). */
const email = process.argv[2];
if (!email) {
  process.stderr.write('usage: npm run user:promote -- <email>\n');
  process.exit(2);
}

const config = loadConfig();
const log = createLogger({ ...config.log, level: 'warn' });
const embedded = config.database.url ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir, log });
const url = config.database.url ?? embedded!.url;
await migrateDatabase(url);
const database = connectDatabase({ url, poolMin: 0, poolMax: 2, log });
try {
  const tokens = createTokenService({ secret: config.auth.jwtSecret, accessTokenTtlSec: config.auth.accessTokenTtlSec });
  const sessions = createSessionsService({ database, tokens, refreshTokenSecret: config.auth.refreshTokenSecret, refreshTokenTtlSec: config.auth.refreshTokenTtlSec });
  const audit = createAuditService({ database });
  await createUsersService({ database, audit, sessions, adminEmails: config.auth.adminEmails }).promote(email);
  process.stdout.write(`${email} is now an admin\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await database.close();
  await embedded?.stop();
}
