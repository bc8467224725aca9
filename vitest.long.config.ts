import { defineConfig } from 'vitest/config';

/**
 * The long reliability suite (`npm run test:long`, run by .ci/run after `npm test`): the service
 * killed with SIGKILL under load, scaled out to two APIs and a worker, the fuzz suite with many more runs per route (FUZZ_RUNS), and
 * PostgreSQL cut for 10 s (OUTAGE_MS; 3 s in `npm test`), and Zoom not answering for its 10 s timeout;
 * and the Docker image's build and start without Docker (test/deployment.int.test.ts: `npm run build`,
 * mostly tsc), which `npm test` leaves out.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.long.ts', 'test/deployment.int.test.ts', 'test/security/fuzz.int.test.ts', 'test/reliability/outage.int.test.ts', 'test/reliability/provider-faults.int.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    env: { FUZZ_RUNS: process.env.FUZZ_RUNS ?? '300', OUTAGE_MS: process.env.OUTAGE_MS ?? '10000', FAULTS_TIMEOUT: '1' },
    testTimeout: 300_000,
    hookTimeout: 90_000,
    reporters: ['default'],
  },
});
