/**
 * Writes docs/board-ata.{pt-BR,en,es}.pdf and their first pages as PNGs: the 45-minute board
 * meeting of scripts/demo/board-meeting.pt-BR.vtt, written up in each language through the
 * product's own path (notes → minutes record → Markdown → PDF), from notes written by hand as a
 * good language model returns them (scripts/board-atas/notes.*.ts). The same notes give the same
 * bytes. Needs pdftoppm (poppler-utils) for the PNGs.
 * Run: node --import tsx scripts/render-board-atas.ts [--turns] [--markdown]
 *   --turns     prints each transcript turn the notes cite, to check it says what is cited
 *   --markdown  prints each ata's Markdown
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { catalogOf, type Language } from '../src/i18n/languages.js';
import { formatDateAndTime } from '../src/i18n/format.js';
import { sha256Hex } from '../src/lib/crypto.js';
import { platformOf, signatureLinesOf } from '../src/modules/minutes/minutes.document.js';
import { minutesNotes, type MinutesNotes } from '../src/modules/minutes/minutes.notes.js';
import type { IndexedTurn } from '../src/modules/minutes/minutes.prompt.js';
import { buildMinutesRecord, effectiveSettings } from '../src/modules/minutes/minutes.record-builder.js';
import { renderMinutesMarkdown } from '../src/modules/minutes/minutes.template.js';
import { renderPdf, type PdfRenderInput } from '../src/modules/minutes/minutes.worker.js';
import { parseTranscript } from '../src/modules/transcripts/transcript.parse.js';
import { endedAt, invitees, meetingOf, organizationName, timeZone, transcriptPath, turn } from './board-atas/meeting.js';
import { notesEn } from './board-atas/notes.en.js';
import { notesEs } from './board-atas/notes.es.js';
import { notesPtBR } from './board-atas/notes.pt-BR.js';

const notesByLanguage: Record<Language, MinutesNotes> = { 'pt-BR': notesPtBR, en: notesEn, es: notesEs };
const docs = path.join(import.meta.dirname, '..', 'docs');

const turns: IndexedTurn[] = parseTranscript(fs.readFileSync(transcriptPath, 'utf8'), 'vtt').map((said, index) => ({ ...said, index }));

if (process.argv.includes('--turns')) {
  for (const [cites, index] of Object.entries(turn)) {
    const said = turns[index];
    process.stdout.write(`${cites} → [${index}] ${said ? `${said.speaker ?? '?'}: ${said.text}` : 'NO SUCH TURN'}\n`);
  }
}

for (const [language, notes] of Object.entries(notesByLanguage) as [Language, MinutesNotes][]) {
  const pdf = await renderAta(language, minutesNotes.parse(notes));
  const file = path.join(docs, `board-ata.${language}.pdf`);
  fs.writeFileSync(file, pdf);
  const image = path.join(docs, `board-ata.${language}`);
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', file, image]);
  process.stdout.write(`${path.relative(process.cwd(), file)}: ${pdf.length} bytes; ${path.relative(process.cwd(), `${image}.png`)}: ${fs.statSync(`${image}.png`).size} bytes\n`);
}

/** As the generation job writes the ata (minutes.jobs.ts) and the renderer draws its PDF (minutes.document.ts `pdfInputOf`). */
async function renderAta(language: Language, notes: MinutesNotes): Promise<Buffer> {
  const meeting = meetingOf(language);
  const settings = effectiveSettings(meeting, {});
  const record = buildMinutesRecord({ notes, settings, invitees, turns, startTime: meeting.startTime, timeZone });
  const platform = platformOf(meeting, language);
  const markdown = renderMinutesMarkdown(record, { topic: meeting.topic, startTime: meeting.startTime, durationMinutes: meeting.duration, platform, timeZone }, language);
  if (process.argv.includes('--markdown')) process.stdout.write(`\n----- ${language} -----\n${markdown}\n`);
  if (record.flags.length > 0) process.stdout.write(`${language}: flagged ${record.flags.join(', ')}\n`);

  const words = catalogOf(language).minutes;
  const { date, time } = formatDateAndTime(meeting.startTime, language, timeZone);
  const input: PdfRenderInput = {
    language,
    organizationName,
    title: meeting.topic,
    metadata: [
      { label: words.date, value: date },
      { label: words.time, value: time },
      { label: words.place, value: platform },
    ],
    markdown,
    // No signers named in the request: the chair and the secretary sign, under the titles of a board.
    signers: signatureLinesOf({ signers: [] }, record, language),
    contentSha256: sha256Hex(markdown),
    createdAt: endedAt,
  };
  return Buffer.from(await renderPdf(input));
}
