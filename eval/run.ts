import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalServer, type LocalServer } from '../scripts/demo/local-server.js';
import { loadCases } from './cases.js';
import { failingFields, formatTable, runEval, type EvalReport } from './runner.js';

/** `npm run eval`: every case's ata generated through the public API and scored against its key. See eval/README.md. */

const usage = `Usage: npm run eval [-- [--case <id>]... [--url <Atas URL>] [--min-f1 <0..1>] [--require-all-fields] [--verbose]
                        [--concurrency <n>] [--tolerance <seconds>] [--out <folder>]]

  --case                only this case (repeatable); default: every case under eval/cases
  --url                 a running Atas (default: $ATAS_URL); without it an \`npm start\` of its own is started
                        (temporary DATA_DIR, free port), on the OpenAI emulator unless OPENAI_API_KEY or
                        OPENAI_BASE_URL is set
  --min-f1              exit 1 when a field's F1 is below this
  --require-all-fields  exit 1 when a field the keys expect is not found at all
  --verbose, -v         print what differed from the key, case by case (always in the results JSON)
  --concurrency         cases at once (default 3)
  --tolerance           seconds between a key's turn time and an evidence time that still pair (default 5)
  --out                 where the results JSON is written (default eval/results)`;

const write = (text: string) => process.stdout.write(text);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      case: { type: 'string', multiple: true },
      url: { type: 'string' },
      'min-f1': { type: 'string' },
      'require-all-fields': { type: 'boolean', default: false },
      verbose: { type: 'boolean', short: 'v', default: false },
      concurrency: { type: 'string', default: '3' },
      tolerance: { type: 'string', default: '5' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    write(`${usage}\n`);
    return 0;
  }
  const minF1 = values['min-f1'] === undefined ? undefined : Number(values['min-f1']);
  if (minF1 !== undefined && !(minF1 >= 0 && minF1 <= 1)) throw new Error('--min-f1 takes a number from 0 to 1');
  const cases = loadCases({ ids: values.case ?? [] });

  let server: LocalServer | undefined;
  process.once('SIGINT', () => void (server ? server.stop() : Promise.resolve()).finally(() => process.exit(130)));
  try {
    let baseUrl = (values.url ?? process.env.ATAS_URL)?.replace(/\/$/, '');
    if (!baseUrl) {
      server = await startLocalServer();
      baseUrl = server.url;
      write(`started npm start at ${baseUrl}\n`);
    }
    write(`${cases.length} case(s) against ${baseUrl}\n`);
    const report = await runEval({
      baseUrl,
      cases,
      concurrency: Number(values.concurrency),
      toleranceSec: Number(values.tolerance),
      onCase: (result) => {
        write(`${result.error ? '✗' : '✓'} ${result.id.padEnd(34)} F1 ${result.overall.f1.toFixed(2)}  (${result.seconds} s${result.error ? `; ${result.error}` : ''})\n`);
        if (values.verbose && !result.error) for (const line of result.mismatches) write(`    ${line}\n`);
      },
    });
    write(`\n${formatTable(report)}\n`);
    const file = writeResults(report, values.out ?? path.join(import.meta.dirname, 'results'));
    write(`\nmodel ${report.model}; results in ${path.relative(process.cwd(), file)}\n`);
    const failing = failingFields(report, { ...(minF1 !== undefined ? { minF1 } : {}), requireAllFields: values['require-all-fields'] });
    for (const line of failing) write(`✗ ${line}\n`);
    return failing.length > 0 || report.cases.some((result) => result.error) ? 1 : 0;
  } finally {
    await server?.stop();
  }
}

function writeResults(report: EvalReport, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const model = report.model.replace(/[^A-Za-z0-9._-]+/g, '_');
  const file = path.join(dir, `${report.date.slice(0, 10)}-${model}.json`);
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

process.exitCode = await main().catch((error: unknown) => {
  write(`✗ ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
});
