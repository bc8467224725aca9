/**
 * How long a 10-page ata takes to render, with the standard fonts and with DejaVu Sans embedded,
 * against pdfkit alone writing the same text with no Markdown or layout of ours. Prints median
 * and p95 of each and the ratios. Run: node --import tsx bench/minutes-pdf.ts
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { renderMinutesPdf, type MinutesPdfInput } from '../src/modules/minutes/minutes.pdf.js';
import { sampleMinutesInput } from './fixtures/minutes-pt-br.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const WARM_UP_ROUNDS = 5;
const TARGET_PAGES = 10;
const NON_WIN_ANSI_TEXT = 'Participou ainda, como convidado, o Sr. Łukasz Wałęsa.'; // 'ł' forces the embedded font

const countPages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;

/** Adds agenda items until the ata has exactly TARGET_PAGES pages. */
async function tenPageMinutes(extraText?: string): Promise<MinutesPdfInput> {
  for (let agendaItems = 1; agendaItems < 200; agendaItems++) {
    const input = sampleMinutesInput({ agendaItems, ...(extraText ? { extraText } : {}) });
    const pages = countPages(await renderMinutesPdf(input));
    if (pages === TARGET_PAGES) return input;
    if (pages > TARGET_PAGES) throw new Error(`the ata went from fewer than ${TARGET_PAGES} pages to ${pages}`);
  }
  throw new Error(`no ata of ${TARGET_PAGES} pages`);
}

const dejaVuPath = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf');
const dejaVu = fs.readFileSync(dejaVuPath);

/** pdfkit with its own line wrapping and page breaks, one font, the ata's text as it stands. */
function renderPlainPdf(text: string, font?: Buffer): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { CreationDate: new Date(0) } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  if (font) doc.font(font);
  doc.fontSize(10.5).text(text);
  doc.end();
  return done;
}

interface Variant {
  name: string;
  targetMs?: number;
  render: () => Promise<Buffer>;
  baseline?: string;
}

const standardInput = await tenPageMinutes();
const embeddedInput = await tenPageMinutes(NON_WIN_ANSI_TEXT);
const plainText = (input: MinutesPdfInput) => [input.title, ...input.metadata.map((entry) => `${entry.label}: ${entry.value}`), input.markdown].join('\n');
const variants: Variant[] = [
  { name: 'ata, standard fonts', targetMs: 100, render: () => renderMinutesPdf(standardInput), baseline: 'pdfkit alone, Helvetica' },
  { name: 'ata, DejaVu embedded', targetMs: 400, render: () => renderMinutesPdf(embeddedInput), baseline: 'pdfkit alone, DejaVu' },
  { name: 'pdfkit alone, Helvetica', render: () => renderPlainPdf(plainText(standardInput)) },
  { name: 'pdfkit alone, DejaVu', render: () => renderPlainPdf(plainText(embeddedInput), dejaVu) },
];

async function timeMs(render: () => Promise<Buffer>): Promise<number> {
  const started = performance.now();
  await render();
  return performance.now() - started;
}

const percentile = (values: number[], fraction: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * fraction))]!;

const timings = new Map<string, number[]>(variants.map((variant) => [variant.name, []]));
for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
  // Interleaved, so drift in the machine's speed touches every variant alike.
  for (const variant of variants) {
    const elapsedMs = await timeMs(variant.render);
    if (round >= WARM_UP_ROUNDS) timings.get(variant.name)!.push(elapsedMs);
  }
}

const rows = await Promise.all(
  variants.map(async (variant) => {
    const values = timings.get(variant.name)!;
    const medianMs = percentile(values, 0.5);
    const baselineMs = variant.baseline ? percentile(timings.get(variant.baseline)!, 0.5) : undefined;
    return {
      variant: variant.name,
      pages: countPages(await variant.render()),
      medianMs: medianMs.toFixed(1),
      p95Ms: percentile(values, 0.95).toFixed(1),
      target: variant.targetMs ? `< ${variant.targetMs} ms: ${medianMs < variant.targetMs ? 'met' : 'MISSED'}` : '',
      vsBaseline: baselineMs ? `${(medianMs / baselineMs).toFixed(2)}x` : '',
    };
  }),
);

const columns = ['variant', 'pages', 'medianMs', 'p95Ms', 'target', 'vsBaseline'] as const;
const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column]).length)));
const formatRow = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ');
process.stdout.write(
  [
    `minutes PDF, ${ROUNDS} rounds after ${WARM_UP_ROUNDS} warm-up, Node ${process.version}; ${standardInput.markdown.length} characters of Markdown`,
    'baseline: the same title, metadata and Markdown source as plain text, through pdfkit\'s own wrapping (no tables, headings or footers)',
    formatRow([...columns]),
    formatRow(widths.map((width) => '-'.repeat(width))),
    ...rows.map((row) => formatRow(columns.map((column) => String(row[column])))),
    '',
  ].join('\n'),
);
