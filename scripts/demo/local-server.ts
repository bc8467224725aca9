import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../src/lib/ports.js';

const repositoryRoot = path.resolve(import.meta.dirname, '../..');

export interface LocalServer {
  url: string;
  dataDir: string;
  logPath: string;
  /** SIGTERM to its process group (the app and its embedded PostgreSQL), then waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * `npm start` on the embedded defaults, as a child in its own process group, on a free port with
 * its data in a fresh temporary folder (never the user's ./data), its database embedded whatever
 * DATABASE_URL says. PUBLIC_BASE_URL is its own address unless set, so the DocuSign emulator's
 * Connect messages reach it. Provider credentials in the environment are passed on: with them it
 * talks to the real providers.
 */
export async function startLocalServer(options: { startTimeoutMs?: number } = {}): Promise<LocalServer> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atas-demo-data-'));
  fs.chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as the postgres user when run as root
  const logPath = path.join(dataDir, 'atas.log');
  const log = fs.openSync(logPath, 'a');
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL || url };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  // What `npm start` runs, without npm in between (npm passes no signal on to the app).
  const child = spawn(process.execPath, ['--max-semi-space-size=8', '--import', 'tsx', 'src/main.ts'], { cwd: repositoryRoot, env, detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  async function stop() {
    if (!hasExited && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const stopped = await Promise.race([exited.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 15_000))]);
      if (!stopped) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
        await exited;
      }
    }
    // The embedded PostgreSQL is the app's child, in the same group: wait until it too is gone.
    if (child.pid) for (let i = 0; i < 100 && isGroupAlive(child.pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
  while (Date.now() < deadline) {
    if (hasExited) break;
    const health = await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(2000) })
      .then((response) => response.json() as Promise<{ services?: { database?: string } }>)
      .catch(() => undefined);
    if (health?.services?.database === 'ok') return { url, dataDir, logPath, stop };
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const tail = fs.readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n');
  await stop();
  throw new Error(`npm start did not become healthy at ${url}${hasExited ? ' (it exited)' : ''}; the end of its log:\n${tail}`);
}

function isGroupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
