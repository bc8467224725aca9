import { generateKeyPair, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { buildApp } from './app.js';
import { buildMetricsApp } from './metrics-app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { connectDatabase, type Database } from './db/client.js';
import { startEmbeddedPostgres } from './db/embedded-postgres.js';
import { migrateDatabase } from './db/migrate.js';
import { createNotifications } from './db/notifications.js';
import { createMinutesWorkers } from './modules/minutes/minutes.worker-pool.js';
import { createMailer } from './providers/mail/mail.transport.js';
import { loadOpenAISdk } from './providers/openai/openai.client.js';
import { createTranscriptParser } from './modules/transcripts/transcript.parse-pool.js';
import type { AnyJobDefinition } from './jobs/job.js';
import { startJobQueue, type JobQueue } from './jobs/queue.js';
import { createLogger, type Logger } from './lib/logger.js';
import { connectRedis } from './lib/redis.js';
import { createServices, type Services } from './services.js';
import { serverCredentialsFromConfig } from './modules/integrations/server-credentials.js';
import type { ServerCredentials } from './modules/integrations/server-credentials.js';

const generateRsaKeyPair = promisify(generateKeyPair);

/**
 * `all` is the API and the worker in one process, as `npm start` runs them; `task` is a one-off
 * command (`npm run user:promote`, say): the services, without HTTP, job consumption or emulators.
 */
export type Role = 'all' | 'api' | 'worker' | 'task';

export interface Server {
  /** The HTTP app (absent for a worker or a task): routes may still be added until `listen`. */
  app: FastifyInstance | undefined;
  /** A worker's metrics listener, with METRICS_PORT (metrics-app.ts); absent otherwise. */
  metricsApp: FastifyInstance | undefined;
  services: Services;
  database: Database;
  jobs: JobQueue;
  log: Logger;
  /** Starts listening; the URL of the HTTP app, or of a worker's metrics listener; undefined when the process listens on nothing. */
  listen(): Promise<string | undefined>;
  /** Stops accepting, lets in-flight requests and jobs finish, closes pools, stops the embedded database. */
  stop(): Promise<void>;
}

export async function createServer(
  config: Config,
  options: {
    role: Role;
    log?: Logger;
    jobs?: readonly AnyJobDefinition[];
    jobPollingIntervalSec?: number;
    /** How long one read of the database's metrics serves the scrapes that follow (default 10 s; tests: 0). */
    databaseMetricsCacheMs?: number;
    /**
     * Whether a process that writes minutes (`all`, `worker`) keeps a minutes thread started before
     * its first PDF or token count (default: yes). Tests, which start a server per file and mostly
     * render nothing, start it when first needed: ~1 s of CPU saved per server.
     */
    keepMinutesThreadReady?: boolean;
  },
): Promise<Server> {
  const log = options.log ?? createLogger(config.log);
  const cleanups: (() => Promise<unknown>)[] = [];
  let isShuttingDown = false;

  async function runCleanups() {
    for (const cleanup of cleanups.reverse().splice(0)) {
      await cleanup().catch((error: unknown) => log.error({ err: error }, 'error during shutdown'));
    }
  }

  try {
    const configured = { serverCredentials: serverCredentialsFromConfig(config), docusignWebhookSecrets: config.docusign.webhookSecrets };
    // Loaded while the database starts; a build without them (the Docker image) stops here, before the database.
    const emulatorsLoading = options.role === 'task' ? undefined : loadEmulatorsIfNeeded(config, configured.serverCredentials);

    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.database.embeddedPort, log });
      cleanups.push(() => embedded.stop());
      databaseUrl = embedded.url;
    }
    await migrateDatabase(databaseUrl);

    const database = connectDatabase({ url: databaseUrl, poolMin: config.database.poolMin, poolMax: config.database.poolMax, log });
    cleanups.push(() => database.close());

    let redis: Redis | undefined;
    if (config.redis.url) {
      const client = await connectRedis({ url: config.redis.url, password: config.redis.password, log });
      cleanups.push(() => client.quit());
      redis = client;
    }

    const { serverCredentials, docusignWebhookSecrets } = emulatorsLoading ? await withEmulators(config, configured, await emulatorsLoading, log, cleanups) : configured;

    // Before the job queue: closed after it, so a job still sending when the stop begins can finish.
    const mailer = await createMailer(config.mail, { dataDir: config.dataDir, log });
    cleanups.push(() => mailer.close());

    const jobs = await startJobQueue({ url: databaseUrl, log, pollingIntervalSec: options.jobPollingIntervalSec });
    cleanups.push(() => jobs.stop(config.server.shutdownTimeoutMs));
    const notifications = createNotifications({ url: databaseUrl, channel: 'atas_changes', log });
    cleanups.push(() => notifications.close());
    const minutesWorkers = createMinutesWorkers({ log, keepOneThreadReady: (options.role === 'all' || options.role === 'worker') && (options.keepMinutesThreadReady ?? true) });
    cleanups.push(() => minutesWorkers.close());
    const transcriptParser = createTranscriptParser({ log });
    cleanups.push(() => transcriptParser.close());
    const services = createServices({ config, database, jobs, notifications, serverCredentials, docusignWebhookSecrets, minutesWorkers, transcriptParser, mailer, log, redis, databaseMetricsCacheMs: options.databaseMetricsCacheMs });
    const definitions = [...services.webhooks.jobs, ...services.minutes.jobs, ...services.signatures.jobs, ...services.files.jobs, ...services.events.jobs, ...services.webhookEndpoints.jobs, ...services.emailNotifications.jobs, ...services.sessions.jobs, ...services.idempotencyKeys.jobs, ...(options.jobs ?? [])];
    await jobs.register(definitions);
    if (options.role === 'all' || options.role === 'worker') {
      // A process that writes minutes loads the OpenAI SDK now, not on the event loop of its first generation.
      await loadOpenAISdk();
      await jobs.work(definitions);
      for (const { job, cron } of [...services.minutes.schedules, ...services.signatures.schedules, ...services.files.schedules, ...services.events.schedules, ...services.webhookEndpoints.schedules, ...services.emailNotifications.schedules, ...services.webhooks.schedules, ...services.sessions.schedules, ...services.idempotencyKeys.schedules]) await jobs.schedule(job, cron);
      const dispatcher = await services.webhooks.startDispatcher({ sweepMs: (options.jobPollingIntervalSec ?? 2) * 1000, log });
      cleanups.push(() => dispatcher.stop());
    }

    const app = options.role === 'worker' || options.role === 'task' ? undefined : await buildApp({ config, log, database, redis, services, serverCredentials, isShuttingDown: () => isShuttingDown });
    if (app) {
      const close = gracefulClose(app, config.server.shutdownTimeoutMs);
      cleanups.push(close);
    }
    // A worker has no HTTP app: its own metrics would never be scraped without this listener.
    const hasMetricsListener = options.role === 'worker' && config.metrics.enabled && config.metrics.port !== undefined;
    const metricsApp = hasMetricsListener ? await buildMetricsApp({ config, log, services }) : undefined;
    if (metricsApp) cleanups.push(gracefulClose(metricsApp, config.server.shutdownTimeoutMs));
    const listener = app ? { app, port: config.server.port } : metricsApp ? { app: metricsApp, port: config.metrics.port } : undefined;

    return {
      app,
      metricsApp,
      services,
      database,
      jobs,
      log,
      async listen() {
        if (!listener) return undefined;
        await listener.app.listen({ host: config.server.host, port: listener.port });
        const { port } = listener.app.server.address() as AddressInfo;
        return `http://${config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host}:${port}`;
      },
      async stop() {
        isShuttingDown = true;
        await runCleanups();
      },
    };
  } catch (error) {
    await runCleanups();
    throw error;
  }
}

/**
 * What this file starts of emulators/index.ts, which checks with `satisfies` that it provides it.
 * Declared here, not imported from there: the compiled build (tsconfig.build.json) and the Docker
 * image leave emulators/ out, so nothing under src/ may lead the compiler into that folder.
 */
export interface LocalEmulators {
  startZoom: (options: {
    credentials: { accountId: string; clientId: string; clientSecret: string; webhookSecret: string };
  }) => Promise<{ url: string; apiBaseUrl: string; oauthUrl: string; stop: () => Promise<unknown> }>;
  startOpenAI: (options: { apiKey: string; contextTokens: number; models: string[] }) => Promise<{ url: string; apiKey: string; stop: () => Promise<unknown> }>;
  startDocuSign: (options: { integrationKey: string; userId: string; publicKeyPem: string; hmacKeys: string[]; consentGiven: boolean }) => Promise<{
    integrationKey: string;
    userId: string;
    accountId: string;
    oauthBasePath: string;
    apiBasePath: string;
    stop: () => Promise<unknown>;
  }>;
}

/**
 * The emulators' entry, relative to this file in src/ (tsx finds index.ts) and in dist/src/. A
 * variable, not a literal: TypeScript follows `import('<literal>')` and would compile emulators/
 * into the build.
 */
const EMULATORS_MODULE: string = '../emulators/index.js';

/** The process would start an emulator, and this build has none (the Docker image): a configuration error, said as one. */
export class EmulatorsUnavailableError extends Error {
  override name = 'EmulatorsUnavailableError';
}

/**
 * Outside production, with EMULATORS on, a provider without credentials is served by a local
 * emulator (the log and /v1/health say `emulated`). The emulators are imported only then: a
 * production process never loads them (nor their tokenizer, ~70 MB), and the compiled build does
 * not contain them. Starts the import and returns at once; throws at once where they are absent.
 */
function loadEmulatorsIfNeeded(config: Config, serverCredentials: ServerCredentials): Promise<LocalEmulators> | undefined {
  if (!config.emulatorsEnabled) return undefined;
  const missing = [!serverCredentials.zoom && 'Zoom', !serverCredentials.openai && 'OpenAI', !serverCredentials.docusign && 'DocuSign'].filter(Boolean);
  if (missing.length === 0) return undefined;
  const here = (specifier: string) => new URL(specifier, import.meta.url);
  if (!existsSync(here(EMULATORS_MODULE)) && !existsSync(here(EMULATORS_MODULE.replace(/\.js$/, '.ts')))) {
    throw new EmulatorsUnavailableError(
      `This build has no provider emulators (the Docker image leaves emulators/ out), and ${missing.join(', ')} ${missing.length > 1 ? 'have' : 'has'} ` +
        `no credentials with NODE_ENV=${config.env} and EMULATORS on. Set NODE_ENV=production (or EMULATORS=off) and the providers' credentials; ` +
        'the emulators run from the source tree (npm start, npm run emulators).',
    );
  }
  const loading = (import(EMULATORS_MODULE) as Promise<{ emulators: LocalEmulators }>).then((module) => module.emulators);
  // Awaited once the database is up; should that fail first, this rejection is not an unhandled one.
  loading.catch(() => undefined);
  return loading;
}

async function withEmulators(
  config: Config,
  configured: { serverCredentials: ServerCredentials; docusignWebhookSecrets: string[] },
  emulators: LocalEmulators,
  log: Logger,
  cleanups: (() => Promise<unknown>)[],
): Promise<{ serverCredentials: ServerCredentials; docusignWebhookSecrets: string[] }> {
  const { serverCredentials } = configured;
  const docusignWebhookSecrets =
    serverCredentials.docusign || configured.docusignWebhookSecrets.length > 0 ? configured.docusignWebhookSecrets : [randomBytes(32).toString('base64')];
  // Started side by side: start-up waits for the slowest, not for the sum.
  const [zoom, openai, docusign] = await Promise.all([
    serverCredentials.zoom ?? emulatedZoom(emulators, config, log, cleanups),
    serverCredentials.openai ?? emulatedOpenAI(emulators, config, log, cleanups),
    serverCredentials.docusign ?? emulatedDocuSign(emulators, docusignWebhookSecrets, log, cleanups),
  ]);
  return { serverCredentials: { zoom, openai, docusign }, docusignWebhookSecrets };
}

async function emulatedZoom(emulators: LocalEmulators, config: Config, log: Logger, cleanups: (() => Promise<unknown>)[]): Promise<NonNullable<ServerCredentials['zoom']>> {
  const credentials = {
    accountId: 'emulated-account',
    clientId: 'emulated-client',
    clientSecret: randomBytes(16).toString('hex'),
    webhookSecret: config.zoom.webhookSecret ?? randomBytes(16).toString('hex'),
  };
  const zoom = await emulators.startZoom({ credentials });
  cleanups.push(() => zoom.stop());
  log.info({ url: zoom.url }, 'Zoom: no credentials set, using the local Zoom emulator');
  return { source: 'emulator', credentials, endpoints: { apiBaseUrl: zoom.apiBaseUrl, oauthUrl: zoom.oauthUrl } };
}

async function emulatedOpenAI(emulators: LocalEmulators, config: Config, log: Logger, cleanups: (() => Promise<unknown>)[]): Promise<NonNullable<ServerCredentials['openai']>> {
  // OPENAI_MODEL is whatever the operator chose: the emulator answers as that model too.
  const openai = await emulators.startOpenAI({ apiKey: `sk-emulated-${randomBytes(12).toString('hex')}`, contextTokens: config.openai.contextTokens, models: [config.openai.model] });
  cleanups.push(() => openai.stop());
  log.info({ url: openai.url }, 'OpenAI: no API key set, using the local OpenAI emulator (its minutes say so)');
  return { source: 'emulator', credentials: { apiKey: openai.apiKey, baseUrl: openai.url, model: config.openai.model } };
}

async function emulatedDocuSign(emulators: LocalEmulators, hmacKeys: string[], log: Logger, cleanups: (() => Promise<unknown>)[]): Promise<NonNullable<ServerCredentials['docusign']>> {
  // Off the event loop: an RSA key takes a moment to make.
  const keys = await generateRsaKeyPair('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const docusign = await emulators.startDocuSign({ integrationKey: randomUUID(), userId: randomUUID(), publicKeyPem: keys.publicKey, hmacKeys, consentGiven: true });
  cleanups.push(() => docusign.stop());
  log.info({ url: docusign.oauthBasePath }, 'DocuSign: no credentials set, using the local DocuSign emulator');
  return {
    source: 'emulator',
    credentials: { integrationKey: docusign.integrationKey, userId: docusign.userId, accountId: docusign.accountId, privateKey: keys.privateKey },
    endpoints: { oauthBasePath: docusign.oauthBasePath, apiBasePath: docusign.apiBasePath },
  };
}

/**
 * Entry point of `npm start`, `start:api` and `start:worker`: config, start, and a graceful stop
 * on SIGTERM/SIGINT; `telemetry` (started by the entry point, see telemetry.ts) flushes last.
 */
export async function runProcess(role: Role, options: { telemetry?: { shutdown: () => Promise<void> } | undefined } = {}): Promise<void> {
  const startedAt = performance.now();
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }

  const log = createLogger(config.log);
  let server: Server;
  try {
    server = await createServer(config, { role, log });
  } catch (error) {
    // A configuration mistake, said like the configuration's own: one message, no stack.
    if (error instanceof EmulatorsUnavailableError) process.stderr.write(`${error.message}\n`);
    else log.fatal({ err: error }, 'could not start');
    process.exit(1);
  }
  const url = await server.listen();
  log.info(
    { role, url, database: config.database.url ? 'external' : 'embedded', startupMs: Math.round(performance.now() - startedAt) },
    'atas started',
  );

  closeWithGrace({ delay: config.server.shutdownTimeoutMs + 1000 }, async ({ signal, err }) => {
    if (err) log.error({ err }, 'stopping after an unexpected error');
    else log.info({ signal }, 'stopping');
    await server.stop();
    await options.telemetry?.shutdown().catch((error: unknown) => log.warn({ err: error }, 'could not flush the last traces'));
    log.info('stopped');
  });
}

/**
 * How the HTTP server stops: in-flight requests finish (waits and event streams end at once, see
 * app.ts); a connection that never sent a request is closed at once, where Node would keep it
 * until its headers timeout (60 s), and whatever is still open after `graceMs` is closed.
 */
function gracefulClose(app: FastifyInstance, graceMs: number): () => Promise<void> {
  const neverAsked = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    neverAsked.add(socket);
    socket.once('close', () => neverAsked.delete(socket));
  });
  app.server.on('request', (request: IncomingMessage) => neverAsked.delete(request.socket));
  return async () => {
    const closing = app.close();
    for (const socket of neverAsked) socket.destroy();
    const backstop = setTimeout(() => app.server.closeAllConnections(), graceMs);
    try {
      await closing;
    } finally {
      clearTimeout(backstop);
    }
  };
}
