/**
 * Writes docs/sample-ata.pdf, a realistic pt-BR ata, to look at the layout without running the app.
 * Its first page as an image: pdftoppm -png -r 70 -f 1 -l 1 -singlefile docs/sample-ata.pdf docs/sample-ata
 * Run: node --import tsx scripts/render-sample-ata.ts [--draft]
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderMinutesPdf } from '../src/modules/minutes/minutes.pdf.js';
import { sampleMinutesInput } from '../bench/fixtures/minutes-pt-br.js';

const output = path.join(import.meta.dirname, '..', 'docs', 'sample-ata.pdf');
const draft = process.argv.includes('--draft') ? 'RASCUNHO' : undefined;
const pdf = await renderMinutesPdf(sampleMinutesInput({ agendaItems: 3, ...(draft ? { draft } : {}) }));
fs.mkdirSync(path.dirname(output), { recursive: true });
fs.writeFileSync(output, pdf);
process.stdout.write(`${output}: ${pdf.length} bytes\n`);
