/**
 * The API under load, against the limit of its SQL. On a real PostgreSQL seeded with
 * MEETINGS meetings (one user owning 10,000, all older than everyone else's) and AUDIT audit rows,
 * three servers run as separate processes: Atas (compiled first with `npm run build`, then run as
 * in production, `node --max-semi-space-size=8 dist/src/api.js`), a bare node:http + pg +
 * fast-json-stringify server and an Express 5 + pg server, both running the same SQL as Atas
 * (baseline-sql.ts). autocannon (50 connections) loads each in turn, rounds interleaved:
 * `GET /v1/meetings?page=1&limit=20`, `GET /v1/meetings/:id` (5 participants) and signed Zoom
 * webhooks (every 2xx is counted in the database). Prints req/s, latency, errors, CPU per request
 * (the server process's own, from /proc) and RSS, medians of ROUNDS, with ratios.
 * Run: npm run bench (BENCH_LOAD_MEETINGS, BENCH_LOAD_AUDIT, BENCH_LOAD_SECONDS, BENCH_LOAD_ROUNDS;
 * BENCH_LOAD_WORK=webhooks runs only the work whose name contains it)
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { migrateDatabase } from '../../src/db/migrate.js';
import { findFreePort } from '../../src/lib/ports.js';
import { median, openBenchDatabase } from '../bench-database.js';

const MEETINGS = Number(process.env.BENCH_LOAD_MEETINGS ?? 1_000_000);
const AUDIT = Number(process.env.BENCH_LOAD_AUDIT ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_LOAD_ROUNDS ?? 3);
const OWNED = Math.min(10_000, MEETINGS);
const CONNECTIONS = 50;
const secrets = { JWT_SECRET: 'load-bench-jwt-secret-0123456789-abcdef', ZOOM_WEBHOOK_SECRET: 'load-bench-zoom-secret' };

const bench = await openBenchDatabase('load');
const databaseUrl = bench.url;
const dataDir = bench.dataDir;
await migrateDatabase(databaseUrl);
const pool = bench.pool(2);

// Measured as it runs in production: tsx, the loader of `npm start`, holds ~30 MB of its own.
execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });

interface Target {
  name: string;
  url: string;
  process: ChildProcess;
}

try {
  const targets: Target[] = [
    // BENCH_LOAD_ATAS_NODE_OPTIONS: e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile Atas under this load.
    await startTarget('Atas', [...(process.env.BENCH_LOAD_ATAS_NODE_OPTIONS?.split(' ').filter(Boolean) ?? []), '--max-semi-space-size=8', 'dist/src/api.js'], { EMULATORS: 'off', LOG_LEVEL: 'warn', RATE_LIMIT_MAX_REQUESTS: '1000000', WEBHOOK_RATE_LIMIT_PER_MINUTE: '10000000', DATA_DIR: dataDir }),
    await startTarget('bare', ['--import', 'tsx', 'bench/load/baseline-bare.ts']),
    await startTarget('Express', ['--import', 'tsx', 'bench/load/baseline-express.ts']),
  ];
  const atas = targets[0]!;
  const token = await registerOwner(atas.url);
  const { meetingId } = await seed();
  for (const target of targets) await waitReady(target, token);
  const idleRss = Object.fromEntries(targets.map((target) => [target.name, rssMbOf(target.process.pid!)]));

  const work = [
    { name: 'GET /v1/meetings?page=1&limit=20', request: { method: 'GET' as const, path: '/v1/meetings?page=1&limit=20', headers: { authorization: `Bearer ${token}` } } },
    { name: 'GET /v1/meetings/:id (5 participants)', request: { method: 'GET' as const, path: `/v1/meetings/${meetingId}`, headers: { authorization: `Bearer ${token}` } } },
    { name: 'POST /v1/webhooks/zoom (signed, stored)', request: { method: 'POST' as const, path: '/v1/webhooks/zoom', setupRequest: signedZoomEvent } },
  ].filter((item) => item.name.includes(process.env.BENCH_LOAD_WORK ?? ''));
  const results = new Map<string, Measured[]>();
  const peakRss = Object.fromEntries(targets.map((target) => [target.name, idleRss[target.name]!]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const item of work) {
      for (const target of targets) {
        const measured = await load(target, item.request, (rss) => (peakRss[target.name] = Math.max(peakRss[target.name]!, rss)));
        results.set(`${item.name}|${target.name}`, [...(results.get(`${item.name}|${target.name}`) ?? []), measured]);
      }
    }
  }

  const rows = [['work', 'server', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'CPU µs/req', 'vs bare', 'vs Express']];
  for (const item of work) {
    const of = (name: string) => medianOf(results.get(`${item.name}|${name}`)!);
    const bare = of('bare');
    const express = of('Express');
    for (const target of targets) {
      const measured = of(target.name);
      rows.push([
        item.name,
        target.name,
        measured.rps.toFixed(0),
        measured.p50.toFixed(1),
        measured.p99.toFixed(1),
        String(measured.errors),
        measured.cpuMicros.toFixed(0),
        `${(measured.rps / bare.rps).toFixed(2)}×`,
        `${(measured.rps / express.rps).toFixed(2)}×`,
      ]);
    }
  }
  const memory = targets.map((target) => `${target.name} ${idleRss[target.name]!.toFixed(0)} MB idle, ${peakRss[target.name]!.toFixed(0)} MB at most under load`).join('; ');
  process.stdout.write(
    `\nAPI under load (${os.cpus().length} cores, ${CONNECTIONS} connections, ${SECONDS} s per run, medians of ${ROUNDS} interleaved rounds; ` +
      `${MEETINGS.toLocaleString('en')} meetings, ${AUDIT.toLocaleString('en')} audit rows)\n${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}\nRSS: ${memory}\n`,
  );
  for (const target of targets) {
    target.process.kill('SIGTERM');
    await new Promise((resolve) => target.process.once('exit', resolve));
  }
} finally {
  await bench.close();
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  cpuMicros: number;
}

async function startTarget(name: string, args: string[], env: Record<string, string> = {}): Promise<Target> {
  const port = await findFreePort();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...secrets, ...env, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  bench.onClose(async () => void child.kill('SIGKILL'));
  return { name, url: `http://127.0.0.1:${port}`, process: child };
}

async function waitReady(target: Target, token: string) {
  for (let attempt = 0; attempt < 300; attempt++) {
    const status = await fetch(`${target.url}/v1/meetings?page=1&limit=1`, { headers: { authorization: `Bearer ${token}` } }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(100);
  }
  throw new Error(`${target.name} did not start`);
}

async function registerOwner(atasUrl: string): Promise<string> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const response = await fetch(`${atasUrl}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@example.com', password: 'load bench password' }),
    }).catch(() => undefined);
    if (response?.status === 201) return ((await response.json()) as { token: string }).token;
    await sleep(100);
  }
  throw new Error('Atas did not start');
}

/** The owner's meetings are the oldest; the others belong to 100 users; one meeting has 5 participants. */
async function seed() {
  const owner = (await pool.query<{ id: string }>("SELECT id FROM users WHERE email = 'owner@example.com'")).rows[0]!.id;
  const others = (await pool.query<{ id: string }>(`INSERT INTO users (email, password_hash) SELECT 'user-' || n || '@example.com', 'x' FROM generate_series(1, 100) n RETURNING id`)).rows.map((row) => row.id);
  await pool.query(
    `INSERT INTO meetings (user_id, topic, start_time, duration, status)
     SELECT $1, 'Reunião ' || n, timestamptz '2020-01-01' + make_interval(mins => n), 60, 'completed' FROM generate_series(1, $2::int) n`,
    [owner, OWNED],
  );
  await pool.query(
    `INSERT INTO meetings (user_id, topic, start_time, duration, status)
     SELECT ($1::uuid[])[1 + n % 100], 'Reunião ' || n, timestamptz '2020-01-01' + make_interval(mins => n), 60, 'scheduled' FROM generate_series($2::int, $3::int) n`,
    [others, OWNED + 1, MEETINGS],
  );
  await pool.query(
    `INSERT INTO audit_logs (user_id, action, resource_type, resource_id, ip_address)
     SELECT ($1::uuid[])[1 + n % 100], 'meeting.create', 'meeting', gen_random_uuid(), '127.0.0.1' FROM generate_series(1, $2::int) n`,
    [others, AUDIT],
  );
  const meetingId = (await pool.query<{ id: string }>('SELECT id FROM meetings WHERE user_id = $1 ORDER BY start_time DESC LIMIT 1', [owner])).rows[0]!.id;
  await pool.query(`INSERT INTO participants (meeting_id, email, name) SELECT $1, 'p' || n || '@example.com', 'Participante ' || n FROM generate_series(1, 5) n`, [meetingId]);
  await pool.query('VACUUM ANALYZE');
  return { meetingId };
}

function signedZoomEvent(request: autocannon.Request): autocannon.Request {
  const body = JSON.stringify({ event: 'meeting.participant_joined', event_ts: Date.now(), payload: { object: { id: '0', uuid: randomUUID(), participant: { email: 'x@example.com' } } } });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', secrets.ZOOM_WEBHOOK_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { ...request, body, headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': timestamp, 'x-zm-signature': signature } };
}

async function load(target: Target, request: autocannon.Request, onRss: (rssMb: number) => void): Promise<Measured> {
  const pid = target.process.pid!;
  const rowsBefore = await webhookRows();
  const cpuBefore = cpuMicrosOf(pid);
  const sampler = setInterval(() => onRss(rssMbOf(pid)), 250);
  const result = await autocannon({ url: target.url, connections: CONNECTIONS, duration: SECONDS, requests: [request] });
  clearInterval(sampler);
  const cpuMicros = cpuMicrosOf(pid) - cpuBefore;
  const ok = result['2xx'];
  if (request.method === 'POST') {
    const stored = (await webhookRows()) - rowsBefore;
    // Requests still in flight when the run ends are stored but not counted: more rows is fine, fewer is a loss.
    if (stored < ok) throw new Error(`${target.name}: ${ok} webhooks answered 2xx but only ${stored} rows were stored`);
  }
  return { rps: ok / SECONDS, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts + result.non2xx, cpuMicros: cpuMicros / Math.max(1, result.requests.total) };
}

async function webhookRows(): Promise<number> {
  return Number((await pool.query<{ count: string }>('SELECT count(*) FROM webhook_events')).rows[0]!.count);
}

/** User + system CPU time of a process so far, from /proc (Linux). */
function cpuMicrosOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}

function rssMbOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) / 1024;
}

function medianOf(measured: Measured[]): Measured {
  return {
    rps: median(measured.map((item) => item.rps)),
    p50: median(measured.map((item) => item.p50)),
    p99: median(measured.map((item) => item.p99)),
    errors: measured.reduce((sum, item) => sum + item.errors, 0),
    cpuMicros: median(measured.map((item) => item.cpuMicros)),
  };
}
