import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../scripts/demo/run-demo.js';
import { findFreePort } from '../src/lib/ports.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { startTestServer } from './helpers/server.js';
import { smtpServerEnv, startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from './helpers/smtp.js';
import { makeSharedTempDir } from './helpers/temp-dir.js';
import { bearer, registerUser } from './helpers/users.js';

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');
const toAddress = (mail: ReceivedMail) => mail.envelope.to[0];
const linksIn = (text: string) => [...text.matchAll(/https?:\/\/\S+/g)].map((match) => match[0]);
/** A header as sent (mailparser turns some into objects): its value, unfolded. */
function headerOf(mail: ReceivedMail, name: string): string | undefined {
  const lines = mail.raw.toString().split('\r\n');
  const start = lines.findIndex((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (start < 0) return undefined;
  let value = lines[start]!.slice(name.length + 1);
  for (let next = start + 1; /^[ \t]/.test(lines[next] ?? ''); next++) value += lines[next];
  return value.replace(/\s+/g, ' ').trim();
}

/**
 * E-mail notifications end to end: the whole flow of `npm run demo` (Zoom meeting, minutes,
 * signatures) against a server whose SMTP server is one this test runs, then the messages read
 * as they arrived: recipients, language, links that work without a login, the signed PDF's hash.
 */
describe('e-mail notifications', () => {
  let smtp: TestSmtpServer;
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    database = await createTestDatabase();
    const port = await findFreePort();
    server = await startTestServer({
      databaseUrl: database.url,
      env: {
        PORT: String(port),
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        EMULATORS: 'on',
        ...smtpServerEnv(smtp),
        ORGANIZATION_NAME: 'Horizonte Logística S.A.',
      },
    });
    baseUrl = (await server.listen())!;
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    await smtp?.stop();
  });

  const emailsOf = (userId: string) => server.database.pool.query('SELECT kind, recipient, status, error_code, attempts FROM outbound_emails WHERE user_id = $1 ORDER BY created_at', [userId]).then((result) => result.rows);

  it('tells the owner when the minutes are ready and when all signed, and sends every participant the signed ata', async () => {
    const outputDir = makeSharedTempDir('atas-mail-demo-');
    const result = await runDemo({ baseUrl, outputDir, write: () => undefined, emulatedWaitMs: 20_000 });
    const signedPdf = fs.readFileSync(result.files.signedPdf);
    const { rows: [owner] } = await server.database.pool.query('SELECT m.user_id AS id, u.email FROM meeting_minutes m JOIN users u ON u.id = m.user_id WHERE m.id = $1', [result.minutesId]);

    const ready = await smtp.waitFor((mail) => toAddress(mail) === owner.email && /^Ata pronta para revisão: /.test(mail.parsed.subject ?? ''), 15_000);
    expect(ready.parsed.from?.value).toEqual([{ name: 'Atas', address: 'atas@example.com' }]);
    expect(ready.parsed.text).toContain(`/v1/minutes/${result.minutesId}`);
    expect(ready.parsed.html).toContain('Horizonte Logística S.A.');
    expect(headerOf(ready, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(headerOf(ready, 'List-Unsubscribe')).toMatch(/^<http:\/\/127\.0\.0\.1:\d+\/v1\/notifications\/unsubscribe\?token=[\w.-]+>$/);

    const completed = await smtp.waitFor((mail) => toAddress(mail) === owner.email && /^Ata assinada por todos: /.test(mail.parsed.subject ?? ''), 15_000);
    const download = linksIn(completed.parsed.text ?? '').find((link) => link.includes('/v1/downloads/signed-ata'))!;
    const downloaded = await fetch(download); // no login: the link is signed
    expect(downloaded.status).toBe(200);
    expect(sha256(Buffer.from(await downloaded.arrayBuffer()))).toBe(sha256(signedPdf));

    // Every participant with an e-mail, the absent one included, gets the signed ata attached.
    const participants = (await server.database.pool.query('SELECT email FROM participants p JOIN meeting_minutes m ON m.meeting_id = p.meeting_id WHERE m.id = $1', [result.minutesId])).rows.map((row) => row.email as string);
    expect(participants.length).toBeGreaterThanOrEqual(9); // the board, and whoever else Zoom saw join
    for (const email of participants) {
      const mail = await smtp.waitFor((candidate) => toAddress(candidate) === email && /^Ata assinada: /.test(candidate.parsed.subject ?? ''), 15_000);
      expect(mail.parsed.attachments.map((attachment) => [attachment.contentType, sha256(attachment.content)])).toEqual([['application/pdf', sha256(signedPdf)]]);
      expect(mail.parsed.text).not.toMatch(/\b(minutes|signed|attached)\b/i); // pt-BR throughout
    }

    // Nothing twice: one message per event and recipient, and the jobs that sent them have run.
    expect(smtp.messages.filter((mail) => toAddress(mail) === participants[0] && /^Ata assinada: /.test(mail.parsed.subject ?? ''))).toHaveLength(1);
    // A message arrives a moment before its job records it sent.
    await expect.poll(async () => (await emailsOf(owner.id)).filter((row) => row.status !== 'sent' || row.attempts !== 1), { timeout: 5000 }).toEqual([]);
    expect((await emailsOf(owner.id)).filter((row) => row.kind === 'signed_ata')).toHaveLength(participants.length);
  }, 90_000);

  it('lets anyone stop one kind of e-mail from its link, without a login, and lets users choose theirs', async () => {
    const owner = await registerUser(baseUrl);
    expect(await readJson(await fetch(`${baseUrl}/v1/user/notifications`, { headers: bearer(owner.token) }))).toEqual({
      email: { minutes_ready: true, minutes_failed: true, signer_declined: true, envelope_voided: true, envelope_completed: true, signed_ata: true },
    });
    const patched = await fetch(`${baseUrl}/v1/user/notifications`, { method: 'PATCH', headers: { ...bearer(owner.token), 'content-type': 'application/json' }, body: JSON.stringify({ email: { minutes_ready: false } }) });
    expect((await readJson(patched)).email).toMatchObject({ minutes_ready: false, minutes_failed: true });
    const unknownKind = await fetch(`${baseUrl}/v1/user/notifications`, { method: 'PATCH', headers: { ...bearer(owner.token), 'content-type': 'application/json' }, body: JSON.stringify({ email: { newsletters: false } }) });
    expect(unknownKind.status).toBe(400);

    // An unsubscribe link from a received message: the page asks, the one-click POST stops it.
    const received = smtp.messages.find((mail) => /^Ata assinada: /.test(mail.parsed.subject ?? ''))!;
    const unsubscribeUrl = /<([^>]+)>/.exec(headerOf(received, 'List-Unsubscribe') ?? '')![1]!;
    const page = await fetch(unsubscribeUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    const stopped = await fetch(unsubscribeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(stopped.status).toBe(200);
    const { rows } = await server.database.pool.query('SELECT kind FROM email_unsubscribes WHERE email = $1', [toAddress(received)]);
    expect(rows).toEqual([{ kind: 'signed_ata' }]);

    const forged = await fetch(`${unsubscribeUrl.slice(0, -4)}AAAA`, { method: 'POST' });
    expect([forged.status, (await readJson(forged)).code]).toEqual([404, 'link_invalid']);
    expect((await fetch(`${baseUrl}/v1/downloads/signed-ata?token=${unsubscribeUrl.split('token=')[1]}`)).status).toBe(404); // an unsubscribe link downloads nothing
  });

  it('records a refused recipient as failed, never retried, and still sends to the others', async () => {
    const owner = await registerUser(baseUrl);
    smtp.answers.rejectRecipient = (address) => address === owner.email;
    try {
      const created = await fetch(`${baseUrl}/v1/meetings`, {
        method: 'POST',
        headers: { ...bearer(owner.token), 'content-type': 'application/json' },
        body: JSON.stringify({ topic: 'Reunião de diretoria', startTime: '2026-10-01T10:00:00-03:00', duration: 30, onZoom: false }),
      });
      const { meeting } = await readJson(created);
      await fetch(`${baseUrl}/v1/meetings/${meeting.id}/transcript`, { method: 'POST', headers: { ...bearer(owner.token), 'content-type': 'text/plain' }, body: 'Ana: Declaro aberta a reunião. Aprovado o orçamento por unanimidade.' });
      const generated = await fetch(`${baseUrl}/v1/meetings/${meeting.id}/minutes`, { method: 'POST', headers: { ...bearer(owner.token), 'content-type': 'application/json' }, body: '{}' });
      expect(generated.status).toBe(201);
      const userId = (await readJson(await fetch(`${baseUrl}/v1/user/profile`, { headers: bearer(owner.token) }))).user.id;
      await expect.poll(() => emailsOf(userId), { timeout: 10_000 }).toEqual([{ kind: 'minutes_ready', recipient: owner.email, status: 'failed', error_code: 'smtp_refused_550', attempts: 1 }]);
    } finally {
      smtp.answers.rejectRecipient = undefined;
    }
  });
});

