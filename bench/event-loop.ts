/**
 * Heavy work must not stall the service. With `npm start`'s single process (API and jobs), over
 * real HTTP, measures the event loop's delay (p99 and max: the stall any other request, such as
 * `/v1/health/live`, would see), the process's RSS above idle at its peak and the time to 201:
 * - while WebVTT transcripts of 12 and 20 MB are received, parsed (in a worker thread) and stored;
 * - while minutes are generated at once for several 3-hour meetings and their PDFs rendered, the
 *   model (the emulator, in the same process) answering at once: twice, the first time right
 *   after start (the tokenizer not yet loaded).
 * Baseline, in the same run: the event loop's delay while idle for 2 s.
 * Targets: p99 delay ≤ 100 ms; RSS ≤ 150 MB above idle for 20 MB.
 * Run: npm run bench (BENCH_TRANSCRIPT_MB="12 20", BENCH_GENERATIONS=5 for other sizes)
 */
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/lib/logger.js';
import { createServer } from '../src/server.js';
import { openBenchDatabase } from './bench-database.js';

const SIZES_MB = (process.env.BENCH_TRANSCRIPT_MB ?? '12 20').split(/\s+/).map(Number);
const GENERATIONS = Number(process.env.BENCH_GENERATIONS ?? 5);
const database = await openBenchDatabase('event_loop');
const config = loadConfig({
  DATABASE_URL: database.url,
  DATA_DIR: database.dataDir,
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'silent',
  RATE_LIMIT_MAX_REQUESTS: '1000000',
  MINUTES_WAIT_MS: '120000',
});
const server = await createServer(config, { role: 'all', log: createLogger(config.log), jobs: [] });
const baseUrl = (await server.listen())!;

try {
  const registered = await post('/v1/auth/register', JSON.stringify({ email: `bench-${Date.now()}@example.com`, password: 'bench password 123' }));
  const { token } = (await registered.json()) as { token: string };
  const rows: string[][] = [['work', 'p99 loop delay', 'max loop delay', 'RSS above idle (peak)', 'time to 201']];

  // Warm: the parsing thread started, the route and the database connections used once.
  await upload(token, vttOf(0.1));
  const idle = await observe(async () => sleep(2000));
  rows.push(['idle, 2 s (baseline)', ms(idle.p99), ms(idle.max), `${idle.rssAboveIdleMb.toFixed(0)} MB`, '']);

  for (const sizeMb of SIZES_MB) {
    const body = Buffer.from(vttOf(sizeMb)); // encoded before watching: the client shares this event loop
    const observed = await observe(() => upload(token, body));
    rows.push([`upload ${sizeMb} MB WebVTT (${observed.result.turns.toLocaleString('en')} turns)`, ms(observed.p99), ms(observed.max), `${observed.rssAboveIdleMb.toFixed(0)} MB`, ms(observed.elapsedMs)]);
  }

  const threeHours = vttOf(0, 180);
  for (const round of ['first after start', 'again']) {
    const meetingIds = await Promise.all(Array.from({ length: GENERATIONS }, async () => (await upload(token, threeHours)).meetingId));
    const generated = await observe(() => Promise.all(meetingIds.map((meetingId) => generateMinutes(token, meetingId))));
    rows.push([`${GENERATIONS} minutes at once, 3-hour transcripts, PDFs rendered (${round})`, ms(generated.p99), ms(generated.max), `${generated.rssAboveIdleMb.toFixed(0)} MB`, ms(generated.elapsedMs)]);
  }

  process.stdout.write(`\nThe event loop under heavy work, npm start's single process (${os.cpus().length} cores)\n${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}\nTargets: p99 loop delay ≤ 100 ms; RSS ≤ 150 MB above idle for 20 MB.\n`);
} finally {
  await server.stop();
  await database.close();
}

function post(route: string, body: string | Buffer, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

async function upload(token: string, vtt: string | Buffer) {
  const auth = { authorization: `Bearer ${token}` };
  const created = await post('/v1/meetings', JSON.stringify({ topic: 'Assembleia', startTime: '2026-01-10T13:00:00Z', duration: 180, onZoom: false }), auth);
  const { meeting } = (await created.json()) as { meeting: { id: string } };
  const response = await post(`/v1/meetings/${meeting.id}/transcript`, vtt, { ...auth, 'content-type': 'text/vtt' });
  if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
  const answer = (await response.json()) as { pagination: { total: number } };
  return { meetingId: meeting.id, turns: answer.pagination.total };
}

/** Asks for the minutes and waits for them, PDF included (the route answers 201 once it is rendered). */
async function generateMinutes(token: string, meetingId: string) {
  const response = await post(`/v1/meetings/${meetingId}/minutes`, JSON.stringify({ language: 'pt-BR' }), { authorization: `Bearer ${token}` });
  if (response.status !== 201) throw new Error(`minutes answered ${response.status}: ${await response.text()}`);
  const answer = (await response.json()) as { pdfUrl?: string };
  if (!answer.pdfUrl) throw new Error('minutes answered without their PDF');
}

/** Runs `work` while watching the event loop's delay and the process's RSS. */
async function observe<T>(work: () => Promise<T>) {
  global.gc?.();
  await sleep(200);
  const idleRss = process.memoryUsage().rss;
  let peakRss = idleRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const started = performance.now();
  const result = await work();
  const elapsedMs = performance.now() - started;
  delay.disable();
  clearInterval(sampler);
  return { result, elapsedMs, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6, rssAboveIdleMb: (peakRss - idleRss) / 1024 / 1024 };
}

/** A transcript just under `sizeMb` (bytes, so 20 MB stays within the limit), or of `minutes` of speech. */
function vttOf(sizeMb: number, minutes = Infinity): string {
  const speakers = ['Ana Souza', 'Bruno Lima', 'Carla Dias', 'Diego Reis'];
  const clock = (seconds: number) => new Date(seconds * 1000).toISOString().slice(11, 23);
  const cues: string[] = ['WEBVTT', ''];
  let size = 0;
  for (let index = 0; index * 4.5 < minutes * 60; index++) {
    const cue = `${index + 1}\n${clock(index * 4.5)} --> ${clock(index * 4.5 + 4)}\n${speakers[index % speakers.length]}: Comentário ${index} sobre o orçamento e os indicadores do trimestre.\n`;
    size += Buffer.byteLength(cue) + 1;
    if (sizeMb && size > sizeMb * 1024 * 1024 - 1024) break;
    cues.push(cue);
  }
  return cues.join('\n');
}

function ms(value: number) {
  return `${value.toFixed(0)} ms`;
}
