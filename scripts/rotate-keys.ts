import { loadConfig } from '../src/config.js';
import { connectDatabase } from '../src/db/client.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { createEncryptor } from '../src/lib/crypto.js';
import { createLogger } from '../src/lib/logger.js';
import { createAuditService } from '../src/modules/audit/audit.service.js';
import { createIntegrationsService } from '../src/modules/integrations/integrations.service.js';
import { createResilience } from '../src/providers/resilience.js';
import { createZoomClients } from '../src/providers/zoom/zoom.clients.js';

/**
 * `npm run keys:rotate`: after setting a new ENCRYPTION_KEY and moving the old one to
 * ENCRYPTION_KEYS, re-encrypts every stored credential under the new key. Then the old key can go.
 */
const config = loadConfig();
const log = createLogger({ ...config.log, level: 'warn' });
const embedded = config.database.url ? undefined : await startEmbeddedPostgres({ dataDir: config.dataDir, log });
const database = connectDatabase({ url: config.database.url ?? embedded!.url, poolMin: 0, poolMax: 2, log });
try {
  const integrations = createIntegrationsService({
    database,
    encryptor: createEncryptor(config.encryption.key, config.encryption.previousKeys),
    audit: createAuditService({ database }),
    serverCredentials: {},
    zoomClients: createZoomClients({ apiBaseUrl: config.zoom.apiBaseUrl, oauthUrl: config.zoom.oauthUrl, resilience: createResilience({ provider: 'zoom' }) }),
  });
  const { rotated, total } = await integrations.rotateKeys();
  process.stdout.write(`re-encrypted ${rotated} of ${total} stored credentials under the current key\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await database.close();
  await embedded?.stop();
}
