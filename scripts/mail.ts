import { parseArgs } from 'node:util';
import { loadDataDir } from '../src/config.js';
import { listLocalMail, localMailDir, type LocalMailEntry } from '../src/providers/mail/local-outbox.js';

/**
 * `npm run mail [-- --limit n] [-- --json]`: the e-mail the app kept instead of sending (local
 * mode: outside production, without SMTP settings), newest first, from DATA_DIR/mail.
 */
const usage = 'usage: npm run mail -- [--limit n] [--json]\n';
let values: { limit?: string; json?: boolean; help?: boolean };
try {
  ({ values } = parseArgs({ options: { limit: { type: 'string', short: 'n' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const limit = values.limit === undefined ? 20 : Number(values.limit);
if (!Number.isInteger(limit) || limit < 1) {
  process.stderr.write(`--limit must be a whole number from 1\n${usage}`);
  process.exit(2);
}

const dataDir = loadDataDir();
const { total, entries } = await listLocalMail(dataDir, { limit });
if (values.json) {
  process.stdout.write(`${JSON.stringify({ total, messages: entries }, null, 2)}\n`);
} else if (entries.length === 0) {
  process.stdout.write(`No e-mail kept in ${localMailDir(dataDir)} yet. Without SMTP settings (outside production) every message the app sends lands there.\n`);
} else {
  process.stdout.write(entries.map(describe).join('\n\n') + '\n');
  if (total > entries.length) process.stdout.write(`\n${total - entries.length} older message(s) not shown: --limit ${total} lists them all.\n`);
}

function describe(entry: LocalMailEntry): string {
  return [
    `${entry.receivedAt.toISOString()}  ${entry.subject || '(no subject)'}`,
    `  from: ${entry.from}`,
    `  to:   ${entry.to}`,
    ...(entry.attachments.length > 0 ? [`  attachments: ${entry.attachments.join(', ')}`] : []),
    `  ${entry.url}`,
  ].join('\n');
}
