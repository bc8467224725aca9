import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCases } from '../eval/cases.js';
import { failingFields, formatTable, runEval } from '../eval/runner.js';
import { scoredFields } from '../eval/score.js';
import { findFreePort } from '../src/lib/ports.js';
import type { Server } from '../src/server.js';
import { createTestDatabase, type TestDatabase } from './helpers/database.js';
import { startTestServer } from './helpers/server.js';

/**
 * `npm run eval` (eval/run.ts) end to end on three short cases, against a server on the embedded
 * emulators: each ata generated through the public API and scored. Between them the cases expect
 * every scored field, and the pipeline must find something of each (the emulator follows the
 * cues the transcripts are written with; a real model's scores are for `npm run eval` to print).
 */
describe('npm run eval', () => {
  let database: TestDatabase;
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const port = await findFreePort();
    server = await startTestServer({ databaseUrl: database.url, env: { PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, EMULATORS: 'on' } });
    baseUrl = (await server.listen())!;
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('generates each case through the API and reaches every field its key expects', async () => {
    const cases = loadCases({ ids: ['br-general-team-sync', 'en-board-startup', 'en-board-no-quorum'] });
    const report = await runEval({ baseUrl, cases, concurrency: 3, timeoutMs: 20_000 });

    expect(report.cases.map((result) => [result.id, result.error])).toEqual(cases.map(({ meeting }) => [meeting.id, undefined]));
    expect(report.model).toMatch(/^emulator-/);
    // Each field is expected somewhere in these cases, and found.
    expect(report.fields.map((row) => row.field)).toEqual([...scoredFields]);
    for (const row of report.fields) expect(row.tp + row.fn, row.field).toBeGreaterThan(0);
    expect(failingFields(report, { requireAllFields: true })).toEqual([]);
    expect(report.overall.f1).toBeGreaterThan(0.9);
    expect(formatTable(report)).toMatch(/^overall\s+\d\.\d\d\s+\d\.\d\d\s+\d\.\d\d/m);
  });
});
