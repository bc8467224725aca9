/**
 * A failed login must take about as long whether or not the e-mail exists (no account
 * enumeration by timing). Measures both over real HTTP on a real database and prints the
 * medians and their ratio. Run: npm run bench
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/lib/logger.js';
import { createServer } from '../src/server.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atas-bench-'));
fs.chmodSync(dataDir, 0o755);
const config = loadConfig({
  ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
  DATA_DIR: dataDir,
  HOST: '127.0.0.1',
  PORT: '0',
  LOG_LEVEL: 'silent',
  EMULATORS: 'off',
  RATE_LIMIT_MAX_REQUESTS: '1000000',
  TRUST_PROXY: 'true',
});
const server = await createServer(config, { role: 'api', log: createLogger(config.log), jobs: [] });
const baseUrl = (await server.listen())!;

const email = `bench-${Date.now()}@example.com`;
await fetch(`${baseUrl}/v1/auth/register`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email, password: 'bench password 123' }),
});

async function timeLogin(loginEmail: string, round: number): Promise<number> {
  const started = performance.now();
  // A fresh client address each time: the login limit counts per e-mail and IP.
  const response = await fetch(`${baseUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.${round >> 8}.${round & 255}` },
    body: JSON.stringify({ email: loginEmail, password: 'wrong password' }),
  });
  await response.arrayBuffer();
  if (response.status !== 401) throw new Error(`expected 401, got ${response.status}`);
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const known: number[] = [];
const unknown: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  known.push(await timeLogin(email, round));
  unknown.push(await timeLogin(`nobody-${round}@example.com`, round));
}
const [knownMs, unknownMs] = [median(known), median(unknown)];
process.stdout.write(
  `failed login, ${ROUNDS} rounds: known e-mail median ${knownMs.toFixed(1)} ms, unknown e-mail median ${unknownMs.toFixed(1)} ms, ` +
    `ratio unknown/known ${(unknownMs / knownMs).toFixed(2)}\n`,
);
await server.stop();
fs.rmSync(dataDir, { recursive: true, force: true });
