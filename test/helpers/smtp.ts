import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** The SMTP envelope: who the client said it sends for (MAIL FROM) and to (RCPT TO). */
  envelope: { from: string; to: string[] };
  parsed: ParsedMail;
  raw: Buffer;
}

/** How the server answers; change it at any time through `answers`. */
export interface TestSmtpAnswers {
  /** Recipients answered `550 mailbox unavailable` (permanent). */
  rejectRecipient?: (address: string) => boolean;
  /** Messages answered `451 try again later` after their data (temporary). */
  deferMessage?: (raw: Buffer) => boolean;
  /** Asks for a login (AUTH PLAIN/LOGIN, without TLS as tests need it) with these credentials. */
  login?: { user: string; password: string };
}

export interface TestSmtpServer {
  host: string;
  port: number;
  /** Every message accepted so far, in order. */
  messages: ReceivedMail[];
  answers: TestSmtpAnswers;
  /** The first accepted message (already here or still to come) that matches; rejects after `timeoutMs`. */
  waitFor(predicate?: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

/**
 * An SMTP server for tests on 127.0.0.1 and a free port (smtp-server, as the local mode uses):
 * accepts everything unless `answers` says otherwise, and keeps each message parsed (mailparser)
 * in memory. Point the app at it with `SMTP_HOST=127.0.0.1 SMTP_PORT=<port> SMTP_REQUIRE_TLS=false`.
 */
export async function startTestSmtpServer(answers: TestSmtpAnswers = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<{ predicate: (mail: ReceivedMail) => boolean; resolve: (mail: ReceivedMail) => void }>();
  const state = { answers };

  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 500,
    onAuth(auth, _session, callback) {
      const login = state.answers.login;
      if (login && auth.username === login.user && auth.password === login.password) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onMailFrom(_address, session, callback) {
      if (state.answers.login && !session.user) return callback(Object.assign(new Error('Authentication required'), { responseCode: 530 }));
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (state.answers.rejectRecipient?.(address.address)) {
        return callback(Object.assign(new Error(`<${address.address}>: mailbox unavailable`), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        if (state.answers.deferMessage?.(raw)) {
          return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
        }
        simpleParser(raw).then(
          (parsed) => {
            const mail = {
              envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((rcpt) => rcpt.address) },
              parsed,
              raw,
            };
            messages.push(mail);
            for (const waiter of waiters) if (waiter.predicate(mail)) waiter.resolve(mail);
            callback(null, 'queued');
          },
          (error: unknown) => callback(error as Error),
        );
      });
    },
  });
  server.on('error', () => undefined); // a client that hangs up is no failure of the server

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    messages,
    get answers() {
      return state.answers;
    },
    set answers(next) {
      state.answers = next;
    },
    waitFor(predicate = () => true, timeoutMs = 5000) {
      const already = messages.find(predicate);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (mail: ReceivedMail) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching message within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Server settings that send the app's e-mail to a test SMTP server. */
export function smtpServerEnv(smtp: Pick<TestSmtpServer, 'host' | 'port'>) {
  return { SMTP_HOST: smtp.host, SMTP_PORT: String(smtp.port), SMTP_REQUIRE_TLS: 'false', MAIL_FROM: 'Atas <atas@example.com>' };
}
