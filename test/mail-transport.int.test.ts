import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { inspect } from 'node:util';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailSettings, SmtpSettings } from '../src/config.js';
import { createLogger } from '../src/lib/logger.js';
import { findFreePort } from '../src/lib/ports.js';
import { listLocalMail } from '../src/providers/mail/local-outbox.js';
import { startLocalSmtpServer } from '../src/providers/mail/local-smtp-server.js';
import { createMailer, MailError, type Mailer, type MailMessage } from '../src/providers/mail/mail.transport.js';
import { startTestSmtpServer, type TestSmtpServer } from './helpers/smtp.js';
import { makeSharedTempDir } from './helpers/temp-dir.js';

const log = createLogger({ level: 'silent', format: 'json' });
const common = { from: 'Atas <atas@example.com>', attachmentMaxBytes: 5 * 1024 * 1024, linkTtlMs: 86_400_000, retryDelaySec: 10 };
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

function smtpSettings(server: { host: string; port: number }, overrides: Partial<SmtpSettings> = {}): MailSettings {
  return { ...common, mode: 'smtp', smtp: { host: server.host, port: server.port, secure: false, requireTls: false, user: undefined, password: undefined, ...overrides } };
}

const message = (overrides: Partial<MailMessage> = {}): MailMessage => ({
  to: 'maria@example.com',
  subject: 'Ata assinada: Reunião do conselho de 30/11',
  text: 'A ata foi assinada por todos.',
  html: '<p>A ata foi <strong>assinada</strong> por todos.</p>',
  ...overrides,
});

/** What the send rejected with, as a MailError. */
async function failureOf(sending: Promise<unknown>): Promise<MailError> {
  const error = await sending.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(MailError);
  return error as MailError;
}

describe('the mailer over SMTP', () => {
  let smtp: TestSmtpServer;
  let mailer: Mailer;
  const dataDir = makeSharedTempDir('atas-mail-');

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    mailer = await createMailer(smtpSettings(smtp), { dataDir, log });
  });
  afterAll(async () => {
    await mailer?.close();
    await smtp?.stop();
  });

  it('delivers the recipient, subject, both bodies, the headers and the attachment intact', async () => {
    const pdf = randomBytes(300 * 1024);
    const sent = await mailer.send(
      message({
        headers: { 'X-Atas-Notification': 'minutes.signed', 'List-Unsubscribe': '<https://atas.example.com/unsubscribe/abc>' },
        attachments: [{ filename: 'ata-conselho-2026-11-30.pdf', content: pdf, contentType: 'application/pdf' }],
      }),
    );
    expect(mailer.status).toBe('configured');
    expect(sent.accepted).toEqual(['maria@example.com']);
    expect(sent.messageId).toMatch(/^<.+@.+>$/);

    const { envelope, parsed } = await smtp.waitFor((mail) => mail.parsed.messageId === sent.messageId);
    expect(envelope).toEqual({ from: 'atas@example.com', to: ['maria@example.com'] });
    expect(parsed.from?.value).toEqual([{ name: 'Atas', address: 'atas@example.com' }]);
    expect(parsed.subject).toBe('Ata assinada: Reunião do conselho de 30/11');
    expect(parsed.text?.trim()).toBe('A ata foi assinada por todos.');
    expect(parsed.html).toContain('<p>A ata foi <strong>assinada</strong> por todos.</p>');
    expect(parsed.headers.get('x-atas-notification')).toBe('minutes.signed');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]).toMatchObject({ filename: 'ata-conselho-2026-11-30.pdf', contentType: 'application/pdf' });
    expect(sha256(parsed.attachments[0]!.content)).toBe(sha256(pdf));
  });

  it('a recipient answered 550 is a permanent failure, with the reply kept', async () => {
    smtp.answers = { rejectRecipient: (address) => address === 'gone@example.com' };
    try {
      const error = await failureOf(mailer.send(message({ to: 'gone@example.com' })));
      expect(error).toMatchObject({ permanent: true, responseCode: 550, code: 'EENVELOPE' });
      expect(error.response).toContain('mailbox unavailable');
    } finally {
      smtp.answers = {};
    }
  });

  it('a message answered 451 is a temporary failure; the same message goes through later', async () => {
    smtp.answers = { deferMessage: () => true };
    const error = await failureOf(mailer.send(message({ subject: 'deferred once' })));
    expect(error).toMatchObject({ permanent: false, responseCode: 451 });
    smtp.answers = {};
    await mailer.send(message({ subject: 'deferred once' }));
    await smtp.waitFor((mail) => mail.parsed.subject === 'deferred once');
  });

  it('refuses a header value that would start a header of its own, before connecting', async () => {
    const error = await failureOf(mailer.send(message({ headers: { 'X-Note': 'a\r\nBcc: spy@example.com' } })));
    expect(error.permanent).toBe(true);
  });
});

describe('the mailer when the server is away or refuses it', () => {
  const dataDir = makeSharedTempDir('atas-mail-');

  it('a port nobody listens on is a temporary failure', async () => {
    const mailer = await createMailer(smtpSettings({ host: '127.0.0.1', port: await findFreePort() }), { dataDir, log });
    try {
      const error = await failureOf(mailer.send(message()));
      expect(error.permanent).toBe(false);
      expect(error.responseCode).toBeUndefined();
    } finally {
      await mailer.close();
    }
  });

  it('a server that never greets is a temporary failure, not a wait without end', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const mailer = await createMailer(smtpSettings({ host: '127.0.0.1', port }), { dataDir, log, timeoutsMs: { greeting: 300 } });
    try {
      const error = await failureOf(mailer.send(message()));
      expect(error).toMatchObject({ permanent: false, code: 'ETIMEDOUT' });
    } finally {
      await mailer.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('logs in with the user and password, and a refused login keeps the reply but never the password', async () => {
    const password = 'the-real-smtp-password';
    const smtp = await startTestSmtpServer({ login: { user: 'atas', password } });
    const good = await createMailer(smtpSettings(smtp, { user: 'atas', password }), { dataDir, log });
    const wrongPassword = 'a-wrong-smtp-password';
    const bad = await createMailer(smtpSettings(smtp, { user: 'atas', password: wrongPassword }), { dataDir, log });
    try {
      await good.send(message({ subject: 'after login' }));
      await smtp.waitFor((mail) => mail.parsed.subject === 'after login');

      const error = await failureOf(bad.send(message()));
      // The server's settings, not this message: a retry after they are fixed delivers it.
      expect(error).toMatchObject({ permanent: false, code: 'EAUTH', responseCode: 535 });
      for (const shown of [inspect(error, { depth: 10 }), JSON.stringify(error), error.message, String(error.response)]) {
        expect(shown).not.toContain(wrongPassword);
        expect(shown).not.toContain(Buffer.from(`\0atas\0${wrongPassword}`).toString('base64'));
      }
    } finally {
      await good.close();
      await bad.close();
      await smtp.stop();
    }
  });

  it('with STARTTLS required, a server that offers none gets nothing (temporary)', async () => {
    const smtp = await startTestSmtpServer();
    const mailer = await createMailer(smtpSettings(smtp, { requireTls: true }), { dataDir, log });
    try {
      const error = await failureOf(mailer.send(message()));
      expect(error.permanent).toBe(false);
      expect(smtp.messages).toHaveLength(0);
    } finally {
      await mailer.close();
      await smtp.stop();
    }
  });

  it('without SMTP in production, says so and sends nothing', async () => {
    const mailer = await createMailer({ ...common, mode: 'off' }, { dataDir, log });
    expect(mailer.status).toBe('not_configured');
    const error = await failureOf(mailer.send(message()));
    expect(error).toMatchObject({ permanent: true, message: 'email not configured' });
    await mailer.close();
  });
});

describe('the local mode', () => {
  it('keeps each message as an .eml under DATA_DIR/mail that mailparser and `npm run mail` read back', async () => {
    const dataDir = makeSharedTempDir('atas-mail-local-');
    const mailer = await createMailer({ ...common, mode: 'local' }, { dataDir, log });
    expect(mailer.status).toBe('local');
    const pdf = randomBytes(64 * 1024);
    try {
      await mailer.send(message({ subject: 'first' }));
      const sent = await mailer.send(message({ to: 'joao@example.com', subject: 'second', attachments: [{ filename: 'ata.pdf', content: pdf, contentType: 'application/pdf' }] }));
      expect(sent.accepted).toEqual(['joao@example.com']);
    } finally {
      await mailer.close();
    }

    const mailDir = path.join(dataDir, 'mail');
    const files = fs.readdirSync(mailDir).sort();
    expect(files).toHaveLength(2);
    expect(files.every((name) => /^\d{8}T\d{9}Z-[0-9a-f]{12}\.eml$/.test(name))).toBe(true); // no partial file left behind
    const parsed = await simpleParser(fs.readFileSync(path.join(mailDir, files[1]!)));
    expect(parsed.subject).toBe('second');
    expect(sha256(parsed.attachments[0]!.content)).toBe(sha256(pdf));

    const listed = await listLocalMail(dataDir);
    expect(listed.total).toBe(2);
    expect(listed.entries.map((entry) => entry.subject)).toEqual(['second', 'first']); // newest first
    expect(listed.entries[0]).toMatchObject({
      from: 'Atas <atas@example.com>',
      to: 'joao@example.com',
      attachments: ['ata.pdf'],
      path: path.join(mailDir, files[1]!),
      url: `file://${path.join(mailDir, files[1]!)}`,
    });
    expect((await listLocalMail(dataDir, { limit: 1 })).entries.map((entry) => entry.subject)).toEqual(['second']);
    expect(await listLocalMail(makeSharedTempDir('atas-mail-empty-'))).toEqual({ total: 0, entries: [] });
  });

  it('starts its SMTP server at the first message, once, and stops it on close', async () => {
    const listeners = () => process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length;
    const before = listeners();
    const mailer = await createMailer({ ...common, mode: 'local' }, { dataDir: makeSharedTempDir('atas-mail-local-'), log });
    expect(listeners()).toBe(before); // nothing sent yet: nothing listens
    await Promise.all([mailer.send(message()), mailer.send(message())]);
    expect(listeners()).toBe(before + 1); // one server for both
    await mailer.close();
    expect(listeners()).toBe(before);
    expect(await failureOf(mailer.send(message()))).toMatchObject({ permanent: false });
  });

  it('refuses a message over its size limit, and keeps no part of it', async () => {
    const dataDir = makeSharedTempDir('atas-mail-local-');
    const local = await startLocalSmtpServer({ dataDir, maxMessageBytes: 4096, log });
    const mailer = await createMailer(smtpSettings(local), { dataDir, log });
    try {
      const error = await failureOf(mailer.send(message({ attachments: [{ filename: 'big.pdf', content: randomBytes(8192), contentType: 'application/pdf' }] })));
      expect(error.permanent).toBe(true);
      await mailer.send(message({ subject: 'small' }));
    } finally {
      await mailer.close();
      await local.stop();
    }
    expect((await listLocalMail(dataDir)).entries.map((entry) => entry.subject)).toEqual(['small']);
    expect(fs.readdirSync(local.mailDir)).toHaveLength(1);
  });

  it('answers 552 to a client that sends past the limit anyway, and writes none of it', async () => {
    const dataDir = makeSharedTempDir('atas-mail-local-');
    const local = await startLocalSmtpServer({ dataDir, maxMessageBytes: 4096, log });
    try {
      const replies = await rawSmtpSession(local.port, ['EHLO test', 'MAIL FROM:<a@example.com>', 'RCPT TO:<b@example.com>', 'DATA', `Subject: big\r\n\r\n${'x'.repeat(64 * 1024)}\r\n.`, 'QUIT']);
      expect(replies.at(-2)).toMatch(/^552 /);
    } finally {
      await local.stop();
    }
    expect(fs.readdirSync(local.mailDir)).toEqual([]);
  });
});

/** Speaks SMTP line by line, as a client that ignores the SIZE the server announced; the last reply of each step. */
async function rawSmtpSession(port: number, steps: string[]): Promise<string[]> {
  const socket = net.connect(port, '127.0.0.1');
  const lines: string[] = [];
  let buffered = '';
  let notify: (() => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('latin1');
    const parts = buffered.split('\r\n');
    buffered = parts.pop() ?? '';
    lines.push(...parts);
    notify?.();
  });
  /** The next final reply line (`250 ok`, not `250-SIZE…`). */
  const nextReply = async () => {
    for (;;) {
      const index = lines.findIndex((line) => /^\d{3} /.test(line));
      if (index >= 0) return lines.splice(0, index + 1).at(-1)!;
      await new Promise<void>((resolve) => (notify = resolve));
    }
  };
  const replies = [await nextReply()]; // the greeting
  for (const step of steps) {
    socket.write(`${step}\r\n`);
    replies.push(await nextReply());
  }
  socket.destroy();
  return replies;
}
