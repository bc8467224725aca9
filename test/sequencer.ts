import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest, longest first: started at once, they run beside the many short
 * ones instead of being left for the end, where one file alone would hold the whole run. Vitest
 * orders by the durations of the last run, which a clean clone (CI) does not have: it falls back
 * to file size, and put these near the end. Measured on two cores; a file missing here is only
 * run in vitest's own order.
 */
const LONGEST_FIRST = [
  'test/telemetry.int.test.ts',
  'test/reliability/small-pool.int.test.ts',
  'test/signatures.int.test.ts',
  'test/minutes.int.test.ts',
  'test/embedded-postgres.int.test.ts',
  'test/health.int.test.ts',
  'test/notifications.int.test.ts',
  'test/notification-outcomes.int.test.ts',
  'test/security/fuzz.int.test.ts',
  'test/demo.int.test.ts',
  'test/events.int.test.ts',
  'test/eval.int.test.ts',
];

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = LONGEST_FIRST.findIndex((file) => spec.moduleId.endsWith(`/${file}`));
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    // Array.prototype.sort is stable: the rest keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
