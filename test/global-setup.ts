import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { migrateDatabase } from '../src/db/migrate.js';
import { createLogger } from '../src/lib/logger.js';
import { findFreePort } from '../src/lib/ports.js';
import { databaseUrlFor } from './helpers/urls.js';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
    redisUrl: string;
  }
}

/**
 * One database server for the run: TEST_DATABASE_URL or DATABASE_URL when set, otherwise an
 * embedded PostgreSQL. Migrations run once into a template; each test file clones it.
 * Redis likewise: TEST_REDIS_URL or REDIS_URL, otherwise a redis-server started for the run.
 */
export default async function setup(project: TestProject) {
  const log = createLogger({ level: 'warn', format: 'json' });
  const teardowns: (() => Promise<unknown>)[] = [];

  let adminUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  let embedded: EmbeddedPostgres | undefined;
  if (!adminUrl) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atas-test-db-'));
    fs.chmodSync(dataDir, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir, log });
    teardowns.push(async () => {
      await embedded!.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    adminUrl = embedded.url;
  }

  const templateDatabase = `atas_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${templateDatabase}`);
  await admin.query(`CREATE DATABASE ${templateDatabase}`);
  await admin.end();
  await migrateDatabase(databaseUrlFor(adminUrl, templateDatabase));
  teardowns.push(async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
    await client.end();
  });

  let redisUrl = process.env.TEST_REDIS_URL || process.env.REDIS_URL;
  if (!redisUrl) {
    const port = await findFreePort();
    const redis = await startRedisServer(port);
    teardowns.push(async () => {
      redis.kill('SIGTERM');
    });
    redisUrl = `redis://127.0.0.1:${port}`;
  }

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);
  project.provide('redisUrl', redisUrl);

  return async () => {
    for (const teardown of teardowns.reverse()) await teardown();
  };
}

function startRedisServer(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.once('error', (error) =>
      reject(new Error(`Tests need Redis: set TEST_REDIS_URL, or install redis-server (${error.message})`)),
    );
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('Ready to accept connections')) resolve(child);
    });
  });
}
