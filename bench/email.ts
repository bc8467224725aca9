/**
 * The e-mail queue's rate (`send-email`: 2 workers, batches of 5). Over real HTTP on a real
 * PostgreSQL, to an SMTP sink this run starts (smtp-server on 127.0.0.1: accepts everything,
 * counts, keeps nothing): one event that causes many e-mails. A meeting held elsewhere with EMAILS
 * participants, its transcript, minutes, finalized, sent to one signer, signed on the DocuSign
 * emulator: the envelope completes and every participant gets the signed ata attached (`signed_ata`).
 * - rate: those e-mails / (last sent_at − first created_at), once all are sent;
 * - the first e-mail's created_at → sent_at (the event's transaction and the workers' pick-up), and
 *   each e-mail's created_at → sent_at, p50 and p95.
 * Target: the queue sends at least half as fast as the baseline (≥ 0.5×).
 * Baseline, in the same run: nodemailer, one pooled transport to the same sink, sending EMAILS
 * messages of the same size (the signed PDF attached) one after another.
 * Run: npm run bench, or node --import tsx bench/email.ts (BENCH_EMAILS, BENCH_ROUNDS for other sizes)
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { emulatorControl, emulatorOrigin } from '../scripts/demo/run-demo.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/lib/logger.js';
import { findFreePort } from '../src/lib/ports.js';
import { createServer } from '../src/server.js';
import { median, openBenchDatabase, ratio, tableOf } from './bench-database.js';

const EMAILS = Number(process.env.BENCH_EMAILS ?? 300);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGET_RATIO = 0.5;
const MAIL_FROM = 'Atas <atas@example.com>';
const WAIT_MS = 60_000;

const log = createLogger({ level: 'silent', format: 'json' });
const database = await openBenchDatabase('email');
const pool = database.pool(2);
const sink = await startSink();
database.onClose(() => sink.stop());
const port = await findFreePort();
const config = loadConfig({
  DATABASE_URL: database.url,
  DATA_DIR: database.dataDir,
  HOST: '127.0.0.1',
  PORT: String(port),
  // The DocuSign emulator's Connect messages reach the server here.
  PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
  LOG_LEVEL: 'silent',
  EMULATORS: 'on',
  SMTP_HOST: sink.host,
  SMTP_PORT: String(sink.port),
  SMTP_REQUIRE_TLS: 'false',
  MAIL_FROM,
  RATE_LIMIT_MAX_REQUESTS: '1000000',
  WEBHOOK_RATE_LIMIT_PER_MINUTE: '10000000',
});

try {
  const server = await createServer(config, { role: 'all', log, jobs: [] });
  database.onClose(() => server.stop());
  const baseUrl = (await server.listen())!;
  const token = await register(baseUrl);
  const docusign = await docusignOrigin(baseUrl, token);

  const queueRates: number[] = [];
  const baselineRates: number[] = [];
  const firsts: number[] = [];
  const p50s: number[] = [];
  const p95s: number[] = [];
  let queueBytes = 0;
  let baselineBytes = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const measured = await queueRound(baseUrl, token, docusign, round);
    queueRates.push(measured.rate);
    firsts.push(measured.firstMs);
    p50s.push(measured.p50);
    p95s.push(measured.p95);
    queueBytes = measured.messageBytes;
    const baseline = await directRate(measured.signedPdf, measured.messageBytes, round);
    baselineRates.push(baseline.rate);
    baselineBytes = baseline.messageBytes;
  }

  const baseline = median(baselineRates);
  const queue = median(queueRates);
  const results = [
    { work: `nodemailer, one pooled transport, serial, ${kib(baselineBytes)} messages (baseline)`, value: `${baseline.toFixed(0)} e-mails/s`, ratio: '1.00×', target: '' },
    { work: `send-email queue (2 workers × 5), ${EMAILS} signed_ata, ${kib(queueBytes)} messages`, value: `${queue.toFixed(0)} e-mails/s`, ratio: ratio(queue, baseline), target: `≥ ${TARGET_RATIO.toFixed(2)}×: ${queue / baseline >= TARGET_RATIO ? 'met' : 'MISSED'}` },
    { work: 'send-email queue: created → first sent', value: `${median(firsts).toFixed(0)} ms`, ratio: '', target: '' },
    { work: 'send-email queue: created → sent, p50', value: `${median(p50s).toFixed(0)} ms`, ratio: '', target: '' },
    { work: 'send-email queue: created → sent, p95', value: `${median(p95s).toFixed(0)} ms`, ratio: '', target: '' },
  ];
  process.stdout.write(`\nE-mail queue (${os.cpus().length} cores, ${ROUNDS} rounds, medians)\n${tableOf(results)}\n`);
} finally {
  await database.close();
}

/** An SMTP server that accepts everything and keeps nothing: the messages' count and sizes, by recipient. */
async function startSink() {
  const received = { messages: 0, bytes: new Map<string, number>() };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 500,
    onData(stream, session, callback) {
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
      stream.on('end', () => {
        received.messages++;
        for (const rcpt of session.envelope.rcptTo) received.bytes.set(rcpt.address, bytes);
        callback(null, 'queued');
      });
    },
  });
  server.on('error', () => undefined); // a client that hangs up is no failure of the sink
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port: sinkPort } = server.server.address() as { port: number };
  return { host: '127.0.0.1', port: sinkPort, received, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function register(baseUrl: string): Promise<string> {
  const registered = await request(baseUrl, 'POST', '/v1/auth/register', undefined, { email: `bench-${Date.now()}@example.com`, password: 'bench password 123', name: 'Bench' });
  return ((await registered.json()) as { token: string }).token;
}

/** The DocuSign emulator's origin, read from the consent URL Atas gives. */
async function docusignOrigin(baseUrl: string, token: string): Promise<string> {
  const answered = await request(baseUrl, 'GET', '/v1/docusign/consent-url', token);
  return emulatorOrigin(((await answered.json()) as { consentUrl: string }).consentUrl, 'docusign');
}

/** One event, EMAILS e-mails: the signed ata to every participant of a new meeting. */
async function queueRound(baseUrl: string, token: string, docusign: string, round: number) {
  const receivedBefore = sink.received.messages;
  const participants = Array.from({ length: EMAILS }, (_, index) => ({ email: `participant-${round}-${index}@example.com`, name: `Participante ${index}` }));
  const created = await expectStatus(
    request(baseUrl, 'POST', '/v1/meetings', token, { topic: 'Conselho de Administração', startTime: '2026-01-10T13:00:00Z', duration: 30, onZoom: false, participants }),
    201,
  );
  const { meeting } = (await created.json()) as { meeting: { id: string } };
  await expectStatus(
    request(baseUrl, 'POST', `/v1/meetings/${meeting.id}/transcript`, token, 'Ana Souza: Declaro aberta a reunião.\nBruno Lima: Aprovado o orçamento por unanimidade.\nAna Souza: Encerrada a reunião.', 'text/plain'),
    201,
  );
  const generated = await expectStatus(request(baseUrl, 'POST', `/v1/meetings/${meeting.id}/minutes`, token, { language: 'pt-BR' }), 201);
  const { minutes } = (await generated.json()) as { minutes: { id: string } };
  await expectStatus(request(baseUrl, 'PATCH', `/v1/minutes/${minutes.id}`, token, { status: 'finalized' }), 200);
  const signer = participants[0]!;
  const sent = await whenReady(() => request(baseUrl, 'POST', `/v1/minutes/${minutes.id}/send-for-signature`, token, { signers: [signer] }));
  let envelopeId = ((await sent.json()) as { envelopeId?: string | null }).envelopeId ?? undefined;
  for (const started = Date.now(); !envelopeId; await sleep(50)) {
    // 202: DocuSign has not given the id yet.
    if (Date.now() - started > WAIT_MS) throw new Error('no envelope id');
    const details = (await (await request(baseUrl, 'GET', `/v1/minutes/${minutes.id}`, token)).json()) as { envelope?: { envelopeId?: string | null } | null };
    envelopeId = details.envelope?.envelopeId ?? undefined;
  }
  await emulatorControl(`${docusign}/emulator/envelopes/${encodeURIComponent(envelopeId)}/signers/${encodeURIComponent(signer.email)}/sign`, {});

  await waitAllSent(minutes.id);
  if (sink.received.messages - receivedBefore < EMAILS) throw new Error(`${EMAILS} e-mails recorded sent, ${sink.received.messages - receivedBefore} received`);
  const { rows } = await pool.query<{ seconds: string; firstMs: string; p50: string; p95: string }>(
    `SELECT extract(epoch FROM max(sent_at) - min(created_at)) AS seconds,
            extract(epoch FROM min(sent_at) - min(created_at)) * 1000 AS "firstMs",
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - created_at)) * 1000 AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM sent_at - created_at)) * 1000 AS p95
       FROM outbound_emails WHERE kind = 'signed_ata' AND facts->>'minutesId' = $1`,
    [minutes.id],
  );
  const signedPdf = Buffer.from(await (await expectStatus(request(baseUrl, 'GET', `/v1/minutes/${minutes.id}/signed-pdf`, token), 200)).arrayBuffer());
  const messageBytes = sink.received.bytes.get(participants[1 % EMAILS]!.email);
  if (messageBytes === undefined) throw new Error('the sink received no signed ata');
  return { rate: EMAILS / Number(rows[0]!.seconds), firstMs: Number(rows[0]!.firstMs), p50: Number(rows[0]!.p50), p95: Number(rows[0]!.p95), signedPdf, messageBytes };
}

/** Until every signed_ata e-mail of the minutes is written and sent; a failed one stops the bench. */
async function waitAllSent(minutesId: string) {
  const started = Date.now();
  for (;;) {
    const { rows } = await pool.query<{ total: number; sent: number; failed: number }>(
      `SELECT count(*)::int AS total, (count(*) FILTER (WHERE status = 'sent'))::int AS sent, (count(*) FILTER (WHERE status = 'failed'))::int AS failed
         FROM outbound_emails WHERE kind = 'signed_ata' AND facts->>'minutesId' = $1`,
      [minutesId],
    );
    const { total, sent, failed } = rows[0]!;
    if (failed > 0) throw new Error(`${failed} signed_ata e-mails failed`);
    if (total === EMAILS && sent === EMAILS) return;
    if (Date.now() - started > WAIT_MS) throw new Error(`after ${WAIT_MS / 1000} s: ${total} of ${EMAILS} signed_ata e-mails written, ${sent} sent`);
    await sleep(50);
  }
}

/** EMAILS messages of `messageBytes` (the signed PDF attached, the body padded) through one pooled nodemailer transport, one after another. */
async function directRate(signedPdf: Buffer, messageBytes: number, round: number) {
  const messageOf = (index: number, padding: number): SendMailOptions => ({
    from: MAIL_FROM,
    to: `"Participante ${index}" <baseline-${round}-${index}@example.com>`,
    subject: 'Ata assinada: Conselho de Administração',
    text: 'A ata assinada da reunião segue em anexo.',
    html: `<p>A ata assinada da reunião segue em anexo.</p>${`<!--${'x'.repeat(64)}-->\n`.repeat(Math.max(0, Math.floor(padding / 72)))}`,
    headers: { 'List-Unsubscribe': '<http://127.0.0.1/v1/notifications/unsubscribe?token=x>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click', 'Message-ID': `<${randomUUID()}@atas>` },
    attachments: [{ filename: 'ata-assinada.pdf', content: signedPdf, contentType: 'application/pdf' }],
  });
  // The padding that brings the message to the queue's size, as it would go over SMTP.
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const sizeWith = async (padding: number) => ((await composer.sendMail(messageOf(0, padding))) as unknown as { message: Buffer }).message.length;
  const bare = await sizeWith(0);
  const padding = Math.max(0, messageBytes - bare);

  const transport = nodemailer.createTransport({ pool: true, maxConnections: 1, maxMessages: 100, host: sink.host, port: sink.port, secure: false, ignoreTLS: true, logger: false, debug: false });
  try {
    await transport.sendMail(messageOf(-1, padding)); // connected before the clock starts
    const receivedBefore = sink.received.messages;
    const started = performance.now();
    for (let index = 0; index < EMAILS; index++) await transport.sendMail(messageOf(index, padding));
    const seconds = (performance.now() - started) / 1000;
    if (sink.received.messages - receivedBefore !== EMAILS) throw new Error(`${EMAILS} e-mails sent directly, ${sink.received.messages - receivedBefore} received`);
    return { rate: EMAILS / seconds, messageBytes: sink.received.bytes.get(`baseline-${round}-0@example.com`) ?? 0 };
  } finally {
    transport.close();
  }
}

function request(baseUrl: string, method: string, path: string, token?: string, body?: unknown, contentType = 'application/json') {
  return fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': contentType }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

async function expectStatus(answer: Promise<Response>, status: number): Promise<Response> {
  const response = await answer;
  if (response.status !== status) throw new Error(`${response.url} answered ${response.status}: ${await response.text()}`);
  return response;
}

/** A request answered 409 (the PDF still rendering) tried again until it succeeds. */
async function whenReady(send: () => Promise<Response>): Promise<Response> {
  const started = Date.now();
  for (;;) {
    const response = await send();
    if (response.status === 200 || response.status === 201 || response.status === 202) return response;
    const text = await response.text();
    if (response.status !== 409 || Date.now() - started > WAIT_MS) throw new Error(`${response.url} answered ${response.status}: ${text}`);
    await sleep(100);
  }
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}
