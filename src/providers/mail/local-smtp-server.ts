import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { SMTPServer } from 'smtp-server';
import type { Logger } from '../../lib/logger.js';
import { localMailDir, localMailFileName } from './local-outbox.js';

export interface LocalSmtpServer {
  host: string;
  port: number;
  /** Where each message lands (DATA_DIR/mail). */
  mailDir: string;
  /** Stops accepting; a message being received is given a second to finish. */
  stop(): Promise<void>;
}

/**
 * The local mode's SMTP server (outside production, without SMTP settings): on 127.0.0.1 and a
 * free port, no authentication nor TLS, it keeps each message as DATA_DIR/mail/<time>-<id>.eml.
 * The mailer sends to it over a real SMTP connection, so local mode runs the production code path.
 * A message is written under a dot-name and renamed when complete: a reader never sees half of one.
 */
export async function startLocalSmtpServer(options: { dataDir: string; maxMessageBytes: number; log: Logger }): Promise<LocalSmtpServer> {
  const mailDir = localMailDir(options.dataDir);
  await fs.mkdir(mailDir, { recursive: true });
  const server = new SMTPServer({
    name: 'atas.localhost',
    banner: 'Atas local mail (kept on disk, never delivered)',
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: options.maxMessageBytes,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 1000,
    onData(stream, session, callback) {
      const id = randomBytes(6).toString('hex');
      const name = localMailFileName(new Date(), id);
      const partial = path.join(mailDir, `.${name}.partial`);
      // Past the limit the rest is read and dropped, not written: the disk holds at most the limit.
      const withinLimit = async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) if (!stream.sizeExceeded) yield chunk;
      };
      pipeline(stream, withinLimit, createWriteStream(partial, { mode: 0o600 }))
        .then(async () => {
          if (stream.sizeExceeded) {
            await fs.rm(partial, { force: true });
            callback(Object.assign(new Error(`message exceeds the fixed maximum message size (${options.maxMessageBytes} bytes)`), { responseCode: 552 }));
            return;
          }
          await fs.rename(partial, path.join(mailDir, name));
          options.log.debug({ file: name, from: session.envelope.mailFrom || undefined }, 'local mail: message kept');
          callback(null, `kept as ${name}`);
        })
        .catch(async (error: unknown) => {
          await fs.rm(partial, { force: true }).catch(() => undefined);
          options.log.warn({ err: error }, 'local mail: could not keep a message');
          callback(Object.assign(new Error('could not keep the message, try again later'), { responseCode: 451 }));
        });
    },
  });
  // A client that drops its connection is an event, not a crash.
  server.on('error', (error) => options.log.debug({ err: error }, 'local mail: connection error'));

  const host = '127.0.0.1';
  const port = await listen(server, host);
  return {
    host,
    port,
    mailDir,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** On a port the system picks (0): free, with no window for another process to take it first. */
function listen(server: SMTPServer, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve((server.server.address() as AddressInfo).port);
    });
  });
}
