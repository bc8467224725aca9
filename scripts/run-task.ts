import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/lib/logger.js';
import { createServer } from '../src/server.js';
import type { Services } from '../src/services.js';

/**
 * Runs a one-off command against the configured database (or the embedded one) with the same
 * services the server uses; prints its result, or its error and exits non-zero.
 */
export async function runTask(task: (services: Services) => Promise<string>): Promise<void> {
  let server: Awaited<ReturnType<typeof createServer>> | undefined;
  try {
    const config = loadConfig();
    server = await createServer(config, { role: 'task', log: createLogger({ ...config.log, level: 'warn' }) });
    process.stdout.write(`${await task(server.services)}\n`);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await server?.stop();
  }
}
