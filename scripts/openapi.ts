import fs from 'node:fs';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/lib/logger.js';
import { createServer } from '../src/server.js';
import { CLIENT_TYPES_PATH, clientTypesOf } from './client-types.js';

/**
 * `npm run openapi`: writes the API's OpenAPI document to docs/openapi.json, as `/v1/openapi.json`
 * serves it (every route, metrics included), on the configured database or the embedded one, and
 * the typed client's types generated from it. A test fails while either is out of date.
 */
const OPENAPI_PATH = new URL('../docs/openapi.json', import.meta.url);

const config = loadConfig({ ...process.env, PORT: '0', EMULATORS: 'off', ENABLE_METRICS: 'true' });
const server = await createServer(config, { role: 'api', log: createLogger({ ...config.log, level: 'warn' }) });
try {
  await server.app!.ready();
  const document = server.app!.swagger();
  fs.writeFileSync(OPENAPI_PATH, `${JSON.stringify(document, null, 2)}\n`);
  fs.writeFileSync(CLIENT_TYPES_PATH, await clientTypesOf(document));
  process.stdout.write(`wrote ${OPENAPI_PATH.pathname} and ${CLIENT_TYPES_PATH.pathname}\n`);
} finally {
  await server.stop();
}
