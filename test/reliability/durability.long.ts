import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/lib/ports.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { makeSharedTempDir } from '../helpers/temp-dir.js';

const EVENTS = Number(process.env.DURABILITY_EVENTS ?? 2000);
const CONCURRENCY = 50;
const SECRET = 'durability-zoom-secret';
const CONNECT_KEY = 'durability-connect-hmac-key';
/** How long after the last acknowledgement every event must be processed (a job a kill cut off comes back after its 10 s heartbeat and the 10 s monitor). */
const PROCESSED_WITHIN_MS = 60_000;

/** A process tree of the service, started as `npm start` does (or as API and worker apart), killed with SIGKILL. */
function startService(entry: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--max-semi-space-size=8', '--import', 'tsx', entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function waitReady(url: string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    if ((await fetch(`${url}/v1/health/ready`).then((response) => response.status, () => 0)) === 200) return;
    await sleep(100);
  }
  throw new Error('the service did not become ready');
}

describe.each([
  { name: 'npm start (one process)', entries: ['src/main.ts'] },
  { name: 'API and worker as separate processes', entries: ['src/api.ts', 'src/worker.ts'] },
])('$name: 2,000 signed Zoom and DocuSign events, killed twice with SIGKILL', ({ entries }) => {
  let database: TestDatabase;
  let pool: pg.Pool;
  let url: string;
  let env: Record<string, string>;
  let processes: ChildProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    const port = await findFreePort();
    url = `http://127.0.0.1:${port}`;
    env = {
      DATABASE_URL: database.url,
      DATA_DIR: makeSharedTempDir('atas-durability-'),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      EMULATORS: 'off',
      ZOOM_WEBHOOK_SECRET: SECRET,
      DOCUSIGN_WEBHOOK_SECRET: CONNECT_KEY,
      WEBHOOK_RATE_LIMIT_PER_MINUTE: '10000000',
      JWT_SECRET: 'durability-jwt-secret-0123456789-abcdefgh',
      JWT_REFRESH_SECRET: 'durability-refresh-secret-0123456789-abcd',
      ENCRYPTION_KEY: '3f9a1c7e5b2d8046af13c9e7d5b20864fa31c7e9b5d20846af13c79e5b2d0864',
    };
    const owner = (await pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ('durable@example.com', 'x') RETURNING id")).rows[0]!;
    await pool.query("INSERT INTO meetings (user_id, zoom_meeting_id, topic, start_time, duration) VALUES ($1, '555000', 'Durável', now(), 60)", [owner.id]);
  });
  afterAll(async () => {
    for (const child of processes) child.kill('SIGKILL');
    await pool.end();
    await database.drop();
  });

  const start = async () => {
    processes = entries.map((entry) => startService(entry, env));
    await waitReady(url);
  };
  const killAll = async () => {
    await Promise.all(processes.map((child) => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGKILL')))));
  };

  it('stores every acknowledged event, re-sent ones once, and processes each exactly once', async () => {
    await start();
    // What a provider does: sends each event until it gets a 2xx, the same bytes every time.
    // Half Zoom participant events, half DocuSign Connect messages (about envelopes Atas never sent: applied as such).
    const deliveries = Array.from({ length: EVENTS }, (_, index) =>
      index % 2 === 0
        ? {
            provider: 'zoom' as const,
            body: JSON.stringify({
              event: 'meeting.participant_joined',
              event_ts: 1_800_000_000_000 + index,
              payload: { object: { id: '555000', uuid: 'durable', participant: { email: `p${index}@example.com`, user_name: `P ${index}`, join_time: '2026-12-01T10:00:00Z' } } },
            }),
          }
        : {
            provider: 'docusign' as const,
            body: JSON.stringify({ event: 'envelope-sent', generatedDateTime: '2020-01-01T00:00:00.000Z', data: { envelopeId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}` } }),
          },
    );
    let acknowledged = 0;
    let attempts = 0;
    const signed = ({ provider, body }: (typeof deliveries)[number]): Record<string, string> => {
      if (provider === 'docusign') return { 'x-docusign-signature-1': createHmac('sha256', CONNECT_KEY).update(body).digest('base64') };
      const timestamp = String(Math.floor(Date.now() / 1000));
      return { 'x-zm-request-timestamp': timestamp, 'x-zm-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}` };
    };
    const send = async (delivery: (typeof deliveries)[number]) => {
      for (;;) {
        attempts++;
        const status = await fetch(`${url}/v1/webhooks/${delivery.provider}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signed(delivery) },
          body: delivery.body,
          signal: AbortSignal.timeout(5000),
        }).then((response) => response.status, () => 0);
        if (status >= 200 && status < 300) return void acknowledged++;
        await sleep(100);
      }
    };
    let next = 0;
    const senders = Array.from({ length: CONCURRENCY }, async () => {
      while (next < deliveries.length) await send(deliveries[next++]!);
    });
    const kills: number[] = [];
    const killer = (async () => {
      for (const at of [0.3, 0.65]) {
        while (acknowledged < EVENTS * at) await sleep(5);
        kills.push(acknowledged);
        await killAll();
        await sleep(300);
        await start();
      }
    })();
    await Promise.all([...senders, killer]);
    const lastAcknowledgedAt = Date.now();

    const processed = async () => Number((await pool.query("SELECT count(*) FROM webhook_events WHERE processed")).rows[0].count);
    while ((await processed()) < EVENTS && Date.now() - lastAcknowledgedAt < PROCESSED_WITHIN_MS) await sleep(250);
    const tookMs = Date.now() - lastAcknowledgedAt;

    const stored = (await pool.query('SELECT count(*) AS rows, count(DISTINCT delivery_key) AS deliveries FROM webhook_events')).rows[0];
    const jobsPerEvent = (
      await pool.query("SELECT count(*) AS events, max(jobs) AS most FROM (SELECT data->>'eventId' AS event, count(*) AS jobs FROM pgboss.job WHERE name IN ('zoom-webhook-event', 'docusign-connect-event') GROUP BY 1) AS per_event")
    ).rows[0];
    const participants = Number((await pool.query("SELECT count(*) FROM participants p JOIN meetings m ON m.id = p.meeting_id WHERE m.zoom_meeting_id = '555000'")).rows[0].count);
    process.stdout.write(
      `\n${entries.join(' + ')}: ${EVENTS} events, ${attempts} deliveries, killed at ${kills.join(' and ')} acknowledged; ` +
        `${stored.rows} rows stored, ${await processed()} processed ${tookMs} ms after the last acknowledgement, at most ${jobsPerEvent.most} job per event\n`,
    );
    expect(kills).toHaveLength(2);
    expect(acknowledged).toBe(EVENTS);
    expect(Number(stored.rows)).toBe(EVENTS); // every acknowledged event, none twice
    expect(Number(stored.deliveries)).toBe(EVENTS);
    expect(await processed()).toBe(EVENTS);
    expect(Number(jobsPerEvent.events)).toBe(EVENTS);
    expect(Number(jobsPerEvent.most)).toBe(1); // dispatched once each
    expect(participants).toBe(EVENTS / 2); // applied: one participant per Zoom event
    await killAll();
  });
});
