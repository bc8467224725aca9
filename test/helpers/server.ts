import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { startDocuSignEmulator } from '../../emulators/docusign/docusign-emulator.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { AnyJobDefinition } from '../../src/jobs/job.js';
import { createLogger } from '../../src/lib/logger.js';
import { createServer, type Role, type Server } from '../../src/server.js';
import { makeSharedTempDir } from './temp-dir.js';

/** Settings every test server shares; a test passes what it is about in `env`. */
export function testConfig(env: Record<string, string> = {}): Config {
  const dataDir = makeSharedTempDir('atas-test-data-');
  return loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: dataDir,
    EMULATORS: 'off',
    // Shared by every test server, as instances of one deployment share them.
    JWT_SECRET: 'test-jwt-secret-0123456789-0123456789-abcdef',
    JWT_REFRESH_SECRET: 'test-refresh-secret-0123456789-0123456789-ab',
    ENCRYPTION_KEY: '0123456789abcdef'.repeat(4),
    ...env,
  });
}

/** The real server (migrations, pools, job queue, HTTP app) on a test database. */
export async function startTestServer(options: {
  databaseUrl: string;
  env?: Record<string, string>;
  role?: Role;
  jobs?: readonly AnyJobDefinition[];
  /**
   * How often idle job workers poll: 2 s, as in production (new jobs wake them at once anyway; polling
   * finds retries and the webhook sweep). 15 queues polled every 0.5 s kept PostgreSQL and each test
   * process busy (~13% of a core per idle server), ~20 s of the suite's CPU.
   */
  jobPollingIntervalSec?: number;
  /** How long one read of the database's metrics serves later scrapes: 0 here, so a test sees what it just changed. */
  databaseMetricsCacheMs?: number;
}): Promise<Server> {
  const config = testConfig({ DATABASE_URL: options.databaseUrl, ...options.env });
  return createServer(config, {
    role: options.role ?? 'all',
    log: createLogger(config.log),
    jobs: options.jobs ?? [],
    jobPollingIntervalSec: options.jobPollingIntervalSec ?? 2,
    databaseMetricsCacheMs: options.databaseMetricsCacheMs ?? 0,
    // A minutes thread costs ~1 s of CPU to start (tsx, pdfkit, fonts) and most test servers never
    // render: started on first use. The processes tests spawn (npm start) keep one ready, as in production.
    keepMinutesThreadReady: false,
  });
}

/** Server settings that point Zoom at a local emulator, with its credentials as the server's. */
export function zoomServerEnv(emulator: { apiBaseUrl: string; oauthUrl: string; credentials: { accountId: string; clientId: string; clientSecret: string } }) {
  return {
    ZOOM_API_BASE_URL: emulator.apiBaseUrl,
    ZOOM_OAUTH_URL: emulator.oauthUrl,
    ZOOM_ACCOUNT_ID: emulator.credentials.accountId,
    ZOOM_CLIENT_ID: emulator.credentials.clientId,
    ZOOM_CLIENT_SECRET: emulator.credentials.clientSecret,
  };
}

/** Server settings that point DocuSign at a local emulator, with the server's JWT grant and Connect keys. */
export function docusignServerEnv(
  emulator: { accountId: string; oauthBasePath: string; apiBasePath: string },
  grant: { integrationKey: string; userId: string; privateKeyPem: string; connectHmacKeys: string[] },
) {
  return {
    DOCUSIGN_INTEGRATION_KEY: grant.integrationKey,
    DOCUSIGN_USER_ID: grant.userId,
    DOCUSIGN_ACCOUNT_ID: emulator.accountId,
    DOCUSIGN_PRIVATE_KEY: grant.privateKeyPem,
    DOCUSIGN_OAUTH_BASE_PATH: emulator.oauthBasePath,
    DOCUSIGN_BASE_PATH: emulator.apiBasePath,
    DOCUSIGN_WEBHOOK_SECRET: grant.connectHmacKeys.join(','),
  };
}

/**
 * A DocuSign emulator that trusts a key pair made for this test, and the server settings that use
 * it: the JWT grant's private key and the Connect HMAC keys (the emulator signs with the first).
 */
export async function startDocuSignForServer(grant: { integrationKey: string; userId: string; connectHmacKeys: string[] }) {
  const keys = await generateKeyPair('RS256', { extractable: true });
  const docusign = await startDocuSignEmulator({ integrationKey: grant.integrationKey, userId: grant.userId, publicKeyPem: await exportSPKI(keys.publicKey), hmacKeys: grant.connectHmacKeys.slice(0, 1) });
  return { docusign, env: docusignServerEnv(docusign, { ...grant, privateKeyPem: await exportPKCS8(keys.privateKey) }) };
}

/** Server settings that point OpenAI at a local emulator. */
export function openaiServerEnv(emulator: { url: string; apiKey: string }) {
  return { OPENAI_API_KEY: emulator.apiKey, OPENAI_BASE_URL: emulator.url };
}
