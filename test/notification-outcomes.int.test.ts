import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DocuSignEmulator } from '../emulators/docusign/docusign-emulator.js';
import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators/openai/openai-emulator.js';
import { findFreePort } from '../src/lib/ports.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { openaiServerEnv, startDocuSignForServer, startTestServer } from './helpers/server.js';
import { smtpServerEnv, startTestSmtpServer, type ReceivedMail, type TestSmtpServer } from './helpers/smtp.js';
import { bearer, registerUser, type TestUser } from './helpers/users.js';

const HMAC_KEY = 'connect-key-notifications-0123456789';
const LINK_TTL_SEC = 4;
const transcript = ['Maria: Declaro aberta a reunião.', 'João: Fica aprovado por unanimidade o relatório anual.', 'Maria: Nada mais havendo a tratar, encerro.'].join('\n');
const signers = [
  { email: 'maria@example.com', name: 'Maria Conceição' },
  { email: 'joao@example.com', name: 'João Araújo' },
];

const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');
const linksIn = (text: string | undefined) => [...(text ?? '').matchAll(/https?:\/\/\S+/g)].map((match) => match[0]);

/**
 * The notifications of what does not go to plan, end to end against an SMTP server this test
 * runs: minutes that fail, a signer who declines, a voided envelope, a signed ata too large to
 * attach (sent as a link that expires), and an SMTP server that asks to try again later. Each
 * in the ata's language.
 */
describe('e-mail notifications when things go otherwise', () => {
  let smtp: TestSmtpServer;
  let openai: OpenAIEmulator;
  let docusign: DocuSignEmulator;
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;
  let owner: TestUser;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    openai = await startOpenAIEmulator({ apiKey: 'sk-test-notification-outcomes' });
    const signing = await startDocuSignForServer({ integrationKey: 'ik-mail', userId: 'user-mail', connectHmacKeys: [HMAC_KEY] });
    docusign = signing.docusign;
    database = await createTestDatabase();
    const port = await findFreePort();
    server = await startTestServer({
      databaseUrl: database.url,
      env: {
        PORT: String(port),
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        ...openaiServerEnv(openai),
        ...signing.env,
        DOCUSIGN_RECONCILE_AFTER: '1s',
        MINUTES_WAIT_MS: '15000',
        RATE_LIMIT_MAX_REQUESTS: '10000',
        ...smtpServerEnv(smtp),
        ORGANIZATION_NAME: 'Cooperativa Horizonte',
        // Every signed PDF is larger: the participants get a link, which lasts a few seconds here.
        MAIL_ATTACHMENT_MAX_BYTES: '1000',
        MAIL_LINK_TTL: `${LINK_TTL_SEC}s`,
        MAIL_RETRY_DELAY_SEC: '1',
      },
    });
    baseUrl = (await server.listen())!;
  });
  beforeEach(async () => {
    owner = await registerUser(baseUrl);
    docusign.reset();
    docusign.setConsent(true);
    smtp.answers = {};
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    await docusign?.stop();
    await openai?.stop();
    await smtp?.stop();
  });

  const json = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { ...bearer(owner.token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await readJson(response) };
  };
  const emailsOf = async (userId: string) =>
    (await server.database.pool.query('SELECT kind, recipient, language, status, attempts, error_code FROM outbound_emails WHERE user_id = $1 ORDER BY created_at, recipient', [userId])).rows;
  /** The e-mail's link to the minutes opens them, for their owner. */
  async function expectMinutesLinkOpens(mail: ReceivedMail, minutesId: string) {
    const link = linksIn(mail.parsed.text).find((candidate) => candidate.includes('/v1/minutes/'));
    expect(link).toBe(`${baseUrl}/v1/minutes/${minutesId}`);
    const opened = await fetch(link!, { headers: bearer(owner.token) });
    expect([opened.status, (await readJson(opened)).minutes?.id]).toEqual([200, minutesId]);
  }
  const toOwner = (subject: RegExp) => (mail: ReceivedMail) => mail.envelope.to[0] === owner.email && subject.test(mail.parsed.subject ?? '');

  /** A meeting held elsewhere with the two signers invited, its transcript, and the answer to generating its minutes in `language`. */
  async function generateMinutes(topic: string, language: string) {
    const created = await json('POST', '/v1/meetings', { topic, startTime: '2026-10-01T10:00:00-03:00', duration: 30, onZoom: false, participants: signers });
    expect(created.status).toBe(201);
    const meetingId = created.body.meeting.id as string;
    const uploaded = await fetch(`${baseUrl}/v1/meetings/${meetingId}/transcript`, { method: 'POST', headers: { ...bearer(owner.token), 'content-type': 'text/plain' }, body: transcript });
    expect(uploaded.status).toBe(201);
    return json('POST', `/v1/meetings/${meetingId}/minutes`, { language });
  }

  /** Minutes generated in `language`, finalised, and sent to both signers; the DocuSign envelope's id. */
  async function sentForSignature(topic: string, language: string): Promise<{ minutesId: string; envelopeId: string }> {
    const generated = await generateMinutes(topic, language);
    expect(generated.status, JSON.stringify(generated.body)).toBe(201);
    const minutesId = generated.body.minutes.id as string;
    expect((await json('PATCH', `/v1/minutes/${minutesId}`, { status: 'finalized' })).status).toBe(200);
    const sent = await json('POST', `/v1/minutes/${minutesId}/send-for-signature`, { signers });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    return { minutesId, envelopeId: sent.body.envelopeId as string };
  }

  it('tells the owner, in the ata’s language, that the minutes could not be generated and why', async () => {
    openai.refuseNext();
    const refused = await generateMinutes('Budget review', 'en');
    expect([refused.status, refused.body.code]).toEqual([422, 'content_refused']);

    const mail = await smtp.waitFor(toOwner(/^Minutes could not be generated: Budget review$/), 15_000);
    expect(mail.parsed.text).toContain("Reason: the language model refused the transcript's content.");
    expect(mail.parsed.text).toContain('You can see the details and try again on the minutes page.');
    const { rows: [failed] } = await server.database.pool.query('SELECT id, status FROM meeting_minutes WHERE user_id = $1', [owner.id]);
    expect(failed.status).toBe('failed');
    await expectMinutesLinkOpens(mail, failed.id);
    await expect.poll(() => emailsOf(owner.id), { timeout: 5000 }).toEqual([{ kind: 'minutes_failed', recipient: owner.email, language: 'en', status: 'sent', attempts: 1, error_code: null }]);
  });

  it('tells the owner who declined and the reason they gave, and nothing of what the owner turned off', async () => {
    expect((await json('PATCH', '/v1/user/notifications', { email: { minutes_ready: false } })).status).toBe(200);
    const { minutesId, envelopeId } = await sentForSignature('Budget review', 'en');
    await docusign.decline(envelopeId, 'joao@example.com', 'Item 2 has the wrong amount');

    const mail = await smtp.waitFor(toOwner(/^Signature declined: Budget review$/), 15_000);
    expect(mail.parsed.text).toContain('João Araújo declined to sign the minutes of the meeting “Budget review”');
    expect(mail.parsed.text).toContain('Reason given: Item 2 has the wrong amount');
    expect(mail.parsed.html).toContain('Reason given: Item 2 has the wrong amount');
    await expectMinutesLinkOpens(mail, minutesId);
    // Nobody else hears of it, nothing says the ata is signed, and the minutes being ready went untold.
    await expect.poll(async () => (await emailsOf(owner.id)).map((row) => [row.kind, row.recipient, row.status]), { timeout: 5000 }).toEqual([['signer_declined', owner.email, 'sent']]);
    expect(smtp.messages.filter(toOwner(/^Minutes ready for review/))).toEqual([]);
  });

  it('tells the owner, in Spanish for a Spanish ata, that the envelope was voided and why', async () => {
    const { minutesId, envelopeId } = await sentForSignature('Presupuesto 2027', 'es');
    expect((await json('POST', `/v1/docusign/envelopes/${envelopeId}/void`, { reason: 'Orden del día cambiado' })).status).toBe(200);

    const mail = await smtp.waitFor(toOwner(/^Sobre anulado: Presupuesto 2027$/), 15_000);
    expect(mail.parsed.text).toContain('Motivo: Orden del día cambiado');
    await expectMinutesLinkOpens(mail, minutesId);
    expect(mail.parsed.text!.replace(/https?:\/\/\S+/g, '')).not.toMatch(/\b(the|minutes|envelope|reason)\b/i);
    await expect.poll(async () => (await emailsOf(owner.id)).map((row) => [row.kind, row.language, row.status]), { timeout: 5000 }).toEqual([
      ['minutes_ready', 'es', 'sent'],
      ['envelope_voided', 'es', 'sent'],
    ]);
  });

  it('sends a signed ata over the size limit as a signed link that works without a login and expires; not to a participant who turned it off', async () => {
    const { minutesId, envelopeId } = await sentForSignature('Assembleia de 2027', 'pt-BR');
    // João has an account of his own, where he turned the signed atas off.
    const joao = await registerUser(baseUrl, { email: 'joao@example.com' });
    const turnedOff = await fetch(`${baseUrl}/v1/user/notifications`, { method: 'PATCH', headers: { ...bearer(joao.token), 'content-type': 'application/json' }, body: JSON.stringify({ email: { signed_ata: false } }) });
    expect(turnedOff.status).toBe(200);
    for (const signer of signers) await docusign.sign(envelopeId, signer.email);

    const mails = [await smtp.waitFor((mail) => mail.envelope.to[0] === 'maria@example.com' && mail.parsed.subject === 'Ata assinada: Assembleia de 2027', 15_000)];
    // The signed PDF is stored before the e-mails that carry it are written: it is there by the time they arrive.
    const signedPdf = await fetch(`${baseUrl}/v1/minutes/${minutesId}/signed-pdf`, { headers: bearer(owner.token) });
    expect(signedPdf.status).toBe(200);
    const signedHash = sha256(Buffer.from(await signedPdf.arrayBuffer()));
    for (const mail of mails) {
      expect(mail.parsed.attachments).toEqual([]);
      expect(mail.parsed.text).toMatch(/Você pode baixar a ata assinada, em PDF, até \d{1,2} de \p{L}+ de \d{4}, às \d{2}:\d{2}/u);
    }
    const download = linksIn(mails[0]!.parsed.text).find((link) => link.includes('/v1/downloads/signed-ata'))!;
    const downloaded = await fetch(download); // no login: the link is signed
    expect(downloaded.status).toBe(200);
    expect(downloaded.headers.get('content-type')).toBe('application/pdf');
    expect(sha256(Buffer.from(await downloaded.arrayBuffer()))).toBe(signedHash);

    // After MAIL_LINK_TTL the same link answers 410, and says why.
    const statusOf = async (url: string) => {
      const response = await fetch(url);
      return { status: response.status, code: (await readJson(response)).code as string | undefined };
    };
    await expect.poll(() => statusOf(download), { timeout: (LINK_TTL_SEC + 3) * 1000, interval: 250 }).toEqual({ status: 410, code: 'link_expired' });

    const sentSignedAtas = await server.database.pool.query("SELECT recipient FROM outbound_emails WHERE user_id = $1 AND kind = 'signed_ata'", [owner.id]);
    expect(sentSignedAtas.rows).toEqual([{ recipient: 'maria@example.com' }]);
    expect(smtp.messages.filter((mail) => mail.envelope.to[0] === 'joao@example.com' && mail.parsed.subject === 'Ata assinada: Assembleia de 2027')).toEqual([]);
  });

  it('tries again later when the SMTP server asks it to, and sends the message once', async () => {
    let deferred = 0;
    smtp.answers.deferMessage = (raw) => raw.toString().includes('Subject: Minutes ready for review: Deferred meeting') && deferred++ === 0;
    const generated = await generateMinutes('Deferred meeting', 'en');
    expect(generated.status).toBe(201);

    const mail = await smtp.waitFor(toOwner(/^Minutes ready for review: Deferred meeting$/), 15_000);
    expect(deferred).toBe(2); // refused once with 451, accepted the second time
    expect(mail.parsed.messageId).toMatch(/@atas>$/);
    await expect.poll(() => emailsOf(owner.id), { timeout: 5000 }).toEqual([{ kind: 'minutes_ready', recipient: owner.email, language: 'en', status: 'sent', attempts: 2, error_code: null }]);
    expect(smtp.messages.filter(toOwner(/Deferred meeting/))).toHaveLength(1);
  });

  it('sends nothing more when the send job runs again, or when the event that caused the e-mail is applied again', async () => {
    const generated = await generateMinutes('Sent once', 'en');
    expect(generated.status).toBe(201);
    await smtp.waitFor(toOwner(/^Minutes ready for review: Sent once$/), 15_000);
    await expect.poll(async () => (await emailsOf(owner.id)).map((row) => row.status), { timeout: 5000 }).toEqual(['sent']);
    const { rows: [email] } = await server.database.pool.query('SELECT id, event_id FROM outbound_emails WHERE user_id = $1', [owner.id]);

    // The job again, as pg-boss would run it after a crash between sending and recording it.
    const [sendEmailJob] = server.services.emailNotifications.jobs;
    await server.jobs.enqueue(sendEmailJob!, { emailId: email.id });
    // The event applied again, in a transaction of its own: the outbox row is there already.
    const { rows: [stored] } = await server.database.pool.query("SELECT type, data, created_at FROM user_events WHERE user_id = $1 AND type = 'minutes.ready'", [owner.id]);
    await server.database.transaction((tx) =>
      server.services.emailNotifications.enqueue(tx, { userId: owner.id, id: email.event_id, type: stored.type, data: stored.data, createdAt: stored.created_at }),
    );

    // A later e-mail to the owner arrives after anything those two could have sent.
    openai.refuseNext();
    await generateMinutes('Sent after', 'en');
    await smtp.waitFor(toOwner(/^Minutes could not be generated: Sent after$/), 15_000);
    expect(smtp.messages.filter(toOwner(/Sent once/))).toHaveLength(1);
    // A message arrives a moment before its job records it sent.
    await expect.poll(async () => (await emailsOf(owner.id)).map((row) => [row.kind, row.status, row.attempts]), { timeout: 5000 }).toEqual([
      ['minutes_ready', 'sent', 1],
      ['minutes_failed', 'sent', 1],
    ]);
  });
});
