import { DrizzleQueryError } from 'drizzle-orm';
import { pino, stdSerializers, type Logger as PinoLogger, type LoggerOptions } from 'pino';

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
  '*.passwordHash',
  '*.password_hash',
  '*.startUrl',
  '*.start_url',
  '*.zak',
  '*.downloadToken',
  '*.download_token',
  '*.connectHmacKeys',
  '*.encryptionKey',
  '*.turns',
  '*.transcript',
  '*.content',
];

/** What PostgreSQL says about a failed statement that names no value: enough to find the cause. */
const databaseErrorFields = new Set(['code', 'severity', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine']);
/** Fields of errors that hold the values a statement ran with, or a row's contents. */
const valueFields = new Set(['params', 'parameters', 'detail', 'where', 'internalQuery', 'query']);

const isDatabaseError = (error: Error) => typeof (error as { severity?: unknown }).severity === 'string';

function safeMessageOf(error: Error): string {
  if (error instanceof DrizzleQueryError) return `Failed query: ${error.query}`;
  // pg: `invalid input syntax for type uuid: "<the value>"` keeps its first half.
  if (isDatabaseError(error)) return error.message.replace(/(for type [\w ]+): .*$/s, '$1: [value not logged]');
  return error.message;
}

/**
 * An error as it may be logged: a failed query by its statement (placeholders, never the values
 * it ran with: password hashes, Zoom links with their `zak`, whole transcripts), PostgreSQL's
 * error by its SQLSTATE and names (never `detail`, which quotes the row), a value quoted in its
 * message cut; the same for every cause. Errors with nothing to hide are returned as they are.
 */
export function withoutValues(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const cause = error.cause === undefined ? undefined : withoutValues(error.cause);
  const message = safeMessageOf(error);
  const fields = Object.entries(error).filter(([key]) => (isDatabaseError(error) ? databaseErrorFields.has(key) : !valueFields.has(key) && key !== 'cause'));
  // A cause's own fields are not logged (only its message): a failed query carries its SQLSTATE and names up.
  if (error instanceof DrizzleQueryError && error.cause instanceof Error && isDatabaseError(error.cause)) {
    fields.push(...Object.entries(error.cause).filter(([key]) => databaseErrorFields.has(key)));
  }
  const hidesSomething = message !== error.message || cause !== error.cause || fields.length !== Object.keys(error).filter((key) => key !== 'cause').length;
  if (!hidesSomething) return error;
  const safe = Object.assign(new Error(message, cause === undefined ? undefined : { cause }), Object.fromEntries(fields));
  safe.name = error instanceof DrizzleQueryError ? 'DrizzleQueryError' : error.name;
  const frames = error.stack?.startsWith(error.toString()) ? error.stack.slice(error.toString().length) : '';
  safe.stack = `${safe.toString()}${frames}`;
  return safe;
}

export function loggerOptions(settings: { level: string; format: 'json' | 'pretty' }): LoggerOptions {
  return {
    level: settings.level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: { err: (error: Error) => stdSerializers.err(withoutValues(error) as Error) },
    ...(settings.format === 'pretty' ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } } : {}),
  };
}

export function createLogger(settings: { level: string; format: 'json' | 'pretty' }): Logger {
  return pino(loggerOptions(settings));
}
