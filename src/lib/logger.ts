import { pino, type Logger as PinoLogger, type LoggerOptions } from 'pino';

export type Logger = PinoLogger;

/** Paths that must never reach a log line, whatever logs them. */
const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-zm-signature"]',
  'req.headers["x-docusign-signature-1"]',
  'req.headers["x-docusign-signature-2"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.clientSecret',
  '*.privateKey',
  '*.apiKey',
  '*.secret',
];

export function loggerOptions(settings: { level: string; format: 'json' | 'pretty' }): LoggerOptions {
  return {
    level: settings.level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    ...(settings.format === 'pretty' ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } } : {}),
  };
}

export function createLogger(settings: { level: string; format: 'json' | 'pretty' }): Logger {
  return pino(loggerOptions(settings));
}
