import path from 'node:path';
import ms from 'ms';
import { z } from 'zod';
import { loadOrCreateDevelopmentSecrets, type DevelopmentSecrets } from './lib/dev-secrets.js';

/**
 * The only reader of `process.env`. Every variable is validated once, at start; a bad
 * configuration stops the process with one message that names every bad variable.
 * Messages never echo a value: some of these are secrets.
 */

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const integer = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be an integer from ${min} to ${max}` })
    .int({ error: `must be an integer from ${min} to ${max}` })
    .min(min, { error: `must be an integer from ${min} to ${max}` })
    .max(max, { error: `must be an integer from ${min} to ${max}` });

const booleanFlag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true');

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** In seconds, from `ms`'s words (900s, 15m, 12h, 7d, "2 days"); a bare number is refused, as it could mean seconds or milliseconds. */
const duration = z
  .string()
  .trim()
  .transform((value, context) => {
    // ms() throws on an empty string; a bare number could mean seconds or milliseconds.
    const milliseconds = value === '' || /^[\d.]+$/.test(value) ? undefined : ms(value as ms.StringValue);
    if (milliseconds === undefined || Number.isNaN(milliseconds)) {
      context.addIssue({ code: 'custom', message: 'must be a duration such as 900s, 15m, 12h or 7d' });
      return z.NEVER;
    }
    return Math.round(milliseconds / 1000);
  })
  .refine((seconds) => seconds > 0, { error: 'must be longer than zero' });

const secretOfAtLeast32Bytes = optionalString.refine((value) => value === undefined || Buffer.byteLength(value) >= 32, {
  error: 'must be at least 32 bytes long',
});
const hexKey = z.string().regex(/^[0-9a-fA-F]{64}$/, { error: 'must be 64 hexadecimal characters (32 bytes)' });

/** smtp://[user:password@]host[:port] or smtps://…; the message never repeats the value, which holds a password. */
const smtpUrl = optionalString.refine(
  (value) => {
    if (value === undefined) return true;
    try {
      const url = new URL(value);
      decodeURIComponent(url.username + url.password); // throws on a broken %-escape
      return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
    } catch {
      return false;
    }
  },
  { error: 'must be an smtp:// or smtps:// URL with a host (user and password, URL-encoded, before an @)' },
);

/** `Name <address>` or a bare address, on one line (a line break would start a header of its own). */
const mailbox = optionalString.refine(
  (value) => {
    if (value === undefined) return true;
    const match = /^(?:[^<>\r\n]*<([^<>\s]+)>|([^<>\s]+))$/.exec(value);
    const address = match?.[1] ?? match?.[2];
    return address !== undefined && z.email().safeParse(address).success;
  },
  { error: 'must be an e-mail address, optionally with a name: Atas <atas@example.com>' },
);

/** Read here to validate and document them; the OpenTelemetry SDK reads these (and its other OTEL_* variables) itself. */
const telemetryVariables = {
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional().or(z.literal('').transform(() => undefined)),
  OTEL_SERVICE_NAME: optionalString,
};

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production'], { error: 'must be development, test or production' }).default('development'),
    HOST: z.string().trim().min(1).default('0.0.0.0'),
    PORT: integer(0, 65_535).default(3001),
    API_VERSION: z.literal('v1', { error: 'must be v1 (the only version this build serves)' }).default('v1'),
    BODY_LIMIT_BYTES: integer(1024, 100 * 1024 * 1024).default(1024 * 1024),
    TRUST_PROXY: z
      .string()
      .trim()
      .regex(/^(true|false|[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*)$/, {
        error: "must be true, false, or a comma-separated list of the proxies' addresses or CIDR ranges",
      })
      .default('false')
      .transform((value): boolean | string[] =>
        value === 'true' ? true : value === 'false' ? false : value.split(',').map((item) => item.trim()),
      ),
    PUBLIC_BASE_URL: httpUrl.optional().or(z.literal('').transform(() => undefined)),
    APP_URL: httpUrl.optional().or(z.literal('').transform(() => undefined)),
    SHUTDOWN_TIMEOUT_MS: integer(1000, 120_000).default(8000),
    DATA_DIR: z.string().trim().min(1).default('./data'),

    DATABASE_URL: optionalString.refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), {
      error: 'must be a postgres:// or postgresql:// URL',
    }),
    DATABASE_POOL_MIN: integer(0, 100).default(2),
    DATABASE_POOL_MAX: integer(1, 200).default(10),
    EMBEDDED_POSTGRES_PORT: integer(0, 65_535)
      .refine((port) => port !== 5432, { error: 'must not be 5432, the port of a system PostgreSQL' })
      .default(0),

    REDIS_URL: optionalString.refine((value) => value === undefined || /^rediss?:\/\//.test(value), {
      error: 'must be a redis:// or rediss:// URL',
    }),
    REDIS_PASSWORD: optionalString,

    JWT_SECRET: secretOfAtLeast32Bytes,
    JWT_REFRESH_SECRET: secretOfAtLeast32Bytes,
    JWT_EXPIRES_IN: duration.default(15 * 60),
    JWT_REFRESH_EXPIRES_IN: duration.default(7 * 86_400),
    ENCRYPTION_KEY: hexKey.optional().or(z.literal('').transform(() => undefined)),
    ENCRYPTION_KEYS: commaList.refine((keys) => keys.every((key) => /^[0-9a-fA-F]{64}$/.test(key)), {
      error: 'must be a comma-separated list of 64-hex-character keys',
    }),
    ADMIN_EMAILS: commaList
      .transform((emails) => emails.map((email) => email.toLowerCase()))
      .refine((emails) => emails.every((email) => z.email().safeParse(email).success), {
        error: 'must be a comma-separated list of e-mail addresses',
      }),

    ZOOM_CLIENT_ID: optionalString,
    ZOOM_CLIENT_SECRET: optionalString,
    ZOOM_ACCOUNT_ID: optionalString,
    ZOOM_WEBHOOK_SECRET: optionalString,
    ZOOM_API_BASE_URL: httpUrl.default('https://api.zoom.us/v2'),
    ZOOM_OAUTH_URL: httpUrl.default('https://zoom.us/oauth/token'),

    DOCUSIGN_INTEGRATION_KEY: optionalString,
    DOCUSIGN_USER_ID: optionalString,
    DOCUSIGN_ACCOUNT_ID: optionalString,
    DOCUSIGN_PRIVATE_KEY: optionalString
      .transform((value) => value?.replace(/\\n/g, '\n'))
      .refine((value) => value === undefined || value.includes('-----BEGIN'), {
        error: 'must be a PEM-encoded RSA private key (newlines may be written as \\n)',
      }),
    // Unset: the account's base URI is asked of DocuSign (GET /oauth/userinfo).
    DOCUSIGN_BASE_PATH: httpUrl.optional().or(z.literal('').transform(() => undefined)),
    DOCUSIGN_OAUTH_BASE_PATH: z
      .string()
      .trim()
      .regex(/^(https?:\/\/)?[a-z0-9.-]+(:\d+)?$/i, { error: 'must be a host such as account-d.docusign.com' })
      .default('account-d.docusign.com'),
    DOCUSIGN_WEBHOOK_SECRET: commaList,
    DOCUSIGN_RECONCILE_AFTER: duration.default(15 * 60),
    DOCUSIGN_REDIRECT_URI: httpUrl.default('https://www.docusign.com'),

    OPENAI_API_KEY: optionalString,
    OPENAI_BASE_URL: httpUrl.optional().or(z.literal('').transform(() => undefined)),
    OPENAI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
    OPENAI_MAX_TOKENS: integer(1, 1_000_000).default(2000),
    OPENAI_TEMPERATURE: z.coerce
      .number({ error: 'must be a number from 0 to 2' })
      .min(0, { error: 'must be a number from 0 to 2' })
      .max(2, { error: 'must be a number from 0 to 2' })
      .default(0.7),
    OPENAI_CONTEXT_TOKENS: integer(2048, 10_000_000).default(128_000),
    OPENAI_TIMEOUT_MS: integer(1000, 600_000).default(120_000),

    ORGANIZATION_NAME: z.string().trim().min(1).max(200).default('Atas'),
    MINUTES_WAIT_MS: integer(0, 300_000).default(25_000),
    EVENTS_RETENTION_HOURS: integer(1, 24 * 90).default(72),
    EVENTS_MAX_STREAMS_PER_USER: integer(1, 100).default(5),
    WEBHOOK_DELIVERY_RETRY_DELAY_SEC: integer(1, 3600).default(45),
    IDEMPOTENCY_KEY_RETENTION_HOURS: integer(1, 24 * 90).default(24),
    WEBHOOK_EVENT_RETENTION_DAYS: integer(1, 3650).default(30),
    SESSION_RETENTION_DAYS: integer(1, 3650).default(30),
    EMAIL_RETENTION_DAYS: integer(1, 3650).default(90),

    STORAGE_TYPE: z.enum(['local', 's3'], { error: 'must be local or s3' }).default('local'),
    AWS_ACCESS_KEY_ID: optionalString,
    AWS_SECRET_ACCESS_KEY: optionalString,
    AWS_REGION: z.string().trim().min(1).default('us-east-1'),
    AWS_S3_BUCKET: optionalString,
    AWS_S3_ENDPOINT: httpUrl.optional().or(z.literal('').transform(() => undefined)),
    AWS_S3_FORCE_PATH_STYLE: booleanFlag.default(false),

    ALLOWED_ORIGINS: commaList
      .transform((origins) => (origins.length > 0 ? origins : ['http://localhost:3000']))
      .refine((origins) => origins.every((origin) => httpUrl.safeParse(origin).success), {
        error: 'must be a comma-separated list of http(s) origins',
      }),
    RATE_LIMIT_WINDOW_MS: integer(1000, 86_400_000).default(900_000),
    RATE_LIMIT_MAX_REQUESTS: integer(1, 1_000_000).default(100),
    WEBHOOK_RATE_LIMIT_PER_MINUTE: integer(1, 10_000_000).default(6000),

    SMTP_URL: smtpUrl,
    SMTP_HOST: optionalString,
    // Empty is unset: 587, or 465 with SMTP_SECURE.
    SMTP_PORT: z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), integer(1, 65_535).optional()),
    SMTP_USER: optionalString,
    SMTP_PASSWORD: optionalString,
    SMTP_SECURE: booleanFlag.default(false),
    SMTP_REQUIRE_TLS: booleanFlag.default(true),
    MAIL_FROM: mailbox,
    MAIL_ATTACHMENT_MAX_BYTES: integer(0, 100 * 1024 * 1024).default(5 * 1024 * 1024),
    MAIL_LINK_TTL: duration.default(7 * 86_400),
    MAIL_RETRY_DELAY_SEC: integer(1, 3600).default(10),

    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    LOG_FORMAT: z.enum(['json', 'pretty'], { error: 'must be json or pretty' }).default('json'),
    ENABLE_METRICS: booleanFlag.default(true),
    // Empty is unset (as `.env.example` leaves it), not port 0.
    METRICS_PORT: z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), integer(0, 65_535).optional()),
    METRICS_TOKEN: optionalString.refine((value) => value === undefined || value.length >= 16, {
      error: 'must be at least 16 characters long',
    }),
    SENTRY_DSN: httpUrl.optional().or(z.literal('').transform(() => undefined)),
    ...telemetryVariables,
    EMULATORS: z.enum(['on', 'off'], { error: 'must be on or off' }).optional(),
  })
  .superRefine((env, ctx) => {
    const problem = (variable: string, message: string) => ctx.addIssue({ code: 'custom', path: [variable], message });
    if (env.DATABASE_POOL_MIN > env.DATABASE_POOL_MAX) {
      problem('DATABASE_POOL_MIN', 'must not be greater than DATABASE_POOL_MAX');
    }
    if (env.STORAGE_TYPE === 's3' && !env.AWS_S3_BUCKET) {
      problem('AWS_S3_BUCKET', 'is required when STORAGE_TYPE is s3');
    }
    const howToGenerate = { JWT_SECRET: 'openssl rand -base64 48', JWT_REFRESH_SECRET: 'openssl rand -base64 48', ENCRYPTION_KEY: 'openssl rand -hex 32' } as const;
    for (const secret of ['JWT_SECRET', 'JWT_REFRESH_SECRET', 'ENCRYPTION_KEY'] as const) {
      const value = env[secret];
      // Long enough is not enough: `aaaa…` or an all-zero key is the first thing an attacker tries.
      if (value && new Set(value).size < 8) {
        problem(secret, `is too predictable (fewer than 8 different characters): generate one with \`${howToGenerate[secret]}\``);
      }
    }
    if (env.JWT_SECRET && env.JWT_SECRET === env.JWT_REFRESH_SECRET) {
      problem('JWT_REFRESH_SECRET', 'must differ from JWT_SECRET: a refresh token must never pass as an access token');
    }
    if (env.SMTP_URL && env.SMTP_HOST) problem('SMTP_HOST', 'cannot be set with SMTP_URL: give the server one way');
    const isSmtpConfigured = Boolean(env.SMTP_URL || env.SMTP_HOST);
    if (isSmtpConfigured && !env.MAIL_FROM) problem('MAIL_FROM', 'is required when SMTP is configured (SMTP_URL or SMTP_HOST), e.g. Atas <atas@example.com>');
    for (const variable of ['SMTP_USER', 'SMTP_PASSWORD', 'SMTP_PORT'] as const) {
      if (env[variable] !== undefined && env.SMTP_URL) problem(variable, 'cannot be set with SMTP_URL: write it in the URL');
    }
    for (const variable of ['SMTP_USER', 'SMTP_PASSWORD'] as const) {
      // Credentials without a server would be ignored, and the mail kept locally (or not sent) unnoticed.
      if (env[variable] !== undefined && !env.SMTP_HOST && !env.SMTP_URL) problem(variable, 'is set without SMTP_HOST');
    }
    if (env.SMTP_HOST && !env.SMTP_URL && Boolean(env.SMTP_USER) !== Boolean(env.SMTP_PASSWORD)) {
      problem(env.SMTP_USER ? 'SMTP_PASSWORD' : 'SMTP_USER', 'is required with the other: set SMTP_USER and SMTP_PASSWORD together, or neither');
    }
    if (env.METRICS_PORT !== undefined && !env.ENABLE_METRICS) {
      problem('METRICS_PORT', 'cannot be set with ENABLE_METRICS=false: it serves the metrics');
    }
    if (env.NODE_ENV === 'production') {
      for (const secret of ['JWT_SECRET', 'JWT_REFRESH_SECRET', 'ENCRYPTION_KEY'] as const) {
        if (!env[secret]) problem(secret, 'is required in production');
      }
      if (env.EMULATORS === 'on') problem('EMULATORS', 'cannot be on in production');
    }
    // Run even when a field failed, so one start reports every problem.
  }, { when: () => true });

/** Every variable this service reads; `.env.example` documents each one. */
export const configVariableNames = Object.keys(envSchema.shape);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function buildConfig(env: z.infer<typeof envSchema>, secrets: DevelopmentSecrets, dataDir: string) {
  return {
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    dataDir,
    server: {
      host: env.HOST,
      port: env.PORT,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      trustProxy: env.TRUST_PROXY,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
      publicBaseUrl: env.PUBLIC_BASE_URL?.replace(/\/$/, ''),
      /** The frontend, where an e-mail's links open the minutes (`<APP_URL>/minutes/<id>`); unset, they name the API's resource. */
      appUrl: env.APP_URL?.replace(/\/$/, ''),
    },
    database: {
      url: env.DATABASE_URL,
      poolMin: env.DATABASE_POOL_MIN,
      poolMax: env.DATABASE_POOL_MAX,
      embeddedPort: env.EMBEDDED_POSTGRES_PORT,
    },
    redis: { url: env.REDIS_URL, password: env.REDIS_PASSWORD },
    auth: {
      jwtSecret: secrets.jwtSecret,
      refreshTokenSecret: secrets.jwtRefreshSecret,
      accessTokenTtlSec: env.JWT_EXPIRES_IN,
      refreshTokenTtlSec: env.JWT_REFRESH_EXPIRES_IN,
      adminEmails: env.ADMIN_EMAILS,
    },
    encryption: { key: secrets.encryptionKey, previousKeys: env.ENCRYPTION_KEYS },
    zoom: {
      clientId: env.ZOOM_CLIENT_ID,
      clientSecret: env.ZOOM_CLIENT_SECRET,
      accountId: env.ZOOM_ACCOUNT_ID,
      webhookSecret: env.ZOOM_WEBHOOK_SECRET,
      apiBaseUrl: env.ZOOM_API_BASE_URL,
      oauthUrl: env.ZOOM_OAUTH_URL,
    },
    docusign: {
      integrationKey: env.DOCUSIGN_INTEGRATION_KEY,
      userId: env.DOCUSIGN_USER_ID,
      accountId: env.DOCUSIGN_ACCOUNT_ID,
      privateKey: env.DOCUSIGN_PRIVATE_KEY,
      basePath: env.DOCUSIGN_BASE_PATH,
      oauthBasePath: env.DOCUSIGN_OAUTH_BASE_PATH,
      webhookSecrets: env.DOCUSIGN_WEBHOOK_SECRET,
      reconcileAfterSec: env.DOCUSIGN_RECONCILE_AFTER,
      redirectUri: env.DOCUSIGN_REDIRECT_URI,
    },
    openai: {
      apiKey: env.OPENAI_API_KEY,
      baseUrl: env.OPENAI_BASE_URL,
      model: env.OPENAI_MODEL,
      maxTokens: env.OPENAI_MAX_TOKENS,
      temperature: env.OPENAI_TEMPERATURE,
      contextTokens: env.OPENAI_CONTEXT_TOKENS,
      timeoutMs: env.OPENAI_TIMEOUT_MS,
    },
    minutes: { organizationName: env.ORGANIZATION_NAME, waitMs: env.MINUTES_WAIT_MS },
    events: { retentionHours: env.EVENTS_RETENTION_HOURS, maxStreamsPerUser: env.EVENTS_MAX_STREAMS_PER_USER, deliveryRetryDelaySec: env.WEBHOOK_DELIVERY_RETRY_DELAY_SEC },
    /** How long the scheduled clean-ups keep what they delete (README, "Data retention"). */
    retention: {
      idempotencyKeyHours: env.IDEMPOTENCY_KEY_RETENTION_HOURS,
      webhookEventDays: env.WEBHOOK_EVENT_RETENTION_DAYS,
      sessionDays: env.SESSION_RETENTION_DAYS,
      emailDays: env.EMAIL_RETENTION_DAYS,
    },
    storage: {
      type: env.STORAGE_TYPE,
      s3: {
        bucket: env.AWS_S3_BUCKET,
        region: env.AWS_REGION,
        accessKeyId: env.AWS_ACCESS_KEY_ID,
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
        endpoint: env.AWS_S3_ENDPOINT,
        forcePathStyle: env.AWS_S3_FORCE_PATH_STYLE,
      },
    },
    cors: { allowedOrigins: env.ALLOWED_ORIGINS },
    rateLimit: { windowMs: env.RATE_LIMIT_WINDOW_MS, max: env.RATE_LIMIT_MAX_REQUESTS, webhooksPerMinute: env.WEBHOOK_RATE_LIMIT_PER_MINUTE },
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
    /** `port`: where a process started as `worker` serves its metrics (it has no other listener); unset, it listens on nothing. */
    metrics: { enabled: env.ENABLE_METRICS, token: env.METRICS_TOKEN, port: env.METRICS_PORT },
    sentryDsn: env.SENTRY_DSN,
    telemetry: telemetryOf(env),
    emulatorsEnabled: env.NODE_ENV !== 'production' && env.EMULATORS !== 'off',
    mail: mailOf(env),
  };
}

export type Config = ReturnType<typeof buildConfig>;

/** An SMTP server to send through (SMTP_URL or SMTP_HOST…). The password is for the transport alone: never logged, never returned. */
export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (port 465, smtps://); false: plain, upgraded by STARTTLS. */
  secure: boolean;
  /** Refuse to send unless the plain connection is upgraded by STARTTLS (ignored with `secure`). */
  requireTls: boolean;
  user: string | undefined;
  password: string | undefined;
}

/**
 * How e-mail leaves: `smtp` through the configured server; `local` (no SMTP settings, outside
 * production) to an SMTP server inside the process that keeps each message under
 * DATA_DIR/mail (`npm run mail` lists them); `off` (production without SMTP settings): nothing is sent.
 */
export type MailSettings = {
  /** The From of every message: MAIL_FROM, or a local address where none is needed. */
  from: string;
  /** The signed ata is attached up to this size, else linked. */
  attachmentMaxBytes: number;
  /** How long a signed download link in an e-mail works. */
  linkTtlMs: number;
  /** A temporary SMTP failure is tried again after this, doubling each time. */
  retryDelaySec: number;
} & ({ mode: 'smtp'; smtp: SmtpSettings } | { mode: 'local'; smtp?: undefined } | { mode: 'off'; smtp?: undefined });

/** What MAIL_FROM is outside production when no server needs a real one. */
const LOCAL_MAIL_FROM = 'Atas <atas@localhost>';

function mailOf(env: z.infer<typeof envSchema>): MailSettings {
  const common = {
    from: env.MAIL_FROM ?? LOCAL_MAIL_FROM,
    attachmentMaxBytes: env.MAIL_ATTACHMENT_MAX_BYTES,
    linkTtlMs: env.MAIL_LINK_TTL * 1000,
    retryDelaySec: env.MAIL_RETRY_DELAY_SEC,
  };
  if (env.SMTP_URL) {
    const url = new URL(env.SMTP_URL);
    const secure = url.protocol === 'smtps:';
    return {
      ...common,
      mode: 'smtp',
      smtp: {
        host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port ? Number(url.port) : secure ? 465 : 587,
        secure,
        requireTls: env.SMTP_REQUIRE_TLS,
        user: url.username ? decodeURIComponent(url.username) : undefined,
        password: url.password ? decodeURIComponent(url.password) : undefined,
      },
    };
  }
  if (env.SMTP_HOST) {
    return {
      ...common,
      mode: 'smtp',
      smtp: {
        host: env.SMTP_HOST,
        port: env.SMTP_PORT ?? (env.SMTP_SECURE ? 465 : 587),
        secure: env.SMTP_SECURE,
        requireTls: env.SMTP_REQUIRE_TLS,
        user: env.SMTP_USER,
        password: env.SMTP_PASSWORD,
      },
    };
  }
  // Like the providers' emulators: a local SMTP server on `npm start`, none in production or with EMULATORS=off.
  return { ...common, mode: env.NODE_ENV !== 'production' && env.EMULATORS !== 'off' ? 'local' : 'off' };
}

export interface TelemetrySettings {
  /** OTLP/HTTP collector (traces go to `<endpoint>/v1/traces`); unset, OpenTelemetry is not loaded at all. */
  otlpEndpoint: string;
  serviceName: string;
}

function telemetryOf(env: { OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined; OTEL_SERVICE_NAME?: string | undefined }): TelemetrySettings | undefined {
  return env.OTEL_EXPORTER_OTLP_ENDPOINT ? { otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: env.OTEL_SERVICE_NAME ?? 'atas' } : undefined;
}

/**
 * The telemetry settings alone, read before anything else: the entry points start OpenTelemetry
 * before the modules it instruments load, so before the rest of the configuration is read. A bad
 * value gives undefined here, and `loadConfig` then refuses it with the others.
 */
export function loadTelemetrySettings(env: NodeJS.ProcessEnv = process.env): TelemetrySettings | undefined {
  const parsed = z.object(telemetryVariables).safeParse(env);
  return parsed.success ? telemetryOf(parsed.data) : undefined;
}

/** DATA_DIR alone, resolved as the app resolves it: for commands that read what the app keeps there (`npm run mail`). */
export function loadDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(envSchema.shape.DATA_DIR.parse(env.DATA_DIR));
}

/**
 * Parses the environment. Outside production, missing secrets are generated once and kept
 * under DATA_DIR, so restarts keep sessions and encrypted data readable.
 * @throws ConfigError naming every bad or missing variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`);
    throw new ConfigError([...new Set(problems)].sort());
  }
  const values = parsed.data;
  const dataDir = path.resolve(values.DATA_DIR);
  const secrets =
    values.JWT_SECRET && values.JWT_REFRESH_SECRET && values.ENCRYPTION_KEY
      ? { jwtSecret: values.JWT_SECRET, jwtRefreshSecret: values.JWT_REFRESH_SECRET, encryptionKey: values.ENCRYPTION_KEY }
      : { ...loadOrCreateDevelopmentSecrets(dataDir), ...definedOnly({
          jwtSecret: values.JWT_SECRET,
          jwtRefreshSecret: values.JWT_REFRESH_SECRET,
          encryptionKey: values.ENCRYPTION_KEY,
        }) };
  return buildConfig(values, secrets, dataDir);
}

function definedOnly<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
