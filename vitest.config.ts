import { configDefaults, defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/sequencer.js';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'eval/**/*.test.ts'],
    // The Docker image's build (`npm run build` in a copy of the build context, ~15 s of tsc on one
    // core, a third of a minute of the suite on two) runs in `npm run test:long`, beside this
    // suite in CI: it is about the build's artefacts, not about what the service does.
    exclude: [...configDefaults.exclude, 'test/deployment.int.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    pool: 'forks',
    // Most test time is waiting (on PostgreSQL, jobs, sockets): three files at once on two cores
    // takes the suite from ~125 s to ~75 s here.
    maxWorkers: 3,
    // A worker process runs its files one after another with the modules it already loaded (the
    // app, the SDKs, the emulators, the compiled contract schemas), rather than a fresh process
    // loading them again for each file: about a third of the suite's CPU time. Each file still
    // has its own database, servers and emulators, and stops them in its afterAll.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 90_000,
    // The longest files first, also where no durations of an earlier run are cached (CI).
    sequence: { sequencer: LongestFirstSequencer },
    reporters: ['default'],
  },
});
