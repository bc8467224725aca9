import { describe, expect, it } from 'vitest';
import { createWorkerPool } from './worker-pool.js';

describe('a worker pool', () => {
  it('tells onThreadError of a thread that fails with no task, instead of ending the process', async () => {
    const errors: unknown[] = [];
    const pool = createWorkerPool(new URL('../../test/fixtures/unloadable.worker.ts', import.meta.url), { maxThreads: 1, minThreads: 1, onThreadError: (error) => errors.push(error) });
    try {
      await expect.poll(() => errors.length, { timeout: 10_000 }).toBeGreaterThan(0);
      expect(String(errors[0])).toContain('this worker cannot load');
    } finally {
      await pool.destroy();
    }
  });
});
