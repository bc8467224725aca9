/**
 * A message that did not leave. `permanent`: the server refused this message or its recipient for
 * good (an SMTP 5xx reply to the message or a recipient, a message that can never be sent): record
 * it as bounced and never retry. Otherwise (a 4xx reply, a connection that failed or timed out, a
 * login or STARTTLS refused) the same message may go through later: retry with backoff.
 */
export class MailError extends Error {
  override name = 'MailError';
  readonly permanent: boolean;
  /** Nodemailer's code (EENVELOPE, EMESSAGE, ESOCKET, ETIMEDOUT, EAUTH, ETLS…), or `not_configured`. */
  readonly code: string | undefined;
  /** The SMTP reply code of the refusal (550, 451…), when the server answered one. */
  readonly responseCode: number | undefined;
  /** The server's reply line, when it answered one. */
  readonly response: string | undefined;

  constructor(message: string, options: { permanent: boolean; code?: string; responseCode?: number; response?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.permanent = options.permanent;
    this.code = options.code;
    this.responseCode = options.responseCode;
    this.response = options.response;
  }
}

/** Refusals that no later attempt can change although the server said nothing (the message or its envelope is wrong). */
const PERMANENT_WITHOUT_REPLY = new Set(['EENVELOPE', 'EMESSAGE', 'EMAXRECIPIENTS', 'EFILEACCESS', 'EURLACCESS', 'ECONFIG']);

/**
 * Nodemailer's error as a MailError. Only its code, reply code, reply and message are kept: it
 * never holds the password (nodemailer records the AUTH command's name, not its argument), and
 * neither does this.
 */
export function toMailError(error: unknown): MailError {
  if (error instanceof MailError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown };
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const responseCode = typeof fields.responseCode === 'number' ? fields.responseCode : undefined;
  const response = typeof fields.response === 'string' ? fields.response : undefined;
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  return new MailError(message, { permanent: isPermanent(code, responseCode), code, responseCode, response });
}

/**
 * Failures of the connection itself (reaching the server, TLS, the login), whatever the server
 * replied: a refused login (535) or an unsupported STARTTLS (500) is the settings of the server or
 * ours, not this message, and once they are fixed a retry delivers it.
 */
const CONNECTION_FAILURES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL', 'EAUTH', 'ENOAUTH', 'EPROXY']);

function isPermanent(code: string | undefined, responseCode: number | undefined): boolean {
  if (code !== undefined && CONNECTION_FAILURES.has(code)) return false;
  if (responseCode !== undefined) return responseCode >= 500 && responseCode < 600;
  return code !== undefined && PERMANENT_WITHOUT_REPLY.has(code);
}
