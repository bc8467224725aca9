import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { simpleParser, type AddressObject } from 'mailparser';

/**
 * The local mode's outbox: each message the app would have sent, as DATA_DIR/mail/<time>-<id>.eml.
 * The local SMTP server writes there; `npm run mail` reads it back.
 */
export function localMailDir(dataDir: string): string {
  return path.join(dataDir, 'mail');
}

/** `20261130T181523123Z-<id>.eml`: the names sort by arrival, so the newest is the last. */
export function localMailFileName(receivedAt: Date, id: string): string {
  return `${receivedAt.toISOString().replace(/[-:.]/g, '')}-${id}.eml`;
}

export interface LocalMailEntry {
  /** When the server received it (from the file name; the message's own Date header may differ). */
  receivedAt: Date;
  date: Date | undefined;
  from: string;
  to: string;
  subject: string;
  attachments: string[];
  path: string;
  /** The file, as a link a terminal can open. */
  url: string;
}

/** The messages kept under DATA_DIR/mail, newest first; `limit` of them (all when unset) are parsed. */
export async function listLocalMail(dataDir: string, options: { limit?: number } = {}): Promise<{ total: number; entries: LocalMailEntry[] }> {
  const dir = localMailDir(dataDir);
  const names = await fs.readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  // A name that starts with a dot is a message still being written.
  const messages = names.filter((name) => name.endsWith('.eml') && !name.startsWith('.')).sort().reverse();
  const chosen = options.limit === undefined ? messages : messages.slice(0, options.limit);
  const entries: LocalMailEntry[] = [];
  for (const name of chosen) entries.push(await readEntry(path.join(dir, name)));
  return { total: messages.length, entries };
}

async function readEntry(file: string): Promise<LocalMailEntry> {
  const parsed = await simpleParser(createReadStream(file));
  const stamp = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-/.exec(path.basename(file));
  const receivedAt = stamp ? new Date(`${stamp[1]}-${stamp[2]}-${stamp[3]}T${stamp[4]}:${stamp[5]}:${stamp[6]}.${stamp[7]}Z`) : (await fs.stat(file)).mtime;
  return {
    receivedAt,
    date: parsed.date,
    from: addressText(parsed.from),
    to: addressText(parsed.to),
    subject: parsed.subject ?? '',
    attachments: parsed.attachments.map((attachment) => attachment.filename ?? '(unnamed)'),
    path: file,
    url: pathToFileURL(file).href,
  };
}

function addressText(address: AddressObject | AddressObject[] | undefined): string {
  if (!address) return '';
  return (Array.isArray(address) ? address : [address])
    .flatMap((item) => item.value)
    .map((mailbox) => (mailbox.name ? `${mailbox.name} <${mailbox.address ?? ''}>` : (mailbox.address ?? '')))
    .join(', ');
}
