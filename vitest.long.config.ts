import { defineConfig } from 'vitest/config';

/**
 * The long reliability suite (`npm run test:long`, run by .ci/run after `npm test`): the service
 * killed with SIGKILL under load, and the fuzz suite with many more runs per route (FUZZ_RUNS).
 */
export default defineConfig({
  test: {
    include: ['test/**/*.long.ts', 'test/security/fuzz.int.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    env: { FUZZ_RUNS: process.env.FUZZ_RUNS ?? '300' },
    testTimeout: 300_000,
    hookTimeout: 90_000,
    reporters: ['default'],
  },
});
