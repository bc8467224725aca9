import fs from 'node:fs/promises';
import nodemailer, { type SMTPPoolOptions } from 'nodemailer';
import type { MailSettings } from '../../config.js';
import type { Logger } from '../../lib/logger.js';
import { localMailDir } from './local-outbox.js';
import { startLocalSmtpServer } from './local-smtp-server.js';
import { MailError, toMailError } from './mail-error.js';

export { MailError } from './mail-error.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

export interface Mailer {
  /** `configured`: an SMTP server of the operator's; `local`: kept under DATA_DIR/mail; `not_configured`: nothing is sent. */
  readonly status: 'configured' | 'local' | 'not_configured';
  /**
   * Hands one message to the SMTP server.
   * @throws MailError: `permanent` for a refusal no retry changes (5xx, recipient rejected), else temporary.
   */
  send(message: MailMessage): Promise<{ messageId: string; accepted: string[] }>;
  /** Closes the pooled connections (and the local server). */
  close(): Promise<void>;
}

/** Bounded waits: a server that stops answering fails the send (temporarily), it does not hold a job forever. */
const DEFAULT_TIMEOUTS_MS = { connection: 10_000, greeting: 10_000, socket: 60_000 };

/**
 * The mailer for `config.mail`: SMTP through the operator's server; in `local` mode through a local
 * SMTP server (local-smtp-server.ts) started at the first message and stopped by `close()`; `off`
 * sends nothing. Connections are pooled and opened on demand: creating a mailer contacts no server.
 */
export async function createMailer(
  settings: MailSettings,
  deps: { dataDir: string; log: Logger; /** Tests shorten them. */ timeoutsMs?: Partial<typeof DEFAULT_TIMEOUTS_MS> },
): Promise<Mailer> {
  const { log } = deps;
  const timeoutsMs = { ...DEFAULT_TIMEOUTS_MS, ...deps.timeoutsMs };
  if (settings.mode === 'off') {
    log.info('e-mail: no SMTP settings (SMTP_URL or SMTP_HOST); nothing is sent');
    return {
      status: 'not_configured',
      send: () => Promise.reject(new MailError('email not configured', { permanent: true, code: 'not_configured' })),
      close: async () => undefined,
    };
  }

  const status = settings.mode === 'local' ? 'local' : 'configured';
  let connect: () => Promise<{ transport: Transporter; stop?: () => Promise<void> }>;
  if (settings.mode === 'local') {
    // The folder now, so a DATA_DIR that cannot hold mail stops the start; the listener at the
    // first message, so a process that sends none (most API instances) listens on nothing more.
    await fs.mkdir(localMailDir(deps.dataDir), { recursive: true });
    // Room for the largest attachment once base64-encoded (4/3), and the message around it.
    const maxMessageBytes = Math.max(25 * 1024 * 1024, Math.ceil((settings.attachmentMaxBytes * 4) / 3) + 1024 * 1024);
    connect = async () => {
      const local = await startLocalSmtpServer({ dataDir: deps.dataDir, maxMessageBytes, log });
      log.info({ mailDir: local.mailDir, smtp: `${local.host}:${local.port}` }, 'e-mail: local SMTP server started');
      return { transport: createTransport({ host: local.host, port: local.port, secure: false, requireTls: false }, timeoutsMs, true), stop: () => local.stop() };
    };
    log.info({ mailDir: localMailDir(deps.dataDir) }, 'e-mail: no SMTP settings, messages are kept under DATA_DIR/mail (npm run mail lists them)');
  } else {
    const { smtp } = settings;
    const server = {
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      requireTls: smtp.requireTls,
      ...(smtp.user !== undefined && smtp.password !== undefined ? { auth: { user: smtp.user, pass: smtp.password } } : {}),
    };
    connect = () => Promise.resolve({ transport: createTransport(server, timeoutsMs, false) });
    log.info({ host: smtp.host, port: smtp.port, secure: smtp.secure, requireTls: smtp.requireTls }, 'e-mail: sending through SMTP');
  }

  // One start shared by concurrent first sends; nodemailer's pool connects on demand anyway.
  let connecting: ReturnType<typeof connect> | undefined;
  let isClosed = false;

  return {
    status,
    async send(message) {
      for (const [name, value] of Object.entries(message.headers ?? {})) {
        // A line break in a value would start a header of its own.
        if (/[\r\n]/.test(name + value)) throw new MailError(`header ${JSON.stringify(name)} holds a line break`, { permanent: true, code: 'EMESSAGE' });
      }
      if (isClosed) throw new MailError('the mailer is closed', { permanent: false, code: 'ECONNECTION' });
      try {
        // A start that failed is tried again by the next message.
        connecting ??= connect().catch((error: unknown) => {
          connecting = undefined;
          throw error;
        });
        const { transport } = await connecting;
        const info = await transport.sendMail({
          from: settings.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: message.headers,
          attachments: message.attachments?.map(({ filename, content, contentType }) => ({ filename, content, contentType })),
        });
        const accepted = info.accepted.map(addressOf);
        if (accepted.length === 0) {
          throw new MailError(`no recipient accepted: ${info.rejected.map(addressOf).join(', ')}`, { permanent: true, code: 'EENVELOPE', response: info.response });
        }
        return { messageId: info.messageId, accepted };
      } catch (error) {
        throw toMailError(error);
      }
    },
    async close() {
      isClosed = true;
      const connected = await connecting?.catch(() => undefined);
      connected?.transport.close();
      await connected?.stop?.();
    },
  };
}

type Transporter = ReturnType<typeof createTransport>;

function createTransport(
  server: { host: string; port: number; secure: boolean; requireTls: boolean; auth?: { user: string; pass: string } },
  timeoutsMs: typeof DEFAULT_TIMEOUTS_MS,
  isLocal: boolean,
) {
  const options: SMTPPoolOptions & { pool: true } = {
    pool: true,
    maxConnections: 3,
    maxMessages: 100,
    idleTimeout: 30_000,
    host: server.host,
    port: server.port,
    secure: server.secure,
    // Local mode talks to 127.0.0.1 in the clear; elsewhere STARTTLS is required unless SMTP_REQUIRE_TLS=false.
    requireTLS: !server.secure && server.requireTls,
    ignoreTLS: isLocal,
    ...(server.auth ? { auth: server.auth } : {}),
    connectionTimeout: timeoutsMs.connection,
    greetingTimeout: timeoutsMs.greeting,
    socketTimeout: timeoutsMs.socket,
    dnsTimeout: timeoutsMs.connection,
    // Attachments are buffers: a path or URL in a message must never make the transport read a file or fetch.
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false,
    debug: false,
  };
  return nodemailer.createTransport(options);
}

function addressOf(recipient: string | { address: string }): string {
  return typeof recipient === 'string' ? recipient : recipient.address;
}
