import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, configVariableNames, loadConfig } from './config.js';

const tempDirs: string[] = [];
const tempDataDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atas-config-'));
  tempDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

const productionSecrets = {
  JWT_SECRET: 'kT3v9Qx2LmZp8RwYc4NbHs7JdFgA1eUo',
  JWT_REFRESH_SECRET: 'Vn6pXq2Ws9ZkLm4RtYb8CdJh3GfEa7Uo',
  ENCRYPTION_KEY: '3f9a1c7e5b2d8046af13c9e7d5b20864fa31c7e9b5d20846af13c79e5b2d0864',
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('starts on defaults alone outside production', () => {
    const config = loadConfig({ DATA_DIR: tempDataDir() });
    expect(config.server.port).toBe(3001);
    expect(config.auth.accessTokenTtlSec).toBe(900);
    expect(config.auth.refreshTokenTtlSec).toBe(7 * 86_400);
    expect(config.database.url).toBeUndefined();
    expect(config.cors.allowedOrigins).toEqual(['http://localhost:3000']);
    expect(config.emulatorsEnabled).toBe(true);
  });

  it('names every bad variable at once, without echoing any value', () => {
    const secretValue = 'short-secret-value';
    const problems = problemsOf({
      DATA_DIR: tempDataDir(),
      JWT_SECRET: secretValue,
      ENCRYPTION_KEY: 'not-hex',
      PORT: 'eighty',
      DATABASE_URL: 'mysql://localhost/db',
      LOG_LEVEL: 'loud',
      ENABLE_METRICS: 'yes',
      JWT_EXPIRES_IN: '900',
      JWT_REFRESH_EXPIRES_IN: '',
      OPENAI_TEMPERATURE: '3',
      ADMIN_EMAILS: 'boss@example.com,not-an-email',
      EMBEDDED_POSTGRES_PORT: '5432',
    });
    const named = problems.map((problem) => problem.split(' ')[0]);
    expect(named).toEqual(
      expect.arrayContaining([
        'JWT_SECRET',
        'ENCRYPTION_KEY',
        'PORT',
        'DATABASE_URL',
        'LOG_LEVEL',
        'ENABLE_METRICS',
        'JWT_EXPIRES_IN',
        'JWT_REFRESH_EXPIRES_IN',
        'OPENAI_TEMPERATURE',
        'ADMIN_EMAILS',
        'EMBEDDED_POSTGRES_PORT',
      ]),
    );
    expect(problems).toContain('JWT_SECRET must be at least 32 bytes long');
    expect(problems).toContain('ENCRYPTION_KEY must be 64 hexadecimal characters (32 bytes)');
    expect(problems.join('\n')).not.toContain(secretValue);
  });

  it('the error message lists each problem on its own line', () => {
    try {
      loadConfig({ DATA_DIR: tempDataDir(), PORT: '-1', LOG_FORMAT: 'xml' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe(
        'Invalid configuration:\n  - LOG_FORMAT must be json or pretty\n  - PORT must be an integer from 0 to 65535',
      );
    }
  });

  it('requires every secret in production and refuses emulators there', () => {
    const problems = problemsOf({ NODE_ENV: 'production', DATA_DIR: tempDataDir(), EMULATORS: 'on', PORT: 'x' });
    expect(problems).toEqual([
      'EMULATORS cannot be on in production',
      'ENCRYPTION_KEY is required in production',
      'JWT_REFRESH_SECRET is required in production',
      'JWT_SECRET is required in production',
      'PORT must be an integer from 0 to 65535',
    ]);
  });

  it('refuses secrets that are guessable or shared, in any environment', () => {
    const problems = problemsOf({
      NODE_ENV: 'production',
      DATA_DIR: tempDataDir(),
      JWT_SECRET: 'a'.repeat(32),
      JWT_REFRESH_SECRET: productionSecrets.JWT_REFRESH_SECRET,
      ENCRYPTION_KEY: '0'.repeat(64),
    });
    expect(problems).toEqual([
      'ENCRYPTION_KEY is too predictable (fewer than 8 different characters): generate one with `openssl rand -hex 32`',
      'JWT_SECRET is too predictable (fewer than 8 different characters): generate one with `openssl rand -base64 48`',
    ]);
    const shared = problemsOf({ DATA_DIR: tempDataDir(), ...productionSecrets, JWT_REFRESH_SECRET: productionSecrets.JWT_SECRET });
    expect(shared).toEqual(['JWT_REFRESH_SECRET must differ from JWT_SECRET: a refresh token must never pass as an access token']);
  });

  it('accepts a complete production configuration and never enables emulators there', () => {
    const dataDir = tempDataDir();
    const config = loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, ...productionSecrets });
    expect(config.isProduction).toBe(true);
    expect(config.emulatorsEnabled).toBe(false);
    expect(config.auth.jwtSecret).toBe(productionSecrets.JWT_SECRET);
    expect(fs.existsSync(path.join(dataDir, 'secrets.json'))).toBe(false);
  });

  it('outside production generates missing secrets once and keeps them under DATA_DIR', () => {
    const dataDir = tempDataDir();
    const first = loadConfig({ DATA_DIR: dataDir });
    const second = loadConfig({ DATA_DIR: dataDir });
    expect(Buffer.byteLength(first.auth.jwtSecret)).toBeGreaterThanOrEqual(32);
    expect(first.encryption.key).toMatch(/^[0-9a-f]{64}$/);
    expect(second.auth).toEqual(first.auth);
    expect(second.encryption.key).toBe(first.encryption.key);
    expect(fs.statSync(path.join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('a secret set in the environment wins over a generated one', () => {
    const dataDir = tempDataDir();
    loadConfig({ DATA_DIR: dataDir });
    const config = loadConfig({ DATA_DIR: dataDir, JWT_SECRET: productionSecrets.JWT_SECRET });
    expect(config.auth.jwtSecret).toBe(productionSecrets.JWT_SECRET);
  });

  it('parses lists, durations and PEM keys written on one line', () => {
    const config = loadConfig({
      DATA_DIR: tempDataDir(),
      ADMIN_EMAILS: ' Boss@Example.com , ops@example.com ',
      ALLOWED_ORIGINS: 'https://app.example.com,http://localhost:3000',
      JWT_REFRESH_EXPIRES_IN: '12h',
      DOCUSIGN_WEBHOOK_SECRET: 'old-key,new-key',
      DOCUSIGN_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\\nabc\\n-----END RSA PRIVATE KEY-----',
    });
    expect(config.auth.adminEmails).toEqual(['boss@example.com', 'ops@example.com']);
    expect(config.cors.allowedOrigins).toEqual(['https://app.example.com', 'http://localhost:3000']);
    expect(config.auth.refreshTokenTtlSec).toBe(12 * 3600);
    expect(loadConfig({ DATA_DIR: tempDataDir(), JWT_EXPIRES_IN: '1.5h', DOCUSIGN_RECONCILE_AFTER: '2 days' })).toMatchObject({
      auth: { accessTokenTtlSec: 5400 },
      docusign: { reconcileAfterSec: 2 * 86_400 },
    });
    expect(config.docusign.webhookSecrets).toEqual(['old-key', 'new-key']);
    expect(config.docusign.privateKey).toBe('-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----');
  });

  it("reads METRICS_PORT as a port, empty as unset, and refuses it where metrics are off", () => {
    expect(loadConfig({ DATA_DIR: tempDataDir() }).metrics.port).toBeUndefined();
    expect(loadConfig({ DATA_DIR: tempDataDir(), METRICS_PORT: '' }).metrics.port).toBeUndefined();
    expect(loadConfig({ DATA_DIR: tempDataDir(), METRICS_PORT: '9464' }).metrics.port).toBe(9464);
    expect(problemsOf({ DATA_DIR: tempDataDir(), METRICS_PORT: '70000' })).toEqual(['METRICS_PORT must be an integer from 0 to 65535']);
    expect(problemsOf({ DATA_DIR: tempDataDir(), METRICS_PORT: 'metrics' })).toEqual(['METRICS_PORT must be an integer from 0 to 65535']);
    expect(problemsOf({ DATA_DIR: tempDataDir(), METRICS_PORT: '9464', ENABLE_METRICS: 'false' })).toEqual(['METRICS_PORT cannot be set with ENABLE_METRICS=false: it serves the metrics']);
  });

  it('requires a bucket for S3 storage and a pool whose minimum fits its maximum', () => {
    const problems = problemsOf({ DATA_DIR: tempDataDir(), STORAGE_TYPE: 's3', DATABASE_POOL_MIN: '20', DATABASE_POOL_MAX: '5' });
    expect(problems).toEqual([
      'AWS_S3_BUCKET is required when STORAGE_TYPE is s3',
      'DATABASE_POOL_MIN must not be greater than DATABASE_POOL_MAX',
    ]);
  });
});

describe('mail settings', () => {
  const load = (env: NodeJS.ProcessEnv) => loadConfig({ DATA_DIR: tempDataDir(), ...env });

  it('keeps mail locally outside production without SMTP settings, as the emulators run, and sends nothing in production', () => {
    expect(load({}).mail).toEqual({ mode: 'local', from: 'Atas <atas@localhost>', attachmentMaxBytes: 5 * 1024 * 1024, linkTtlMs: 7 * 86_400_000, retryDelaySec: 10 });
    expect(load({ EMULATORS: 'off' }).mail).toMatchObject({ mode: 'off' });
    expect(load({ NODE_ENV: 'production', ...productionSecrets }).mail).toMatchObject({ mode: 'off' });
  });

  it('reads the server from SMTP_URL, credentials URL-encoded, the port from the scheme', () => {
    const { mail } = load({ SMTP_URL: 'smtps://mailer%40example.com:p%40ss%3Aword@smtp.example.com', MAIL_FROM: 'Atas <atas@example.com>' });
    expect(mail).toMatchObject({
      mode: 'smtp',
      from: 'Atas <atas@example.com>',
      smtp: { host: 'smtp.example.com', port: 465, secure: true, requireTls: true, user: 'mailer@example.com', password: 'p@ss:word' },
    });
    expect(load({ SMTP_URL: 'smtp://relay.internal', MAIL_FROM: 'atas@example.com', SMTP_REQUIRE_TLS: 'false' }).mail).toMatchObject({
      smtp: { host: 'relay.internal', port: 587, secure: false, requireTls: false, user: undefined, password: undefined },
    });
  });

  it('reads the server from SMTP_HOST and its companions, with the durations and sizes', () => {
    const { mail } = load({
      SMTP_HOST: 'smtp.example.com',
      SMTP_USER: 'atas',
      SMTP_PASSWORD: 'correct horse',
      SMTP_SECURE: 'true',
      MAIL_FROM: '"Atas, minutes" <atas@example.com>',
      MAIL_ATTACHMENT_MAX_BYTES: '1000',
      MAIL_LINK_TTL: '2d',
      MAIL_RETRY_DELAY_SEC: '30',
    });
    expect(mail).toEqual({
      mode: 'smtp',
      from: '"Atas, minutes" <atas@example.com>',
      attachmentMaxBytes: 1000,
      linkTtlMs: 2 * 86_400_000,
      retryDelaySec: 30,
      smtp: { host: 'smtp.example.com', port: 465, secure: true, requireTls: true, user: 'atas', password: 'correct horse' },
    });
    expect(load({ SMTP_HOST: 'smtp.example.com', SMTP_PORT: '2525', MAIL_FROM: 'atas@example.com' }).mail.smtp?.port).toBe(2525);
  });

  it('refuses incomplete or contradictory SMTP settings, without echoing the password', () => {
    const password = 'hunter2-the-password';
    const problems = problemsOf({
      DATA_DIR: tempDataDir(),
      SMTP_URL: `http://user:${password}@smtp.example.com`,
      MAIL_ATTACHMENT_MAX_BYTES: '-1',
      MAIL_LINK_TTL: '7',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'SMTP_URL must be an smtp:// or smtps:// URL with a host (user and password, URL-encoded, before an @)',
        'MAIL_ATTACHMENT_MAX_BYTES must be an integer from 0 to 104857600',
        'MAIL_LINK_TTL must be a duration such as 900s, 15m, 12h or 7d',
      ]),
    );
    expect(problems.join('\n')).not.toContain(password);
    expect(problemsOf({ DATA_DIR: tempDataDir(), SMTP_URL: 'smtp://atas:50%zz@smtp.example.com', MAIL_FROM: 'atas@example.com' })).toEqual([
      'SMTP_URL must be an smtp:// or smtps:// URL with a host (user and password, URL-encoded, before an @)',
    ]);
    expect(problemsOf({ DATA_DIR: tempDataDir(), SMTP_HOST: 'smtp.example.com', SMTP_USER: 'atas' })).toEqual([
      'MAIL_FROM is required when SMTP is configured (SMTP_URL or SMTP_HOST), e.g. Atas <atas@example.com>',
      'SMTP_PASSWORD is required with the other: set SMTP_USER and SMTP_PASSWORD together, or neither',
    ]);
    expect(problemsOf({ DATA_DIR: tempDataDir(), SMTP_URL: 'smtp://a:b@smtp.example.com', SMTP_HOST: 'smtp.example.com', SMTP_PASSWORD: 'x', MAIL_FROM: 'atas@example.com' })).toEqual([
      'SMTP_HOST cannot be set with SMTP_URL: give the server one way',
      'SMTP_PASSWORD cannot be set with SMTP_URL: write it in the URL',
    ]);
    // Credentials without a server would leave the mail on disk, unnoticed.
    expect(problemsOf({ DATA_DIR: tempDataDir(), SMTP_PASSWORD: 'x' })).toEqual(['SMTP_PASSWORD is set without SMTP_HOST']);
  });

  it('accepts a sender with or without a name, and refuses one that is no address or spans lines', () => {
    expect(load({ MAIL_FROM: 'atas@example.com' }).mail.from).toBe('atas@example.com');
    for (const from of ['Atas', 'Atas <not-an-address>', 'Atas <atas@example.com>\r\nBcc: x@example.com', '<a@example.com> <b@example.com>']) {
      expect(problemsOf({ DATA_DIR: tempDataDir(), MAIL_FROM: from })).toEqual(['MAIL_FROM must be an e-mail address, optionally with a name: Atas <atas@example.com>']);
    }
  });
});

describe('.env.example', () => {
  const example = fs.readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  const entries = Object.fromEntries(
    example
      .split('\n')
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

  it('documents exactly the variables the service reads', () => {
    expect(Object.keys(entries).sort()).toEqual([...configVariableNames].sort());
  });

  it('is a valid configuration as it stands', () => {
    expect(() => loadConfig({ ...entries, DATA_DIR: tempDataDir() })).not.toThrow();
  });
});
