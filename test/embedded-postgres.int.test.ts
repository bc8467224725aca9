import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { createLogger } from '../src/lib/logger.js';
import { makeSharedTempDir } from './helpers/temp-dir.js';

const log = createLogger({ level: 'silent', format: 'json' });
const dataDir = makeSharedTempDir('atas-embedded-');
const pidFile = path.join(dataDir, 'postgres', 'data', 'postmaster.pid');

const serverPid = () => Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function selectOne(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ answer: number }>('SELECT 1 AS answer')).rows[0]!.answer;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates a cluster on first start, serves real connections and stops without leaving a process', async () => {
    const embedded = await startEmbeddedPostgres({ dataDir, log });
    expect(embedded.port).not.toBe(5432);
    expect(await selectOne(embedded.url)).toBe(1);
    const pid = serverPid();
    expect(isAlive(pid)).toBe(true);

    await embedded.stop();
    expect(isAlive(pid)).toBe(false);
    expect(fs.existsSync(pidFile)).toBe(false);
  });

  it('recovers the cluster from a server left running by a killed process', async () => {
    const holder = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/hold-embedded-postgres.ts', dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.setEncoding('utf8').on('data', (chunk: string) => chunk.includes('READY') && resolve());
      holder.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    });
    const stalePid = serverPid();
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    expect(isAlive(stalePid)).toBe(true); // the orphan still holds the cluster

    const embedded = await startEmbeddedPostgres({ dataDir, log });
    try {
      expect(isAlive(stalePid)).toBe(false);
      expect(await selectOne(embedded.url)).toBe(1);
    } finally {
      await embedded.stop();
    }
  });

  it('a second process on the same DATA_DIR uses the running server and leaves it running (npm run user:promote beside npm start)', async () => {
    const holder = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/hold-embedded-postgres.ts', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        holder.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          const ready = /READY (\d+)/.exec(chunk);
          if (ready) resolve(Number(ready[1]));
        });
        holder.once('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      const livePid = serverPid();

      const task = spawn(process.execPath, ['--import', 'tsx', 'scripts/promote-user.ts', 'nobody@example.com'], {
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent', EMULATORS: 'off' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      task.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      task.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      const exitCode = await new Promise<number | null>((resolve) => task.once('exit', resolve));
      expect(output).toMatch(/No user with the e-mail nobody@example.com/); // it ran against the live database
      expect(exitCode).not.toBe(0);

      expect(serverPid()).toBe(livePid);
      expect(isAlive(livePid)).toBe(true);
      const shared = await startEmbeddedPostgres({ dataDir, log });
      expect(shared.port).toBe(port);
      await shared.stop(); // not its server: it stays up for its owner
      expect(isAlive(livePid)).toBe(true);
      expect(await selectOne(shared.url)).toBe(1);
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
      const orphan = fs.existsSync(pidFile) ? serverPid() : 0;
      if (orphan && isAlive(orphan)) process.kill(orphan, 'SIGINT');
    }
  });

  it('surfaces the real reason when the server cannot start', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      await expect(startEmbeddedPostgres({ dataDir, port, log })).rejects.toThrow(/could not bind|Address already in use/);
    } finally {
      blocker.close();
    }
  });
});
