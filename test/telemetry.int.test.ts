import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob } from '../src/jobs/job.js';
import { loggerOptions } from '../src/lib/logger.js';
import { createServer } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { readJson } from './helpers/http.js';
import { testConfig } from './helpers/server.js';
import { makeSharedTempDir } from './helpers/temp-dir.js';
import { bearer, postJson, registerUser } from './helpers/users.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  scope: string;
  attributes: Record<string, unknown>;
}
const SPAN_KIND = { server: 2, client: 3, consumer: 5 };

/** An OTLP/HTTP collector, as small as one can be: keeps the spans POSTed (JSON) to /v1/traces. */
async function startOtlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const otherPaths: string[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url !== '/v1/traces' || !request.headers['content-type']?.startsWith('application/json')) otherPaths.push(`${request.url} ${request.headers['content-type']}`);
      else {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        for (const resourceSpans of body.resourceSpans ?? []) {
          for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
            for (const span of scopeSpans.spans ?? []) {
              const attributes = Object.fromEntries((span.attributes ?? []).map((attribute: { key: string; value: Record<string, unknown> }) => [attribute.key, Object.values(attribute.value)[0]]));
              spans.push({ traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId || undefined, name: span.name, kind: span.kind, scope: scopeSpans.scope?.name, attributes });
            }
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, otherPaths, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Every Atas a test started: one a timed-out test never got the handle of is still stopped (afterEach). */
const started = new Set<ChildProcess>();

/** `npm start` as an operator runs it (emulators on, our test database), with every module it loads recorded. */
async function startAtas(database: TestDatabase, env: Record<string, string>) {
  const modulesFile = path.join(makeSharedTempDir('atas-telemetry-'), 'modules.txt');
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(ZOOM|OPENAI|DOCUSIGN|OTEL|REDIS)_/.test(name)));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--import', './test/helpers/loaded-modules.ts', 'src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...inherited,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      DATABASE_URL: database.url,
      DATA_DIR: makeSharedTempDir('atas-telemetry-data-'),
      LOADED_MODULES_FILE: modulesFile,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = once(child, 'exit');
  const logLines = () => output.split('\n').flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as Record<string, unknown>] : []));
  const startedLine = await waitFor('atas started', () => {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output}`);
    return logLines().find((line) => line.msg === 'atas started');
  }, 30_000);
  return {
    baseUrl: startedLine.url as string,
    /** What Node itself printed: a warning (a deprecation, an experimental API) is a defect. */
    warnings: () => output.match(/^\(node:\d+\) .*Warning.*$/gm) ?? [],
    /** Stops it as an orchestrator does (SIGTERM) and returns the modules it loaded. */
    async stop(): Promise<string[]> {
      child.kill('SIGTERM');
      await exited;
      return fs.readFileSync(modulesFile, 'utf8').split('\n');
    },
  };
}

const transcript = ['Ana: Bom dia, declaro aberta a reunião do conselho.', 'Bruno: Proponho aprovar o orçamento de 2025.', 'Ana: Aprovado por unanimidade. Encerrada a reunião.'].join('\n');

/** A request that enqueues a job which calls a provider: minutes written by the (emulated) OpenAI. */
async function requestMinutes(baseUrl: string, requestId: string) {
  const user = await registerUser(baseUrl);
  const created = await postJson(`${baseUrl}/v1/meetings`, { topic: 'Conselho', startTime: new Date(Date.now() + 86_400_000).toISOString(), duration: 60 }, bearer(user.token));
  const { meeting } = await readJson(created);
  expect(created.status, JSON.stringify(meeting)).toBe(201);
  const uploaded = await fetch(`${baseUrl}/v1/meetings/${meeting.id}/transcript`, { method: 'POST', headers: { ...bearer(user.token), 'content-type': 'text/plain' }, body: transcript });
  expect(uploaded.status).toBe(201);
  const minutes = await postJson(`${baseUrl}/v1/meetings/${meeting.id}/minutes`, {}, { ...bearer(user.token), 'x-request-id': requestId, prefer: 'respond-async' });
  expect(minutes.status).toBeLessThan(300);
}

const isOpenTelemetryBeyondTheApi = (url: string) => /node_modules\/(@opentelemetry\/(?!api\/)|@fastify\/otel\/|import-in-the-middle\/|require-in-the-middle\/)/.test(url);

// Each test starts Atas as a process of its own (tsx compiles it first): more than the default 30 s on a loaded machine.
describe('traces', { timeout: 60_000 }, () => {
  let database: TestDatabase;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    for (const child of started) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });
  afterAll(async () => {
    await receiver?.close();
    await database?.drop();
  });

  it('exports one trace from the HTTP request through its SQL and the job it enqueued to the job\'s provider call', async () => {
    const atas = await startAtas(database, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'atas-under-test', OTEL_BSP_SCHEDULE_DELAY: '100' });
    try {
      await requestMinutes(atas.baseUrl, 'req-traced-minutes');
      const jobSpan = await waitFor('the job span', () => receiver.spans.find((span) => span.name === 'job generate-minutes'));
      const inTrace = () => receiver.spans.filter((span) => span.traceId === jobSpan.traceId);
      const byId = () => new Map(inTrace().map((span) => [span.spanId, span]));
      const ancestorsOf = (span: ReceivedSpan) => {
        const chain: ReceivedSpan[] = [];
        for (let parent = byId().get(span.parentSpanId ?? ''); parent; parent = byId().get(parent.parentSpanId ?? '')) chain.push(parent);
        return chain;
      };
      const providerCall = await waitFor('the job\'s call to OpenAI', () =>
        inTrace().find((span) => span.kind === SPAN_KIND.client && span.scope === '@opentelemetry/instrumentation-undici' && String(span.attributes['url.full']).endsWith('/chat/completions')),
      );
      const request = await waitFor('the request\'s server span', () => inTrace().find((span) => span.kind === SPAN_KIND.server && !span.parentSpanId));

      expect(request.name).toBe('POST /v1/meetings/:meetingId/minutes');
      expect(jobSpan.kind).toBe(SPAN_KIND.consumer);
      expect(ancestorsOf(jobSpan).at(-1)).toEqual(request);
      expect(ancestorsOf(providerCall)).toContainEqual(jobSpan);
      const sql = inTrace().filter((span) => span.scope === '@opentelemetry/instrumentation-pg' && span.name.startsWith('pg.query'));
      expect(sql.some((span) => ancestorsOf(span).includes(jobSpan))).toBe(true);
      expect(sql.some((span) => !ancestorsOf(span).includes(jobSpan))).toBe(true);
    } finally {
      const modules = await atas.stop();
      expect(modules.filter(isOpenTelemetryBeyondTheApi)).not.toEqual([]);
      expect(atas.warnings()).toEqual([]);
    }
    expect(receiver.otherPaths).toEqual([]);
  });

  it('loads nothing of OpenTelemetry beyond its no-op API without OTEL_EXPORTER_OTLP_ENDPOINT', async () => {
    const atas = await startAtas(database, {});
    let modules: string[] = [];
    try {
      await requestMinutes(atas.baseUrl, 'req-untraced-minutes');
    } finally {
      modules = await atas.stop();
    }
    expect(atas.warnings()).toEqual([]);
    expect(modules.some((url) => url.includes('/src/server.ts'))).toBe(true);
    expect(modules.filter(isOpenTelemetryBeyondTheApi)).toEqual([]);
    expect(modules.some((url) => url.endsWith('/src/telemetry.sdk.ts'))).toBe(false);
  });

  it('gives a job the id of the request that enqueued it, in its log lines, beside a payload its schema alone validates', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(JSON.parse(chunk.toString('utf8'))), done()) });
    const handled: unknown[] = [];
    const strictJob = defineJob({
      name: 'test-request-id',
      payloadSchema: z.strictObject({ label: z.string() }),
      retryLimit: 0,
      handler: async (payload, context) => {
        handled.push(payload);
        context.log.info('handled');
      },
    });
    const config = testConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'info' });
    const server = await createServer(config, { role: 'all', log: pino(loggerOptions(config.log), sink), jobs: [strictJob], jobPollingIntervalSec: 0.5 });
    try {
      server.app!.post('/v1/test/enqueue', async () => {
        await sleep(5); // the id outlives an await
        await server.jobs.enqueue(strictJob, { label: 'from a request' });
        return { enqueued: true };
      });
      const response = await server.app!.inject({ method: 'POST', url: '/v1/test/enqueue', headers: { 'x-request-id': 'req-job-logs-1', 'content-type': 'application/json' }, payload: '{}' });
      expect(response.statusCode).toBe(200);
      const line = await waitFor('the job\'s log line', () => lines.find((entry) => entry.msg === 'handled'));
      expect(line).toMatchObject({ job: 'test-request-id', requestId: 'req-job-logs-1' });
      expect(handled).toEqual([{ label: 'from a request' }]);
      const { rows } = await server.database.pool.query<{ data: unknown }>("SELECT data FROM pgboss.job WHERE name = 'test-request-id'");
      // Without OpenTelemetry there is no trace context to carry: the request id alone.
      expect(rows.map((row) => row.data)).toEqual([{ label: 'from a request', _trace: { requestId: 'req-job-logs-1' } }]);

      // A job enqueued outside any request carries nothing.
      await server.jobs.enqueue(strictJob, { label: 'from nowhere' });
      const unattributed = await waitFor('the second job\'s log line', () => lines.filter((entry) => entry.msg === 'handled')[1]);
      expect(unattributed).not.toHaveProperty('requestId');
    } finally {
      await server.stop();
    }
  });
});
