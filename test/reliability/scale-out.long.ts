import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDocuSignEmulator, type DocuSignEmulator } from '../../emulators/docusign/docusign-emulator.js';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators/openai/openai-emulator.js';
import { startZoomEmulator, type ZoomEmulator } from '../../emulators/zoom/zoom-emulator.js';
import { findFreePort } from '../../src/lib/ports.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { readJson } from '../helpers/http.js';
import { docusignServerEnv, openaiServerEnv, zoomServerEnv } from '../helpers/server.js';
import { makeSharedTempDir } from '../helpers/temp-dir.js';
import { bearer, login, postJson, registerUser } from '../helpers/users.js';

const CONNECT_KEY = 'scale-out-connect-key-0123456789';
const zoomCredentials = { accountId: 'acc-scale', clientId: 'client-scale', clientSecret: 'secret-scale', webhookSecret: 'scale-out-zoom-webhook-secret' };
const transcript = [
  'WEBVTT',
  '',
  '1',
  '00:00:01.000 --> 00:00:05.000',
  'Maria Souza: Declaro aberta a reunião do conselho.',
  '',
  '2',
  '00:00:06.000 --> 00:00:10.000',
  'João Lima: Fica aprovado por unanimidade o orçamento de 2027.',
  '',
  '3',
  '00:00:11.000 --> 00:00:15.000',
  'Maria Souza: Nada mais havendo a tratar, encerro a reunião.',
  '',
].join('\n');

interface Instance {
  child: ChildProcess;
  url: string;
  /** Every line it wrote to stdout (JSON logs), for what it received. */
  lines: string[];
}

function start(entry: string, env: Record<string, string>): Instance {
  const child = spawn(process.execPath, ['--max-semi-space-size=8', '--import', 'tsx', entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    lines.push(...complete);
  });
  return { child, url: env.PORT ? `http://127.0.0.1:${env.PORT}` : '', lines };
}

async function waitReady(instance: Instance) {
  for (let attempt = 0; attempt < 300 && instance.child.exitCode === null; attempt++) {
    if ((await fetch(`${instance.url}/v1/health/ready`).then((response) => response.status, () => 0)) === 200) return;
    await sleep(100);
  }
  throw new Error(`${instance.url} did not become ready (exit code ${instance.child.exitCode})`);
}

async function poll<T>(read: () => Promise<T>, isDone: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (isDone(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

/** One request on its own connection (no keep-alive): its status, or the socket error that ended it. */
function requestOnce(url: string, token: string): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, headers: bearer(token) }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode }));
      response.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
}

/**
 * Two API processes and one worker process on one PostgreSQL and one Redis: the whole flow
 * driven through both APIs in turn, as a load balancer would spread it.
 */
describe('scaled out: two APIs and a worker, one PostgreSQL, one Redis', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let zoom: ZoomEmulator;
  let openai: OpenAIEmulator;
  let docusign: DocuSignEmulator;
  let apiA: Instance;
  let apiB: Instance;
  let worker: Instance;

  beforeAll(async () => {
    const keys = await generateKeyPair('RS256', { extractable: true });
    zoom = await startZoomEmulator({ credentials: zoomCredentials });
    openai = await startOpenAIEmulator({ apiKey: 'sk-scale-out' });
    docusign = await startDocuSignEmulator({ integrationKey: 'ik-scale', userId: 'user-scale', publicKeyPem: await exportSPKI(keys.publicKey), hmacKeys: [CONNECT_KEY] });
    docusign.setConsent(true);
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    pool.on('error', () => undefined);
    const [portA, portB] = [await findFreePort(), await findFreePort()];
    const shared = {
      DATABASE_URL: database.url,
      REDIS_URL: inject('redisUrl'),
      DATA_DIR: makeSharedTempDir('atas-scale-out-'),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      EMULATORS: 'off',
      MINUTES_WAIT_MS: '20000',
      // The load below is one user's: the per-user limit would answer most of it with 429.
      RATE_LIMIT_MAX_REQUESTS: '1000000',
      JWT_SECRET: 'scale-out-jwt-secret-0123456789-abcdefgh',
      JWT_REFRESH_SECRET: 'scale-out-refresh-secret-0123456789-abcd',
      ENCRYPTION_KEY: '3f9a1c7e5b2d8046af13c9e7d5b20864fa31c7e9b5d20846af13c79e5b2d0864',
      ...zoomServerEnv(zoom),
      ZOOM_WEBHOOK_SECRET: zoomCredentials.webhookSecret,
      ...openaiServerEnv(openai),
      ...docusignServerEnv(docusign, { integrationKey: 'ik-scale', userId: 'user-scale', privateKeyPem: await exportPKCS8(keys.privateKey), connectHmacKeys: [CONNECT_KEY] }),
    };
    apiA = start('src/api.ts', { ...shared, PORT: String(portA), PUBLIC_BASE_URL: `http://127.0.0.1:${portA}` });
    apiB = start('src/api.ts', { ...shared, PORT: String(portB), PUBLIC_BASE_URL: `http://127.0.0.1:${portB}` });
    // The envelopes the worker sends name API B as their Connect listener.
    worker = start('src/worker.ts', { ...shared, PUBLIC_BASE_URL: `http://127.0.0.1:${portB}` });
    await Promise.all([waitReady(apiA), waitReady(apiB)]);
  }, 120_000);

  afterAll(async () => {
    for (const instance of [apiA, apiB, worker]) instance?.child.kill('SIGKILL');
    await pool?.end();
    await database?.drop();
    await Promise.all([zoom?.stop(), openai?.stop(), docusign?.stop()]);
  });

  it('runs the whole flow through both APIs in turn: every webhook stored and processed once, every job run once', async () => {
    const [a, b] = [apiA.url, apiB.url];
    const user = await registerUser(a, { name: 'Secretária' });
    const auth = bearer(user.token);

    const created = await postJson(`${b}/v1/meetings`, { topic: 'Conselho de Administração', startTime: '2027-01-10T13:00:00Z', duration: 60 }, auth);
    const { meeting } = await readJson(created);
    expect(created.status).toBe(201);

    // Zoom ends the meeting and delivers the transcript; each webhook reaches both APIs, as a retry would.
    zoom.addRecording(meeting.zoomMeetingId, transcript);
    const ended = zoom.endMeeting(meeting.zoomMeetingId, [{ name: 'Maria Souza', email: 'maria@example.com' }, { name: 'João Lima', email: 'joao@example.com' }]);
    const transcriptCompleted = zoom.transcriptCompletedEvent(meeting.zoomMeetingId);
    for (const event of [ended, transcriptCompleted]) {
      const answers = await Promise.all([zoom.sendWebhook(`${a}/v1/webhooks/zoom`, event), zoom.sendWebhook(`${b}/v1/webhooks/zoom`, event)]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    }
    await poll(
      async () => (await readJson(await fetch(`${a}/v1/meetings/${meeting.id}/transcript`, { headers: auth }))) as { turns?: unknown[] },
      (body) => Array.isArray(body.turns),
      'the transcript fetched by the worker',
    );

    const generated = await postJson(`${a}/v1/meetings/${meeting.id}/minutes`, { language: 'pt-BR' }, auth);
    const { minutes } = await readJson(generated);
    expect(generated.status).toBe(201);
    const finalized = await fetch(`${b}/v1/minutes/${minutes.id}`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'finalized' }) });
    expect((await readJson(finalized)).minutes.pdfUrl).toBe(`/v1/minutes/${minutes.id}/pdf`);

    const signers = [{ email: 'maria@example.com', name: 'Maria Souza' }, { email: 'joao@example.com', name: 'João Lima' }];
    const sent = await readJson(await postJson(`${a}/v1/minutes/${minutes.id}/send-for-signature`, { signers }, auth));
    expect(sent.envelope.status).toBe('sent');
    for (const signer of signers) await docusign.sign(sent.envelopeId, signer.email);
    // The completed message again, this time to API A: a second delivery of the same news.
    const completedMessage = docusign.connectDeliveries.find((delivery) => delivery.event === 'envelope-completed')!;
    expect(completedMessage.url).toBe(`${b}/v1/webhooks/docusign`);
    const redelivered = await fetch(`${a}/v1/webhooks/docusign`, { method: 'POST', headers: completedMessage.headers, body: completedMessage.body });
    expect(redelivered.status).toBe(200);
    const envelope = await poll(
      async () => (await readJson(await fetch(`${b}/v1/docusign/envelopes/${sent.envelopeId}`, { headers: auth }))).envelope,
      (current) => Boolean(current.signedPdfSha256),
      'the signed PDF stored',
    );
    expect(envelope.status).toBe('completed');
    const signedPdf = await fetch(`${a}/v1/minutes/${minutes.id}/signed-pdf`, { headers: auth });
    expect(signedPdf.headers.get('x-content-sha256')).toBe(envelope.signedPdfSha256);

    // Each webhook was stored once (duplicates recognised whichever API got them) and processed once.
    // DocuSign's `envelope-sent` can arrive before the sender has recorded the envelope: its job is
    // retried by design (EnvelopeNotRecordedYet), so the events are awaited, not read at once.
    type StoredEvent = { provider: string; event_type: string; processed: boolean; error: string | null };
    const webhookEvents = await poll(
      async () => (await pool.query<StoredEvent>('SELECT provider, event_type, processed, error FROM webhook_events')).rows,
      (events) => events.every((event) => event.processed),
      'every webhook event processed',
    );
    expect(webhookEvents.filter((event) => event.provider === 'zoom').map((event) => event.event_type).sort()).toEqual(['meeting.ended', 'recording.transcript_completed']);
    expect(webhookEvents.filter((event) => event.provider === 'docusign' && event.event_type === 'envelope-completed')).toHaveLength(1);
    expect(webhookEvents.filter((event) => event.error)).toEqual([]);
    // Every job of the flow ran once: no job was taken by two workers; the flow's own jobs at their first attempt.
    const { rows: jobs } = await pool.query<{ name: string; state: string; retry_count: number }>(
      "SELECT name, state, retry_count FROM pgboss.job WHERE name NOT IN ('reconcile-envelopes', 'fail-stalled-generations', 'sweep-orphan-files') AND name NOT LIKE '%cleanup%'",
    );
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.filter((job) => job.state !== 'completed')).toEqual([]);
    const flowJobs = ['generate-minutes', 'render-minutes-pdf', 'send-envelope', 'fetch-signed-documents'];
    expect(jobs.filter((job) => flowJobs.includes(job.name) && job.retry_count !== 0)).toEqual([]);
    const runs = (name: string) => jobs.filter((job) => job.name === name).length;
    expect({ generate: runs('generate-minutes'), send: runs('send-envelope'), fetchSigned: runs('fetch-signed-documents') }).toEqual({ generate: 1, send: 1, fetchSigned: 1 });
    // What the jobs did, once: one generated version, one envelope created at DocuSign.
    const { rows: versions } = await pool.query<{ source: string }>('SELECT source FROM minutes_versions WHERE minutes_id = $1', [minutes.id]);
    expect(versions.map((version) => version.source)).toEqual(['generated']);
    expect(docusign.envelopes.size).toBe(1);
  });

  it('holds rate limits and logouts across instances', async () => {
    const user = await registerUser(apiA.url);
    // Five failed logins a minute per e-mail and address, counted in Redis: spread over both APIs, the sixth is refused.
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      statuses.push((await login(attempt % 2 === 0 ? apiA.url : apiB.url, { email: user.email, password: 'not the password' })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);

    const session = await registerUser(apiB.url);
    expect((await fetch(`${apiA.url}/v1/user/profile`, { headers: bearer(session.token) })).status).toBe(200);
    expect((await fetch(`${apiB.url}/v1/auth/logout`, { method: 'POST', headers: bearer(session.token) })).status).toBe(200);
    const afterLogout = await fetch(`${apiA.url}/v1/user/profile`, { headers: bearer(session.token) });
    expect(afterLogout.status).toBe(401);
    expect((await readJson(afterLogout)).code).toBe('session_revoked');
  });

  it('loses no request an API had accepted when it is stopped with SIGTERM under load; the other API goes on', async () => {
    const user = await registerUser(apiB.url);
    const outcomes = new Map<number, { status?: number; error?: string }>();
    let next = 0;
    let stopping = false;
    // Twenty clients in a loop, each request on a new connection, until API A refuses connections.
    const clients = Array.from({ length: 20 }, async () => {
      for (;;) {
        const id = next++;
        const outcome = await requestOnce(`${apiA.url}/v1/meetings?n=${id}`, user.token);
        outcomes.set(id, outcome);
        if (stopping && outcome.error) return;
      }
    });
    await poll(async () => outcomes.size, (count) => count >= 200, 'load on API A');
    const exited = new Promise<number | null>((resolve) => apiA.child.once('exit', resolve));
    stopping = true;
    apiA.child.kill('SIGTERM');
    await Promise.all(clients);
    expect(await exited).toBe(0);

    // Accepted: API A logged the request's arrival, and each of those got its answer. The others were
    // refused, or reset while still queued in the kernel (never read by the app): safe to send again.
    const accepted = new Set(apiA.lines.flatMap((line) => /"url":"\/v1\/meetings\?n=(\d+)"/.exec(line)?.slice(1) ?? []).map(Number));
    const lost = [...outcomes].filter(([id, outcome]) => accepted.has(id) && outcome.status === undefined);
    expect(lost).toEqual([]);
    const answered = [...outcomes].filter(([, outcome]) => outcome.status === 200);
    expect(answered.length).toBeGreaterThanOrEqual(200);
    expect(answered.every(([id]) => accepted.has(id))).toBe(true);
    expect([...outcomes.values()].filter((outcome) => outcome.error).every((outcome) => outcome.error === 'ECONNREFUSED' || outcome.error === 'ECONNRESET')).toBe(true);

    expect((await fetch(`${apiB.url}/v1/meetings`, { headers: bearer(user.token) })).status).toBe(200);
  });
});
