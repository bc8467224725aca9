import fs from 'node:fs';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/lib/logger.js';
import { createServer } from '../src/server.js';

/**
 * `npm run openapi`: writes the API's OpenAPI document to docs/openapi.json, as `/v1/openapi.json`
 * serves it (every route, metrics included), on the configured database or the embedded one.
 * A test fails while the committed document and the served one differ.
 */
export const OPENAPI_PATH = new URL('../docs/openapi.json', import.meta.url);

const config = loadConfig({ ...process.env, PORT: '0', EMULATORS: 'off', ENABLE_METRICS: 'true' });
const server = await createServer(config, { role: 'api', log: createLogger({ ...config.log, level: 'warn' }) });
try {
  await server.app!.ready();
  fs.writeFileSync(OPENAPI_PATH, `${JSON.stringify(server.app!.swagger(), null, 2)}\n`);
  process.stdout.write(`wrote ${OPENAPI_PATH.pathname}\n`);
} finally {
  await server.stop();
}
