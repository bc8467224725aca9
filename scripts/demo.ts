import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listLocalMail } from '../src/providers/mail/local-outbox.js';
import { startLocalServer, type LocalServer } from './demo/local-server.js';
import { runDemo, type Person } from './demo/run-demo.js';

/**
 * `npm run demo`: the whole product through the public HTTP API, against a running Atas
 * (ATAS_URL, default http://127.0.0.1:3001) or, when nothing answers there (or with
 * --start-server), against an `npm start` of its own on the embedded defaults, stopped at the end.
 * See README.md, "Demo".
 */

const usage = `Usage: npm run demo [-- [--url <Atas URL>] [--start-server] [--out <folder>]]

  --url           a running Atas (default: $ATAS_URL, else http://127.0.0.1:3001)
  --start-server  start an \`npm start\` of its own (temporary DATA_DIR, free port) even if one answers
  --out           where the PDFs are written (default: $DEMO_OUTPUT_DIR, else a new temporary folder)

Environment: DEMO_SIGNERS="Name <email>, Name <email>" (required when DocuSign is real).`;

const write = (text: string) => process.stdout.write(text);

function parseSigners(text: string | undefined): Person[] | undefined {
  if (!text?.trim()) return undefined;
  return text.split(',').map((entry) => {
    const match = /^\s*(.+?)\s*<([^>]+)>\s*$/.exec(entry);
    if (!match) throw new Error(`DEMO_SIGNERS: "${entry.trim()}" is not "Name <email>"`);
    return { name: match[1]!, email: match[2]! };
  });
}

async function answersAt(url: string): Promise<boolean> {
  const answer = (await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(3000) })
    .then((response) => response.json())
    .catch(() => undefined)) as { services?: unknown } | undefined;
  return answer?.services !== undefined;
}

/**
 * The e-mails the run caused, as the server's local SMTP server kept them (no SMTP settings):
 * copied beside the PDFs (the server's DATA_DIR goes with it) and listed. The last ones are sent
 * by jobs after the flow ends: listed once none has arrived for a while.
 */
async function showMails(dataDir: string, outputDir: string) {
  const QUIET_MS = 1500;
  const MAX_WAIT_MS = 20_000;
  const started = Date.now();
  let seen = -1;
  let quietSince = Date.now();
  for (;;) {
    const { total } = await listLocalMail(dataDir, { limit: 1 });
    if (total !== seen) [seen, quietSince] = [total, Date.now()];
    if (Date.now() - quietSince >= QUIET_MS || Date.now() - started >= MAX_WAIT_MS) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const { entries } = await listLocalMail(dataDir, { limit: 1000 });
  const mailDir = path.join(outputDir, 'mail');
  fs.mkdirSync(mailDir, { recursive: true });
  write(`✓ ${entries.length} e-mails sent (kept by the local SMTP server; \`npm run mail\` lists a server's own):\n`);
  for (const entry of [...entries].reverse()) {
    const copy = path.join(mailDir, path.basename(entry.path));
    fs.copyFileSync(entry.path, copy);
    const attached = entry.attachments.length > 0 ? ` [${entry.attachments.join(', ')}]` : '';
    write(`  ✉ ${entry.to} — ${entry.subject}${attached}\n    ${copy}\n`);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, 'start-server': { type: 'boolean', default: false }, out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    write(`${usage}\n`);
    return 0;
  }
  const requestedUrl = (values.url ?? process.env.ATAS_URL)?.replace(/\/$/, '');
  const outputDir = path.resolve(values.out ?? process.env.DEMO_OUTPUT_DIR ?? path.join(os.tmpdir(), `atas-demo-${new Date().toISOString().replace(/[:.]/g, '-')}`));
  const signers = parseSigners(process.env.DEMO_SIGNERS);

  let server: LocalServer | undefined;
  let stopping: Promise<void> | undefined;
  const stopServer = () => (stopping ??= server ? server.stop() : Promise.resolve());
  // Ctrl-C reaches this process, not the server's own process group: stop it before leaving.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      write(`\n${signal}: stopping${server ? ' the server' : ''}…\n`);
      void stopServer().finally(() => process.exit(130));
    });
  }

  try {
    let baseUrl = requestedUrl ?? 'http://127.0.0.1:3001';
    if (values['start-server'] || !(await answersAt(baseUrl))) {
      if (requestedUrl && !values['start-server']) throw new Error(`nothing answers at ${requestedUrl}`);
      const started = performance.now();
      server = await startLocalServer();
      baseUrl = server.url;
      write(`✓ started npm start at ${baseUrl}, DATA_DIR ${server.dataDir} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    } else {
      write(`Using the Atas running at ${baseUrl}\n`);
    }
    await runDemo({ baseUrl, outputDir, write, isTty: process.stdout.isTTY, ...(signers ? { signers } : {}) });
    if (server) await showMails(server.dataDir, outputDir);
    else write('The e-mails it caused: `npm run mail` beside that server lists them (or its SMTP server has them)\n');
    return 0;
  } catch (error) {
    write(`\n✗ ${error instanceof Error ? error.message : String(error)}\n`);
    if (server) write(`  the end of the server's log (${server.logPath}, removed when it stops):\n${fs.readFileSync(server.logPath, 'utf8').split('\n').slice(-20).join('\n')}\n`);
    return 1;
  } finally {
    if (server) {
      const started = performance.now();
      await stopServer();
      write(`✓ stopped the server (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    }
  }
}

process.exitCode = await main();
