import type { Config } from './config.js';
import type { Database } from './db/client.js';
import type { Notifications } from './db/notifications.js';
import type { JobQueue } from './jobs/queue.js';
import type { Redis } from 'ioredis';
import type { Logger } from './lib/logger.js';
import { createIdempotencyKeyRetention } from './db/idempotency.js';
import { createEncryptor, sealedValue } from './lib/crypto.js';
import { createMetrics } from './lib/metrics.js';
import { createOutboundFetch } from './lib/outbound-fetch.js';
import { createStorage } from './lib/storage.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { createAuthGuards } from './modules/auth/auth.guards.js';
import { createAccountsService } from './modules/accounts/accounts.service.js';
import { createDataExportService } from './modules/data-export/data-export.service.js';
import { createEventsService } from './modules/events/events.service.js';
import { createEmailLinks } from './modules/notifications/notifications.links.js';
import { createNotificationsService } from './modules/notifications/notifications.service.js';
import { createFilesService } from './modules/files/files.service.js';
import { createTokenService } from './modules/auth/auth.tokens.js';
import { createSessionsService } from './modules/auth/sessions.service.js';
import { createIntegrationsService } from './modules/integrations/integrations.service.js';
import type { ServerCredentials } from './modules/integrations/server-credentials.js';
import { createMeetingsService } from './modules/meetings/meetings.service.js';
import { registerDatabaseMetrics } from './modules/metrics/metrics.database.js';
import { createOperationsService } from './modules/operations/operations.service.js';
import type { MinutesWorkers } from './modules/minutes/minutes.worker-pool.js';
import type { TranscriptParser } from './modules/transcripts/transcript.parse-pool.js';
import { createMinutesRendering } from './modules/minutes/minutes.rendering.js';
import { createMinutesService } from './modules/minutes/minutes.service.js';
import { createMinutesForSigning } from './modules/minutes/minutes.signing.js';
import { createSignaturesService } from './modules/signatures/signatures.service.js';
import { createTranscriptsService } from './modules/transcripts/transcripts.service.js';
import { createUsersService } from './modules/users/users.service.js';
import { createWebhookEndpointsService } from './modules/webhook-endpoints/webhook-endpoints.service.js';
import { createWebhooksService } from './modules/webhooks/webhooks.service.js';
import type { Mailer } from './providers/mail/mail.transport.js';
import { createResilience } from './providers/resilience.js';
import { createDocuSignClients } from './providers/docusign/docusign.clients.js';
import { createZoomClients } from './providers/zoom/zoom.clients.js';

export type Services = ReturnType<typeof createServices>;

/** The host (`name:port`) of each endpoint set: URLs, or bare hosts as DOCUSIGN_OAUTH_BASE_PATH may be. */
const hostsOf = (endpoints: (string | undefined)[]) =>
  endpoints.filter((value): value is string => Boolean(value)).map((value) => (value.includes('://') ? new URL(value).host : value));

/** The hosts of the endpoints the operator configured (the environment, the local emulators): trusted wherever they are. */
function configuredHosts(config: Config, serverCredentials: ServerCredentials): string[] {
  return hostsOf([
    config.zoom.apiBaseUrl,
    config.zoom.oauthUrl,
    config.docusign.basePath,
    config.docusign.oauthBasePath,
    config.openai.baseUrl,
    serverCredentials.zoom?.endpoints?.apiBaseUrl,
    serverCredentials.zoom?.endpoints?.oauthUrl,
    serverCredentials.docusign?.endpoints?.apiBasePath,
    serverCredentials.docusign?.endpoints?.oauthBasePath,
    serverCredentials.openai?.credentials.baseUrl,
  ]);
}

/** Every service, wired once for the process: the HTTP app and the job workers share them. */
export function createServices(deps: {
  config: Config;
  database: Database;
  jobs: JobQueue;
  notifications: Notifications;
  serverCredentials: ServerCredentials;
  /** DocuSign Connect HMAC keys: DOCUSIGN_WEBHOOK_SECRET, or the local emulator's. */
  docusignWebhookSecrets: string[];
  minutesWorkers: MinutesWorkers;
  transcriptParser: TranscriptParser;
  /** E-mail out: SMTP, the local outbox, or nothing (`status` says which); started and closed by the server. */
  mailer: Mailer;
  log: Logger;
  redis?: Redis;
  databaseMetricsCacheMs?: number;
}) {
  const { config, database, serverCredentials } = deps;
  const sharedTokensFor = (purpose: string) =>
    deps.redis
      ? {
          sharedTokens: {
            store: deps.redis,
            seal: (token: string) => JSON.stringify(encryptor.seal(token, purpose)),
            open: (sealed: string) => encryptor.open(sealedValue.parse(JSON.parse(sealed)), purpose),
          },
        }
      : {};
  const encryptor = createEncryptor(config.encryption.key, config.encryption.previousKeys);
  // This instance's metrics (its requests, provider calls, generations) and the database's (one read serves the scrapes of 10 s).
  const metrics = createMetrics();
  registerDatabaseMetrics(metrics.registry, { database, jobs: deps.jobs, log: deps.log, cacheMs: deps.databaseMetricsCacheMs });
  const tokens = createTokenService({ secret: config.auth.jwtSecret, accessTokenTtlSec: config.auth.accessTokenTtlSec });
  const audit = createAuditService({ database });
  const sessions = createSessionsService({
    database,
    tokens,
    refreshTokenSecret: config.auth.refreshTokenSecret,
    refreshTokenTtlSec: config.auth.refreshTokenTtlSec,
    retentionDays: config.retention.sessionDays,
    log: deps.log,
  });
  const idempotencyKeys = createIdempotencyKeyRetention({ database, retentionHours: config.retention.idempotencyKeyHours, log: deps.log });
  const storage = createStorage(config.storage, config.dataDir);
  const files = createFilesService({ database, storage, log: deps.log });
  const users = createUsersService({ database, audit, sessions, files, adminEmails: config.auth.adminEmails });
  const dataExport = createDataExportService({ database, storage, files, audit, log: deps.log });
  // Every call to a provider: user-supplied endpoints and links reach only public addresses (production).
  const outboundFetch = createOutboundFetch({ trustedHosts: configuredHosts(config, serverCredentials), allowPrivate: !config.isProduction });
  const zoomClients = createZoomClients({
    fetch: outboundFetch,
    apiBaseUrl: config.zoom.apiBaseUrl,
    oauthUrl: config.zoom.oauthUrl,
    resilience: createResilience({ provider: 'zoom', telemetry: metrics }),
    ...sharedTokensFor('zoom-token'),
  });
  const docusignClients = createDocuSignClients({
    fetch: outboundFetch,
    oauthBasePath: config.docusign.oauthBasePath,
    apiBasePath: config.docusign.basePath,
    resilience: createResilience({ provider: 'docusign', telemetry: metrics }),
    ...sharedTokensFor('docusign-token'),
  });
  const integrations = createIntegrationsService({
    database,
    encryptor,
    audit,
    serverCredentials,
    zoomClients,
    docusignClients,
    openai: config.openai,
    openaiFetch: outboundFetch,
    providerTelemetry: metrics,
    docusignRedirectUri: config.docusign.redirectUri,
    refusePrivateEndpoints: config.isProduction,
  });
  const webhookEndpoints = createWebhookEndpointsService({
    database,
    jobs: deps.jobs,
    encryptor,
    audit,
    fetch: outboundFetch,
    refusePrivateUrls: config.isProduction,
    firstRetryDelaySec: config.events.deliveryRetryDelaySec,
    retentionHours: config.events.retentionHours,
  });
  const emailNotifications = createNotificationsService({
    database,
    jobs: deps.jobs,
    mailer: deps.mailer,
    storage,
    links: createEmailLinks({
      jwtSecret: config.auth.jwtSecret,
      apiUrl: config.server.publicBaseUrl ?? `http://${config.server.host}:${config.server.port}`,
      appUrl: config.server.appUrl,
      linkTtlMs: config.mail.linkTtlMs,
    }),
    organizationName: config.minutes.organizationName,
    attachmentMaxBytes: config.mail.attachmentMaxBytes,
    retryDelaySec: config.mail.retryDelaySec,
    retentionDays: config.retention.emailDays,
    log: deps.log,
  });
  const events = createEventsService({
    database,
    notifications: deps.notifications,
    subscribers: [webhookEndpoints, emailNotifications],
    retentionHours: config.events.retentionHours,
    log: deps.log,
  });
  const meetings = createMeetingsService({ database, integrations, audit, events });
  const transcripts = createTranscriptsService({
    database,
    events,
    storage,
    meetings,
    integrations,
    parser: deps.transcriptParser,
    zoomHosts: hostsOf([config.zoom.apiBaseUrl, serverCredentials.zoom?.endpoints?.apiBaseUrl]),
  });
  const minutesRendering = createMinutesRendering({ config, database, storage, minutesWorkers: deps.minutesWorkers, notifications: deps.notifications, events, meetings });
  const signatures = createSignaturesService({
    database,
    jobs: deps.jobs,
    storage,
    notifications: deps.notifications,
    events,
    meetings,
    minutes: createMinutesForSigning({ database, jobs: deps.jobs, notifications: deps.notifications, rendering: minutesRendering }),
    integrations,
    audit,
    log: deps.log,
    webhookUrl: config.server.publicBaseUrl ? `${config.server.publicBaseUrl}/v1/webhooks/docusign` : undefined,
    docusignRedirectUri: config.docusign.redirectUri,
    reconcileAfterSec: config.docusign.reconcileAfterSec,
    waitMs: config.minutes.waitMs,
  });
  const minutes = createMinutesService({
    config,
    database,
    jobs: deps.jobs,
    storage,
    minutesWorkers: deps.minutesWorkers,
    notifications: deps.notifications,
    events,
    meetings,
    transcripts,
    integrations,
    audit,
    rendering: minutesRendering,
    signatures,
    metrics,
  });
  const webhooks = createWebhooksService({
    database,
    jobs: deps.jobs,
    notifications: deps.notifications,
    meetings,
    transcripts,
    signatures,
    zoomWebhookSecret: serverCredentials.zoom?.credentials.webhookSecret ?? config.zoom.webhookSecret,
    docusignWebhookSecrets: deps.docusignWebhookSecrets,
    retentionDays: config.retention.webhookEventDays,
    log: deps.log,
  });
  return {
    metrics,
    mailer: deps.mailer,
    emailNotifications,
    operations: createOperationsService({ database, audit, webhooks, notifications: emailNotifications, jobs: deps.jobs }),
    tokens,
    audit,
    sessions,
    idempotencyKeys,
    users,
    dataExport,
    files,
    events,
    webhookEndpoints,
    accounts: createAccountsService({ database, users, sessions, audit }),
    guards: createAuthGuards({ database, tokens }),
    zoomClients,
    docusignClients,
    integrations,
    meetings,
    transcripts,
    minutes,
    signatures,
    webhooks,
  };
}
