import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { createLogger } from '../src/lib/logger.js';

const ADMIN_SHUTDOWN = '57P01';

export interface BenchDatabase {
  /** A database of this run's own, on DATABASE_URL's server (an embedded one without it). */
  url: string;
  name: string;
  /** A scratch folder (DATA_DIR), removed by `close`. */
  dataDir: string;
  /** A pool on this database, ended at `close`. */
  pool(max: number): pg.Pool;
  /** Runs `cleanup` at `close`, last registered first. */
  onClose(cleanup: () => Promise<unknown>): void;
  /** Drops the database, stops what was started, removes the folder. */
  close(): Promise<void>;
}

/** Where a benchmark works: never in an existing database, and nothing left behind. */
export async function openBenchDatabase(label: string): Promise<BenchDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `atas-bench-${label}-`));
  fs.chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as the postgres user when run as root
  const cleanups: (() => Promise<unknown>)[] = [];
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    // Its cluster goes under <dataDir>/postgres, which it makes reachable to the postgres user when run as root.
    const embedded = await startEmbeddedPostgres({ dataDir, log: createLogger({ level: 'silent', format: 'json' }) }).catch((error: unknown) => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw error;
    });
    cleanups.push(() => embedded.stop());
    adminUrl = embedded.url;
  }
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  const name = `atas_bench_${label}_${process.pid}`;
  await admin(`CREATE DATABASE ${name}`);
  cleanups.push(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  return {
    url,
    name,
    dataDir,
    pool(max) {
      const pool = new pg.Pool({ connectionString: url, max });
      // pool.end() resolves before its idle connections have closed: the drop's termination of
      // one of them arrives as an error on the pool, and an unheard pool error ends the process.
      pool.on('error', (error: Error & { code?: string }) => {
        if (error.code !== ADMIN_SHUTDOWN) process.stderr.write(`bench pool: ${error.message}\n`);
      });
      cleanups.push(() => pool.end());
      return pool;
    },
    onClose: (cleanup) => void cleanups.push(cleanup),
    async close() {
      for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => process.stderr.write(`cleanup: ${String(error)}\n`));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** `value` as a multiple of `baseline`: "0.52×". */
export function ratio(value: number, baseline: number): string {
  return `${(value / baseline).toFixed(2)}×`;
}

/** Rows as a Markdown table, columns padded: what a benchmark prints. */
export function tableOf(rows: Record<string, string>[]): string {
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, index) => cell.padEnd(widths[index]!)).join(' | ')} |`;
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...rows.map((row) => line(columns.map((column) => row[column]!)))].join('\n');
}
