import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { contextCopies, dockerfileStages } from './helpers/dockerfile.js';
import { startTestServer } from './helpers/server.js';
import { makeSharedTempDir } from './helpers/temp-dir.js';

/**
 * The Docker image's build and start, without Docker: the build stage's `COPY`s (read from the
 * Dockerfile) into a folder of their own, its `npm run build` there, and the compiled service
 * started as the image starts it (its CMD, on that folder: dist/ and package.json, with
 * node_modules beside them). What this cannot show: that Docker builds the image (base image,
 * `npm ci --omit=dev`, file ownership), which only CI's `image` job tries.
 */

const root = new URL('../', import.meta.url);
const dockerfile = dockerfileStages(fs.readFileSync(new URL('Dockerfile', root), 'utf8'));
const finalStage = dockerfile.at(-1)!;
const imageCommand = JSON.parse(finalStage.instructions.find(({ keyword }) => keyword === 'CMD')!.args) as string[];
const healthcheck = finalStage.instructions.find(({ keyword }) => keyword === 'HEALTHCHECK')!.args;
const healthcheckCommand = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD ') + 4)) as string[];

const secrets = {
  JWT_SECRET: randomBytes(32).toString('hex'),
  JWT_REFRESH_SECRET: randomBytes(32).toString('hex'),
  ENCRYPTION_KEY: randomBytes(32).toString('hex'),
};

let app: string;
let database: TestDatabase;

/** Runs `command` in the built folder with only `env` (and PATH): the environment of a container. */
function run(command: string[], env: Record<string, string>) {
  const [file = 'node', ...args] = command;
  return spawn(file, args, { cwd: app, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

beforeAll(async () => {
  app = makeSharedTempDir('atas-image-');
  const build = dockerfile.find((stage) => stage.name === 'build')!;
  for (const source of contextCopies(build.instructions)) {
    fs.cpSync(new URL(source, root), path.join(app, source), { recursive: true, filter: (from) => !from.endsWith('.test.ts') });
  }
  fs.symlinkSync(fileURLToPath(new URL('node_modules', root)), path.join(app, 'node_modules'));
  await promisify(execFile)('npm', ['run', '--silent', 'build'], { cwd: app });
  database = await createTestDatabase();
}, 180_000);

afterAll(async () => {
  await database?.drop();
});

describe('the compiled build the image runs', () => {
  it('is built from src/ and scripts/ alone, and holds no emulators, tests or benchmarks', () => {
    expect(fs.existsSync(path.join(app, 'emulators'))).toBe(false);
    const built = filesUnder(path.join(app, 'dist'));
    expect(built).toContain('src/main.js');
    expect(built).toContain('src/api.js');
    expect(built).toContain('src/worker.js');
    expect(built.filter((file) => file.startsWith('scripts/') && file.endsWith('.js')).sort()).toEqual([
      'scripts/migrate.js',
      'scripts/promote-user.js',
      'scripts/rotate-keys.js',
      'scripts/run-task.js',
    ]);
    expect(built.some((file) => file.startsWith('src/db/migrations/') && file.endsWith('.sql'))).toBe(true);
    expect(built.filter((file) => !file.startsWith('src/') && !file.startsWith('scripts/'))).toEqual([]);
    expect(built.filter((file) => /emulator|\.test\.|bench/.test(file))).toEqual([]);
  });

  it('imports only packages the image installs (dependencies: no dev dependency, no embedded PostgreSQL)', () => {
    const { dependencies } = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const imported = new Set<string>();
    for (const file of filesUnder(path.join(app, 'dist')).filter((name) => name.endsWith('.js'))) {
      const code = fs.readFileSync(path.join(app, 'dist', file), 'utf8');
      const specifiers = [
        ...code.matchAll(/^(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/gm), // static, over several lines too
        ...code.matchAll(/^import\s*['"]([^'"]+)['"]/gm), // for its side effects
        ...code.matchAll(/\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g), // dynamic, with a literal
      ].map((match) => match[1]!);
      for (const specifier of specifiers) {
        if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
        if (!/^(@[\w.-]+\/)?[\w.-]+(\/.*)?$/.test(specifier)) continue; // `import('<literal>')` in a comment
        imported.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
      }
    }
    expect(imported).toContain('fastify');
    expect(imported).toContain('pg');
    expect([...imported].filter((name) => !(name in dependencies)).sort()).toEqual([]);
  });

  it('starts in production on PostgreSQL, answers /v1/health/live and the image health check, and stops on SIGTERM', async () => {
    const server = run(imageCommand, {
      ...secrets,
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      DATA_DIR: makeSharedTempDir('atas-image-data-'),
      HOST: '127.0.0.1',
      PORT: '0',
    });
    let output = '';
    server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
    try {
      const started = await new Promise<{ url: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start within 30 s:\n${output}`)), 30_000);
        server.stdout.on('data', () => {
          const line = output.split('\n').find((text) => text.includes('"msg":"atas started"'));
          if (line) {
            clearTimeout(timer);
            resolve(JSON.parse(line) as { url: string });
          }
        });
        void exited.then((code) => reject(new Error(`exited ${code}:\n${output}`)));
      });
      const live = await fetch(`${started.url}/v1/health/live`);
      expect(live.status).toBe(200);
      const health = (await (await fetch(`${started.url}/v1/health`)).json()) as { services: Record<string, string> };
      expect(health.services).toMatchObject({ database: 'ok', zoom: 'not_configured', openai: 'not_configured', docusign: 'not_configured' });

      // The Dockerfile's HEALTHCHECK command, as Docker runs it in the container: 0 while the
      // service answers, 1 where nothing listens.
      const { port } = new URL(started.url);
      const check = (env: Record<string, string>) => new Promise<number | null>((resolve) => run(healthcheckCommand, env).once('exit', resolve));
      expect(await check({ PORT: port })).toBe(0);
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await check({ PORT: port })).toBe(1);
      expect(output).toContain('"msg":"stopped"');
    } finally {
      server.kill('SIGKILL');
    }
  }, 60_000);

  it('outside production, where it would need an emulator, stops with one message instead of a module-not-found stack', async () => {
    const child = run(imageCommand, { NODE_ENV: 'development', DATABASE_URL: database.url, DATA_DIR: makeSharedTempDir('atas-image-data-'), PORT: '0' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('This build has no provider emulators');
    expect(stderr).toContain('Zoom, OpenAI, DocuSign have no credentials with NODE_ENV=development');
    expect(stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|\n\s+at /);
  }, 30_000);
});

describe('the emulators from the source tree', () => {
  it('are still found by the same loader outside the build (npm start, the tests)', async () => {
    const server = await startTestServer({ databaseUrl: database.url, env: { EMULATORS: 'on' } });
    try {
      const health = await server.app!.inject({ method: 'GET', url: '/v1/health' });
      expect(health.json()).toMatchObject({ services: { zoom: 'emulated', openai: 'emulated', docusign: 'emulated' } });
    } finally {
      await server.stop();
    }
  }, 60_000);
});
