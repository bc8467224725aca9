/**
 * Background work at the rate events arrive. Over real HTTP on a real PostgreSQL:
 * - idle start: signed Zoom `participant_joined` webhooks sent one at a time while the workers
 *   idle; from the event's row being stored to its processing committed (database clocks).
 *   Target p50 ≤ 100 ms.
 * - throughput: EVENTS such webhooks sent 16 at a time, from the first stored to the last
 *   processed; with `npm start`'s single process (target ≥ 200 events/s) and with the API and a
 *   worker as separate processes (target ≥ 100 events/s).
 * - minutes request → 201 for 20-, 45- and 180-minute transcripts, the model (emulator) answering
 *   at once. Target < 500 ms.
 * Baseline, in the same run: one connection doing, per event and one after another, the SQL a
 * processed event costs (store the event, record the presence, mark it processed).
 * Run: npm run bench (BENCH_EVENTS, BENCH_ROUNDS for other sizes)
 */
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/lib/logger.js';
import { createServer, type Role } from '../src/server.js';
import { median, openBenchDatabase, ratio, tableOf } from './bench-database.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IDLE_SAMPLES = Number(process.env.BENCH_IDLE_SAMPLES ?? 20);
const SENDERS = 16;
const WEBHOOK_SECRET = 'bench-zoom-webhook-secret';

const log = createLogger({ level: 'silent', format: 'json' });
const database = await openBenchDatabase('jobs');
const env = {
  DATABASE_URL: database.url,
  DATA_DIR: database.dataDir,
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'silent',
  ZOOM_WEBHOOK_SECRET: WEBHOOK_SECRET,
  RATE_LIMIT_MAX_REQUESTS: '1000000',
  WEBHOOK_RATE_LIMIT_PER_MINUTE: '10000000',
};
const pool = database.pool(2);

try {
  const results: Record<string, string>[] = [];

  const single = await startServer('all', { EMULATORS: 'on' });
  const { token, zoomMeetingId, meetingId } = await scheduleMeeting(single.baseUrl);

  await warmUp(single.baseUrl, zoomMeetingId);
  const idle: number[] = [];
  for (let sample = 0; sample < IDLE_SAMPLES; sample++) {
    const [id] = await sendJoins(single.baseUrl, zoomMeetingId, 1);
    await waitProcessed([id!]);
    idle.push(await startToProcessedMs(id!));
    await sleep(100);
  }

  const baselineRates: number[] = [];
  const singleRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    baselineRates.push(await bareEventsPerSecond(meetingId));
    singleRates.push(await eventsPerSecond(single.baseUrl, zoomMeetingId));
  }

  const minutesMs: Record<number, number[]> = { 20: [], 45: [], 180: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const minutes of [20, 45, 180]) minutesMs[minutes]!.push(await minutesRequestMs(single.baseUrl, token, minutes));
  }
  await single.stop();

  const api = await startServer('api', { EMULATORS: 'off' });
  const worker = await startWorkerProcess();
  await warmUp(api.baseUrl, zoomMeetingId);
  const splitRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) splitRates.push(await eventsPerSecond(api.baseUrl, zoomMeetingId));
  await worker.stop();
  await api.stop();

  const baseline = median(baselineRates);
  results.push(
    { work: 'bare SQL, one connection, serial (baseline)', value: `${baseline.toFixed(0)} events/s`, ratio: '1.00×', target: '' },
    { work: `jobs, npm start (one process), ${EVENTS} events`, value: `${median(singleRates).toFixed(0)} events/s`, ratio: ratio(median(singleRates), baseline), target: '≥ 200 events/s' },
    { work: `jobs, API + worker processes, ${EVENTS} events`, value: `${median(splitRates).toFixed(0)} events/s`, ratio: ratio(median(splitRates), baseline), target: '≥ 100 events/s' },
    { work: 'idle worker: stored → processed, p50', value: `${median(idle).toFixed(0)} ms`, ratio: '', target: '≤ 100 ms' },
    ...[20, 45, 180].map((minutes) => ({ work: `minutes request → 201, ${minutes}-min transcript`, value: `${median(minutesMs[minutes]!).toFixed(0)} ms`, ratio: '', target: '< 500 ms' })),
  );
  process.stdout.write(`\nJobs (${os.cpus().length} cores, ${ROUNDS} rounds, medians)\n${tableOf(results)}\n`);
} finally {
  await database.close();
}

async function startServer(role: Role, extra: Record<string, string>) {
  const config = loadConfig({ ...env, ...extra });
  const server = await createServer(config, { role, log, jobs: [] });
  const baseUrl = (await server.listen())!;
  return { baseUrl, stop: () => server.stop() };
}

/** `npm run start:worker`, as production runs it: its own process, same database and secrets. */
async function startWorkerProcess() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], { env: { ...process.env, ...env, EMULATORS: 'off' }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function scheduleMeeting(baseUrl: string) {
  const registered = await postJson(`${baseUrl}/v1/auth/register`, { email: `bench-${Date.now()}@example.com`, password: 'bench password 123' });
  const { token } = (await registered.json()) as { token: string };
  const created = await postJson(`${baseUrl}/v1/meetings`, { topic: 'Conselho', startTime: new Date(Date.now() + 86_400_000).toISOString(), duration: 60 }, token);
  const { meeting } = (await created.json()) as { meeting: { id: string; zoomMeetingId: string } };
  return { token, zoomMeetingId: meeting.zoomMeetingId, meetingId: meeting.id };
}

function postJson(url: string, body: unknown, token?: string, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(body),
  });
}

/** Sends `count` participant_joined webhooks, SENDERS at a time; returns the stored events' ids. */
async function sendJoins(baseUrl: string, zoomMeetingId: string, count: number): Promise<string[]> {
  const uuids = Array.from({ length: count }, () => randomUUID());
  let next = 0;
  const sendNext = async (): Promise<void> => {
    const index = next++;
    if (index >= count) return;
    const body = JSON.stringify({
      event: 'meeting.participant_joined',
      event_ts: Date.now(),
      payload: { object: { id: zoomMeetingId, uuid: uuids[index], participant: { email: `p-${uuids[index]}@example.com`, user_name: 'Bench', join_time: new Date().toISOString() } } },
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', WEBHOOK_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const response = await fetch(`${baseUrl}/v1/webhooks/zoom`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zm-request-timestamp': timestamp, 'x-zm-signature': signature },
      body,
    });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
    return sendNext();
  };
  await Promise.all(Array.from({ length: Math.min(SENDERS, count) }, sendNext));
  const { rows } = await pool.query<{ id: string }>("SELECT id FROM webhook_events WHERE payload->'payload'->'object'->>'uuid' = ANY($1)", [uuids]);
  if (rows.length !== count) throw new Error(`${count} webhooks answered 200 but ${rows.length} were stored`);
  return rows.map((row) => row.id);
}

/** Until the workers have processed a few events: started, connected, code loaded. */
async function warmUp(baseUrl: string, zoomMeetingId: string) {
  await waitProcessed(await sendJoins(baseUrl, zoomMeetingId, 20));
}

async function waitProcessed(ids: string[]) {
  for (;;) {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_events WHERE processed AND id = ANY($1)', [ids]);
    if (rows[0]!.n === ids.length) return;
    await sleep(20);
  }
}

async function startToProcessedMs(id: string): Promise<number> {
  const { rows } = await pool.query<{ ms: string }>('SELECT extract(epoch FROM processed_at - created_at) * 1000 AS ms FROM webhook_events WHERE id = $1', [id]);
  return Number(rows[0]!.ms);
}

async function eventsPerSecond(baseUrl: string, zoomMeetingId: string): Promise<number> {
  const ids = await sendJoins(baseUrl, zoomMeetingId, EVENTS);
  await waitProcessed(ids);
  const { rows } = await pool.query<{ seconds: string }>('SELECT extract(epoch FROM max(processed_at) - min(created_at)) AS seconds FROM webhook_events WHERE id = ANY($1)', [ids]);
  return EVENTS / Number(rows[0]!.seconds);
}

async function bareEventsPerSecond(meetingId: string): Promise<number> {
  const client = await pool.connect();
  try {
    const started = performance.now();
    for (let index = 0; index < EVENTS; index++) {
      const uuid = randomUUID();
      const { rows } = await client.query<{ id: string }>(
        "INSERT INTO webhook_events (provider, event_type, delivery_key, payload) VALUES ('zoom', 'meeting.participant_joined', $1, $2) RETURNING id",
        [uuid, { uuid }],
      );
      await client.query(
        `INSERT INTO participants (meeting_id, email, name, joined_at) VALUES ($1, $2, 'Bench', now())
         ON CONFLICT (meeting_id, email) DO UPDATE SET joined_at = least(participants.joined_at, excluded.joined_at)`,
        [meetingId, `bare-${uuid}@example.com`],
      );
      await client.query('UPDATE webhook_events SET processed = true, processed_at = now() WHERE id = $1', [rows[0]!.id]);
    }
    return EVENTS / ((performance.now() - started) / 1000);
  } finally {
    client.release();
  }
}

/** A meeting held elsewhere with an uploaded transcript of `minutes` minutes; POST its minutes, time to 201. */
async function minutesRequestMs(baseUrl: string, token: string, minutes: number): Promise<number> {
  const created = await postJson(`${baseUrl}/v1/meetings`, { topic: 'Assembleia', startTime: '2026-01-10T13:00:00Z', duration: minutes, onZoom: false }, token);
  const { meeting } = (await created.json()) as { meeting: { id: string } };
  const uploaded = await fetch(`${baseUrl}/v1/meetings/${meeting.id}/transcript`, {
    method: 'POST',
    headers: { 'content-type': 'text/vtt', authorization: `Bearer ${token}` },
    body: vttOf(minutes),
  });
  if (uploaded.status !== 201) throw new Error(`transcript upload answered ${uploaded.status}`);
  const started = performance.now();
  const response = await postJson(`${baseUrl}/v1/meetings/${meeting.id}/minutes`, { language: 'pt-BR' }, token);
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`minutes answered ${response.status}`);
  return performance.now() - started;
}

function vttOf(minutes: number): string {
  const speakers = ['Ana Souza', 'Bruno Lima', 'Carla Dias', 'Diego Reis'];
  const clock = (seconds: number) => new Date(seconds * 1000).toISOString().slice(11, 23);
  const turns = Math.floor((minutes * 60) / 4.5);
  const cues = Array.from({ length: turns }, (_, index) =>
    [String(index + 1), `${clock(index * 4.5)} --> ${clock(index * 4.5 + 4)}`, `${speakers[index % speakers.length]}: Comentário ${index} sobre o orçamento e os indicadores do trimestre.`, ''].join('\n'),
  );
  return ['WEBVTT', '', ...cues].join('\n');
}
