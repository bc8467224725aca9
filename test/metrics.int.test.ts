import { execFileSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators/openai/openai-emulator.js';
import { startZoomEmulator, type ZoomEmulator } from '../emulators/zoom/zoom-emulator.js';
import { defineJob } from '../src/jobs/job.js';
import { createLogger } from '../src/lib/logger.js';
import { DATABASE_METRICS_CACHE_MS, registerDatabaseMetrics } from '../src/modules/metrics/metrics.database.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { openaiServerEnv, startTestServer, zoomServerEnv } from './helpers/server.js';
import { bearer, postJson, registerUser, type TestUser } from './helpers/users.js';

const zoomCredentials = { accountId: 'acct-met', clientId: 'client-met', clientSecret: 'secret-met', webhookSecret: 'zoom-webhook-secret-met' };
const METRICS_TOKEN = 'metrics-scraper-token-0123456789';
// Registered, worked by no process: its job waits. The failing one is worked by instance A and fails for good.
const idleJob = defineJob({ name: 'metrics-test-idle', payloadSchema: z.object({}).passthrough(), handler: async () => undefined });
const failingJob = defineJob({ name: 'metrics-test-failing', payloadSchema: z.object({}).passthrough(), retryLimit: 0, handler: async () => Promise.reject(new Error('fails on purpose')) });

/** Our own metric families: what promtool's lint must pass (the default process/nodejs ones are prom-client's). */
const ownFamilies = [
  'http_request_duration_seconds',
  'provider_requests_total',
  'provider_request_duration_seconds',
  'provider_circuit_breaker_state',
  'ata_generation_duration_seconds',
  'database_metrics_up',
  'meetings',
  'ata_generations',
  'envelopes',
  'webhook_events',
  'webhook_processing_lag_seconds',
  'emails',
  'job_queue_jobs',
  'job_queue_oldest_waiting_seconds',
];

interface Exposition {
  help: Map<string, string>;
  type: Map<string, string>;
  /** `name{a="x",b="y"}` (labels sorted) → value. */
  samples: Map<string, number>;
}

function parseExposition(text: string): Exposition {
  const exposition: Exposition = { help: new Map(), type: new Map(), samples: new Map() };
  for (const line of text.split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) exposition[meta[1] === 'HELP' ? 'help' : 'type'].set(meta[2]!, meta[3]!);
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) continue;
    const labels = [...(sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map(([, name, value]) => `${name}="${value}"`).sort();
    exposition.samples.set(`${sample[1]}{${labels.join(',')}}`, Number(sample[3]));
  }
  return exposition;
}

const series = (name: string, labels: Record<string, string> = {}) =>
  `${name}{${Object.entries(labels)
    .map(([label, value]) => `${label}="${value}"`)
    .sort()
    .join(',')}}`;

describe('metrics', () => {
  let zoom: ZoomEmulator;
  let openai: OpenAIEmulator;
  let database: TestDatabase;
  let a: Server;
  let b: Server;
  let urlA: string;
  let urlB: string;
  let user: TestUser;
  let env: Record<string, string>;

  beforeAll(async () => {
    zoom = await startZoomEmulator({ credentials: zoomCredentials });
    openai = await startOpenAIEmulator({ apiKey: 'sk-test-metrics', contextTokens: 16_384 });
    database = await createTestDatabase();
    env = {
      ...zoomServerEnv(zoom),
      ...openaiServerEnv(openai),
      ZOOM_WEBHOOK_SECRET: zoomCredentials.webhookSecret,
      OPENAI_CONTEXT_TOKENS: '16384',
      OPENAI_MAX_TOKENS: '2000',
      MINUTES_WAIT_MS: '20000',
      METRICS_TOKEN,
      RATE_LIMIT_MAX_REQUESTS: '10000',
    };
    // Two instances of one deployment: A runs the API and the workers, B only the API.
    a = await startTestServer({ databaseUrl: database.url, env, jobs: [failingJob] });
    b = await startTestServer({ databaseUrl: database.url, env, role: 'api' });
    urlA = (await a.listen())!;
    urlB = (await b.listen())!;
    user = await registerUser(urlB);
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await database.drop();
    await openai.stop();
    await zoom.stop();
  });

  async function scrape(baseUrl: string): Promise<Exposition> {
    const response = await fetch(`${baseUrl}/v1/metrics`, { headers: bearer(METRICS_TOKEN) });
    expect(response.status).toBe(200);
    return parseExposition(await response.text());
  }
  const valueOf = (exposition: Exposition, name: string, labels: Record<string, string> = {}) => exposition.samples.get(series(name, labels)) ?? 0;
  /** The business numbers both instances report: they must agree. */
  async function scrapeBoth() {
    const [fromA, fromB] = await Promise.all([scrape(urlA), scrape(urlB)]);
    return { fromA, fromB };
  }
  const businessSeries = (exposition: Exposition) =>
    [...exposition.samples].filter(([key]) => /^(meetings|ata_generations|envelopes|webhook_events|job_queue_jobs)\{/.test(key)).sort(([x], [y]) => x.localeCompare(y));

  async function createMeeting(baseUrl = urlB) {
    const response = await postJson(`${baseUrl}/v1/meetings`, { topic: 'Métricas', startTime: new Date(Date.now() + 86_400_000).toISOString(), duration: 30 }, bearer(user.token));
    return { status: response.status, body: await readJson(response) };
  }
  async function until<T>(read: () => Promise<T>, isDone: (value: T) => boolean): Promise<T> {
    for (let attempt = 0; attempt < 120; attempt++) {
      const value = await read();
      if (isDone(value)) return value;
      await sleep(250);
    }
    return read();
  }

  it('counts meetings, generations and envelopes from the database: two instances report the same numbers', async () => {
    const before = await scrape(urlA);
    const created = await createMeeting();
    expect(created.status).toBe(201);
    const meetingId: string = created.body.meeting.id;
    const uploaded = await fetch(`${urlB}/v1/meetings/${meetingId}/transcript`, {
      method: 'POST',
      headers: { ...bearer(user.token), 'content-type': 'text/plain; charset=utf-8' },
      body: 'Maria: Declaro aberta a reunião.\nJoão: Aprovado o orçamento por unanimidade.',
    });
    expect(uploaded.status).toBe(201);
    const generated = await postJson(`${urlB}/v1/meetings/${meetingId}/minutes`, {}, bearer(user.token));
    const { minutes } = await readJson(generated);
    await until(
      async () => (await readJson(await fetch(`${urlB}/v1/minutes/${minutes.id}`, { headers: bearer(user.token) }))).minutes.status,
      (status) => status !== 'generating',
    );
    await a.database.pool.query(`INSERT INTO docusign_envelopes (meeting_minutes_id, user_id, status) VALUES ($1, $2, 'sent')`, [minutes.id, user.id]);
    await a.database.pool.query(`INSERT INTO outbound_emails (user_id, kind, event_id, recipient, language, facts, status) VALUES ($1, 'signed_ata', 'metrics-test', 'a@example.com', 'pt-BR', '{}', 'failed')`, [user.id]);

    const { fromA, fromB } = await scrapeBoth();
    for (const exposition of [fromA, fromB]) {
      expect(valueOf(exposition, 'meetings', { status: 'scheduled' })).toBe(valueOf(before, 'meetings', { status: 'scheduled' }) + 1);
      expect(valueOf(exposition, 'ata_generations', { outcome: 'succeeded' })).toBe(valueOf(before, 'ata_generations', { outcome: 'succeeded' }) + 1);
      expect(valueOf(exposition, 'ata_generations', { outcome: 'in_progress' })).toBe(0);
      expect(valueOf(exposition, 'envelopes', { status: 'sent' })).toBe(valueOf(before, 'envelopes', { status: 'sent' }) + 1);
      expect(exposition.samples.has(series('envelopes', { status: 'completed' }))).toBe(true); // present at 0
      expect(valueOf(exposition, 'emails', { kind: 'signed_ata', status: 'failed' })).toBe(valueOf(before, 'emails', { kind: 'signed_ata', status: 'failed' }) + 1);
      expect(exposition.samples.has(series('emails', { kind: 'minutes_ready', status: 'sent' }))).toBe(true); // present at 0
      expect(valueOf(exposition, 'database_metrics_up')).toBe(1);
    }
    expect(businessSeries(fromB)).toEqual(businessSeries(fromA));
    // The generation ran on A's workers: its duration is A's own, not B's.
    expect(valueOf(fromA, 'ata_generation_duration_seconds_count', { outcome: 'succeeded' })).toBe(1);
    expect(valueOf(fromB, 'ata_generation_duration_seconds_count', { outcome: 'succeeded' })).toBe(0);
    expect(valueOf(fromA, 'provider_requests_total', { provider: 'openai', operation: 'chatCompletionsCreate', outcome: 'success' })).toBeGreaterThanOrEqual(1);
  });

  it('reads the database once per cache period: scrapes within it see the same numbers, the next one sees the change', async () => {
    // The server's own registry, as the servers build it, with a short period (the default is DATABASE_METRICS_CACHE_MS).
    const registry = new Registry();
    const cacheMs = 1500;
    let clockMs = 0;
    registerDatabaseMetrics(registry, { database: a.database, jobs: a.jobs, log: createLogger({ level: 'silent', format: 'json' }), cacheMs, now: () => clockMs });
    const scheduled = async () => valueOf(parseExposition(await registry.metrics()), 'meetings', { status: 'scheduled' });
    const before = await scheduled();
    expect((await createMeeting()).status).toBe(201);
    // Within the period: the first read serves these scrapes (two at once, too), the new meeting unseen.
    clockMs = cacheMs - 1;
    expect(await Promise.all([scheduled(), scheduled()])).toEqual([before, before]);
    clockMs = cacheMs;
    expect(await scheduled()).toBe(before + 1);
    expect(DATABASE_METRICS_CACHE_MS).toBe(10_000);
  });

  it('counts webhook events by provider, type and outcome, and the processing lag of those waiting', async () => {
    const { body } = await createMeeting();
    const before = await scrape(urlB);
    const event = JSON.stringify({ event: 'meeting.started', event_ts: Date.now(), payload: { account_id: zoomCredentials.accountId, object: { id: body.meeting.zoomMeetingId, uuid: randomUUID() } } });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', zoomCredentials.webhookSecret).update(`v0:${timestamp}:${event}`).digest('hex')}`;
    const delivered = await fetch(`${urlB}/v1/webhooks/zoom`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': timestamp, 'x-zm-signature': signature }, body: event });
    expect(delivered.status).toBe(200);
    const processed = { provider: 'zoom', type: 'meeting.started', outcome: 'processed' };
    await until(() => scrape(urlB), (exposition) => valueOf(exposition, 'webhook_events', processed) > valueOf(before, 'webhook_events', processed));
    // An event received two minutes ago that nothing has attempted yet, one that failed, and two
    // an admin dismissed (one after it failed, one before any attempt).
    await a.database.pool.query(
      `INSERT INTO webhook_events (provider, event_type, delivery_key, payload, dispatched_at, created_at, error, dismissed_at)
       VALUES ('docusign', 'envelope-sent', $1, '{}', now(), now() - interval '120 seconds', NULL, NULL),
              ('docusign', 'envelope-completed', $2, '{}', now(), now() - interval '1 hour', 'docusign http_404', NULL),
              ('docusign', 'envelope-declined', $3, '{}', now(), now() - interval '1 hour', 'docusign http_404', now()),
              ('docusign', 'envelope-voided', $4, '{}', now(), now() - interval '1 hour', NULL, now())`,
      [randomUUID(), randomUUID(), randomUUID(), randomUUID()],
    );

    const { fromA, fromB } = await scrapeBoth();
    for (const exposition of [fromA, fromB]) {
      expect(valueOf(exposition, 'webhook_events', processed)).toBe(valueOf(before, 'webhook_events', processed) + 1);
      expect(valueOf(exposition, 'webhook_events', { provider: 'docusign', type: 'envelope-sent', outcome: 'pending' })).toBe(1);
      expect(valueOf(exposition, 'webhook_events', { provider: 'docusign', type: 'envelope-completed', outcome: 'failed' })).toBe(1);
      // Dismissed is an outcome of its own: neither failed nor pending.
      for (const type of ['envelope-declined', 'envelope-voided']) {
        expect(valueOf(exposition, 'webhook_events', { provider: 'docusign', type, outcome: 'dismissed' }), type).toBe(1);
        expect(exposition.samples.has(series('webhook_events', { provider: 'docusign', type, outcome: 'failed' })), type).toBe(false);
        expect(exposition.samples.has(series('webhook_events', { provider: 'docusign', type, outcome: 'pending' })), type).toBe(false);
      }
      // Neither the failed event nor the dismissed ones are waiting: they do not hold the lag at an hour.
      expect(valueOf(exposition, 'webhook_processing_lag_seconds', { provider: 'docusign' })).toBeGreaterThanOrEqual(120);
      expect(valueOf(exposition, 'webhook_processing_lag_seconds', { provider: 'docusign' })).toBeLessThan(600);
      expect(valueOf(exposition, 'webhook_processing_lag_seconds', { provider: 'zoom' })).toBe(0);
    }
    expect(businessSeries(fromB)).toEqual(businessSeries(fromA));
  });

  it('reports each queue: a waiting job and its age, and a job that failed for good', async () => {
    await b.jobs.register([idleJob]);
    await b.jobs.enqueue(idleJob, {});
    await a.jobs.enqueue(failingJob, {});
    const { fromA, fromB } = await until(scrapeBoth, ({ fromA: read }) => valueOf(read, 'job_queue_jobs', { queue: failingJob.name, state: 'failed' }) === 1);
    for (const exposition of [fromA, fromB]) {
      expect(valueOf(exposition, 'job_queue_jobs', { queue: idleJob.name, state: 'waiting' })).toBe(1);
      expect(valueOf(exposition, 'job_queue_oldest_waiting_seconds', { queue: idleJob.name })).toBeGreaterThan(0);
      expect(valueOf(exposition, 'job_queue_jobs', { queue: failingJob.name, state: 'failed' })).toBe(1);
      expect(valueOf(exposition, 'job_queue_oldest_waiting_seconds', { queue: failingJob.name })).toBe(0);
    }
  });

  it("counts this instance's requests to Zoom by operation and outcome, errors and retries included", async () => {
    const zoomRequest = (outcome: string, operation = 'meetingCreate') => ({ provider: 'zoom', operation, outcome });
    expect((await createMeeting()).status).toBe(201); // the token is fetched and cached
    const before = await scrape(urlB);
    const beforeA = await scrape(urlA);

    zoom.failNext({ status: 429, retryAfterSec: 0 }); // retried: one rate-limited request, then one that succeeds
    expect((await createMeeting()).status).toBe(201);
    zoom.failNext({ status: 500 }); // a create is not repeated after a 5xx: the call fails
    expect((await createMeeting()).status).toBe(502);

    const after = await scrape(urlB);
    expect(valueOf(after, 'provider_requests_total', zoomRequest('success'))).toBe(valueOf(before, 'provider_requests_total', zoomRequest('success')) + 1);
    expect(valueOf(after, 'provider_requests_total', zoomRequest('rate_limited'))).toBe(valueOf(before, 'provider_requests_total', zoomRequest('rate_limited')) + 1);
    expect(valueOf(after, 'provider_requests_total', zoomRequest('server_error'))).toBe(valueOf(before, 'provider_requests_total', zoomRequest('server_error')) + 1);
    expect(valueOf(after, 'provider_request_duration_seconds_count', zoomRequest('server_error'))).toBe(valueOf(before, 'provider_request_duration_seconds_count', zoomRequest('server_error')) + 1);
    expect(valueOf(after, 'provider_circuit_breaker_state', { provider: 'zoom', state: 'closed' })).toBe(1);
    expect(valueOf(after, 'provider_circuit_breaker_state', { provider: 'zoom', state: 'open' })).toBe(0);
    // Per instance: A sent none of these.
    expect(valueOf(await scrape(urlA), 'provider_requests_total', zoomRequest('server_error'))).toBe(valueOf(beforeA, 'provider_requests_total', zoomRequest('server_error')));
  });

  it("serves a worker's own metrics on METRICS_PORT, to METRICS_TOKEN or an admin only; without it a worker listens on nothing", async () => {
    const listeners = () => process.getActiveResourcesInfo().filter((type) => type === 'TCPServerWrap').length;
    const before = listeners();
    const silent = await startTestServer({ databaseUrl: database.url, env, role: 'worker' });
    try {
      expect(await silent.listen()).toBeUndefined();
      expect(silent.metricsApp).toBeUndefined();
      expect(listeners()).toBe(before);
    } finally {
      await silent.stop();
    }

    // Worked by this worker alone (no other process has it): a Zoom call from a job, run once `worker` is up.
    const zoomJob = defineJob({
      name: 'metrics-test-worker-zoom',
      payloadSchema: z.object({}).passthrough(),
      retryLimit: 0,
      handler: async () => void (await worker.services.zoomClients.for(zoomCredentials).meetingCreate({ topic: 'Do worker' })),
    });
    const worker = await startTestServer({ databaseUrl: database.url, env: { ...env, METRICS_PORT: '0' }, role: 'worker', jobs: [zoomJob] });
    try {
      const url = (await worker.listen())!;
      expect(listeners()).toBe(before + 1);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await worker.jobs.enqueue(zoomJob, {});
      const meetingCreated = { provider: 'zoom', operation: 'meetingCreate', outcome: 'success' };
      const exposition = await until(() => scrape(url), (read) => valueOf(read, 'provider_requests_total', meetingCreated) === 1);
      expect(valueOf(exposition, 'provider_requests_total', meetingCreated)).toBe(1);
      expect(exposition.type.get('ata_generation_duration_seconds')).toBe('histogram');
      expect(valueOf(exposition, 'database_metrics_up')).toBe(1); // the business gauges too, as on the API

      expect((await fetch(`${url}/v1/metrics`)).status).toBe(401);
      const asUser = await fetch(`${url}/v1/metrics`, { headers: bearer(user.token) });
      expect(asUser.status).toBe(403);
      expect((await readJson(asUser)).code).toBe('forbidden');
      expect((await fetch(`${url}/v1/metrics`, { headers: bearer('not-the-metrics-token-0123456789') })).status).toBe(401);
      const admin = await registerUser(urlB);
      await a.database.pool.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [admin.id]);
      const asAdmin = await fetch(`${url}/v1/metrics`, { headers: bearer(admin.token) });
      expect(asAdmin.status).toBe(200);
      expect(await asAdmin.text()).toContain('# TYPE provider_requests_total counter');
      const live = await fetch(`${url}/v1/health/live`);
      expect([live.status, await readJson(live)]).toEqual([200, { status: 'ok' }]);
      // Nothing of the API: a worker is not a way in.
      const api = await fetch(`${url}/v1/meetings`, { headers: bearer(user.token) });
      expect([api.status, (await readJson(api)).code]).toEqual([404, 'route_not_found']);
    } finally {
      await worker.stop();
    }
    expect(listeners()).toBe(before);
  });

  it("passes promtool's lint rules: help, _total only on counters, base units, snake_case, bounded labels", async () => {
    const response = await fetch(`${urlA}/v1/metrics`, { headers: bearer(METRICS_TOKEN) });
    const text = await response.text();
    const exposition = parseExposition(text);
    const nonBaseUnits = /(^|_)(minutes|hours|days|weeks|milliseconds|microseconds|nanoseconds|ms|us|ns|sec|secs|s|min|hr|kb|mb|gb|bits)(_|$)/;
    // Ids, URLs, e-mails, numbers: unbounded values. (`route` holds route templates: /v1/meetings/:id.)
    const idLike = /[0-9a-f]{8}-[0-9a-f]{4}-|https?:|@|^\d+$/i;
    for (const family of ownFamilies) {
      const type = exposition.type.get(family);
      expect(type, family).toBeDefined();
      expect(exposition.help.get(family), family).toMatch(/\S/);
      expect(family).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(family.endsWith('_total'), family).toBe(type === 'counter');
      expect(family, family).not.toMatch(nonBaseUnits);
      if (type === 'histogram') expect(family, family).toMatch(/_seconds$/);
      const keys = [...exposition.samples.keys()].filter((key) => key.replace(/_(bucket|sum|count)\{/, '{').startsWith(`${family}{`));
      expect(keys.length, family).toBeGreaterThan(0);
      for (const key of keys) {
        for (const [, label, value] of key.matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) {
          expect(label, key).toMatch(/^[a-z][a-z0-9_]*$/);
          if (label !== 'le' && label !== 'status_code') expect(value, key).not.toMatch(idLike);
        }
      }
    }
    // promtool itself, where it is installed (`apt-get install prometheus`, or PROMTOOL=path).
    const promtool = process.env.PROMTOOL ?? 'promtool';
    let available = true;
    try {
      execFileSync(promtool, ['--version'], { stdio: 'ignore' });
    } catch {
      available = false;
    }
    if (available) {
      const ours = text
        .split('\n')
        .filter((line) => ownFamilies.some((family) => new RegExp(`^(# (HELP|TYPE) )?${family}(_bucket|_sum|_count)?[ {]`).test(line)))
        .join('\n');
      let problems = '';
      try {
        execFileSync(promtool, ['check', 'metrics'], { input: `${ours}\n`, encoding: 'utf8', stdio: 'pipe' });
      } catch (error) {
        const failed = error as { status?: number; stdout?: string; stderr?: string };
        problems = `exit ${failed.status}: ${failed.stdout ?? ''}${failed.stderr ?? ''}`;
      }
      expect(problems).toBe('');
    }
  });
});
