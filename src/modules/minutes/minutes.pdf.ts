import PDFDocument from 'pdfkit';
import { signatureAnchor } from './minutes.document.js';
import { drawBlock, drawHeading } from './minutes.pdf-blocks.js';
import { isWinAnsiOnly, loadDejaVuFonts, measure, setFont, standardFonts, useFonts, type FontStyle } from './minutes.pdf-fonts.js';
import {
  BODY_SIZE,
  CELL_PADDING,
  CONTENT_WIDTH,
  drawLine,
  drawRule,
  HEADING_SIZES,
  LINE_FACTOR,
  MARGIN_X,
  PAGE_HEIGHT,
  PAGE_WIDTH,
  PageWriter,
  TEXT_COLOR,
  wrapRuns,
  type Line,
} from './minutes.pdf-layout.js';
import { markdownBlocks, plainRun, type Block, type Run } from './minutes.pdf-markdown.js';

export interface MinutesPdfInput {
  organizationName: string;
  title: string;
  /** Already localised by the caller: Data, Horário, Local/Plataforma, Presidente… */
  metadata: { label: string; value: string }[];
  markdown: string;
  /** One signature line each; an empty name leaves the line's name blank, under it the role. */
  signers: { name: string; email?: string; role?: string }[];
  labels: { page: (n: number, total: number) => string; signatures: string; contentHash: string; draft?: string };
  /** Hex SHA-256 of `markdown`, printed in every page footer. */
  contentSha256: string;
  /** Fixes the PDF's CreationDate, and with it the file id, so the same input gives the same bytes. */
  createdAt?: Date;
}

const MUTED_COLOR = '#555555';
const ANCHOR_COLOR = '#FFFFFF';

export async function renderMinutesPdf(input: MinutesPdfInput): Promise<Buffer> {
  const blocks = markdownBlocks(input.markdown);
  const fonts = isWinAnsiOnly(textsOf(input, blocks)) ? standardFonts : loadDejaVuFonts();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0, // our own layout keeps the margins; pdfkit must never break pages by itself
    autoFirstPage: false,
    bufferPages: true,
    info: { Title: input.title, Author: input.organizationName, CreationDate: input.createdAt ?? new Date() },
  });
  const bytes = collectBytes(doc);
  useFonts(doc, fonts);
  const page = new PageWriter(doc, () => {
    if (input.labels.draft) drawWatermark(doc, input.labels.draft);
    drawHeader(doc, input);
  });
  page.addPage();
  drawTitleAndMetadata(page, input);
  for (const block of blocks) drawBlock(page, block);
  drawSignatures(page, input);
  drawFooters(doc, input);
  doc.end();
  return bytes;
}

function collectBytes(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

function textsOf(input: MinutesPdfInput, blocks: Block[]): string[] {
  const { labels } = input;
  const runsText = (runs: Run[]) => runs.map((run) => run.text).join('');
  const blockTexts = blocks.flatMap((block) => {
    if (block.kind === 'rule') return [];
    if (block.kind === 'table') return [...block.header, ...block.rows.flat()].map(runsText);
    return [runsText(block.runs), block.kind === 'text' ? (block.marker ?? '') : ''];
  });
  return [
    input.organizationName,
    input.title,
    input.contentSha256,
    ...input.metadata.flatMap((entry) => [entry.label, entry.value]),
    ...input.signers.flatMap((signer) => [signer.name, signer.email ?? '', signer.role ?? '']),
    labels.page(1, 1),
    labels.signatures,
    labels.contentHash,
    labels.draft ?? '',
    ...blockTexts,
  ];
}

// ---- Page header and footer -------------------------------------------------------------

function drawHeader(doc: PDFKit.PDFDocument, input: MinutesPdfInput): void {
  const organization = fitToWidth(doc, input.organizationName, 'bold', 9);
  const title = fitToWidth(doc, input.title, 'regular', 8.5);
  drawLine(doc, organization, MARGIN_X, 36, 9, MUTED_COLOR);
  drawLine(doc, title, MARGIN_X, 49, 8.5, MUTED_COLOR);
  drawRule(doc, 64);
}

/** The header has one line per field; the full title is on the first page. */
function fitToWidth(doc: PDFKit.PDFDocument, text: string, style: FontStyle, size: number): Line {
  let fitted = text;
  while (fitted.length > 1 && measure(doc, fitted, style, size) > CONTENT_WIDTH) fitted = `${fitted.slice(0, -2).trimEnd()}…`;
  const width = measure(doc, fitted, style, size);
  return { fragments: [{ text: fitted, style, width }], width };
}

function drawWatermark(doc: PDFKit.PDFDocument, text: string): void {
  const angle = (Math.atan2(PAGE_HEIGHT, PAGE_WIDTH) * 180) / Math.PI;
  const size = Math.min(110, (0.75 * Math.hypot(PAGE_WIDTH, PAGE_HEIGHT) * 96) / Math.max(1, measure(doc, text, 'bold', 96)));
  const width = measure(doc, text, 'bold', size);
  doc.save();
  doc.rotate(-angle, { origin: [PAGE_WIDTH / 2, PAGE_HEIGHT / 2] });
  setFont(doc, 'bold', size).fillColor('#e2e2e2').text(text, (PAGE_WIDTH - width) / 2, PAGE_HEIGHT / 2 - size / 2, { lineBreak: false });
  doc.restore();
}

function drawFooters(doc: PDFKit.PDFDocument, input: MinutesPdfInput): void {
  const { start, count } = doc.bufferedPageRange();
  const hash = fitToWidth(doc, `${input.labels.contentHash}: ${input.contentSha256}`, 'regular', 7);
  for (let index = 0; index < count; index++) {
    doc.switchToPage(start + index);
    const page = fitToWidth(doc, input.labels.page(index + 1, count), 'regular', 8);
    const top = PAGE_HEIGHT - 58;
    drawRule(doc, top - 6);
    const isOneRow = hash.width + page.width + 16 <= CONTENT_WIDTH;
    drawLine(doc, hash, MARGIN_X, top + (isOneRow ? 1 : 12), 7, MUTED_COLOR);
    drawLine(doc, page, MARGIN_X + CONTENT_WIDTH - page.width, top, 8, MUTED_COLOR);
  }
}

// ---- Content -----------------------------------------------------------------------------

function drawTitleAndMetadata(page: PageWriter, input: MinutesPdfInput): void {
  const { doc } = page;
  page.drawLines(wrapRuns(doc, [{ text: input.title, style: 'bold' }], 16, CONTENT_WIDTH), MARGIN_X, 16, { width: CONTENT_WIDTH, align: 'center' });
  page.y += 8;
  if (input.metadata.length === 0) return;
  const labelWidth = Math.min(150, Math.max(...input.metadata.map((entry) => measure(doc, entry.label, 'bold', BODY_SIZE))) + 12);
  const valueWidth = CONTENT_WIDTH - labelWidth - 2 * CELL_PADDING;
  const rows = input.metadata.map((entry) => ({
    label: wrapRuns(doc, [{ text: entry.label, style: 'bold' }], BODY_SIZE, labelWidth - CELL_PADDING),
    value: wrapRuns(doc, [plainRun(entry.value)], BODY_SIZE, valueWidth),
  }));
  const lineHeight = BODY_SIZE * LINE_FACTOR;
  const height = rows.reduce((total, row) => total + Math.max(row.label.length, row.value.length) * lineHeight, 0) + 2 * CELL_PADDING;
  page.ensureSpace(height);
  doc.rect(MARGIN_X, page.y, CONTENT_WIDTH, height).fillColor('#f3f3f3').fill();
  page.y += CELL_PADDING;
  for (const row of rows) {
    const top = page.y;
    page.drawLines(row.label, MARGIN_X + CELL_PADDING, BODY_SIZE);
    page.y = top;
    page.drawLines(row.value, MARGIN_X + CELL_PADDING + labelWidth, BODY_SIZE);
    page.y = top + Math.max(row.label.length, row.value.length) * lineHeight;
  }
  page.y += CELL_PADDING + 12;
}

// ---- Signatures --------------------------------------------------------------------------

const SIGNATURE_COLUMN_GAP = 32;
const SIGNATURE_SPACE = 44;

function drawSignatures(page: PageWriter, input: MinutesPdfInput): void {
  if (input.signers.length === 0) return;
  const columnWidth = (CONTENT_WIDTH - SIGNATURE_COLUMN_GAP) / 2;
  const blocks = input.signers.map((signer) => signerLines(page.doc, signer, columnWidth));
  const headingRuns = [{ text: input.labels.signatures, style: 'bold' as const }];
  const rowHeight = (index: number) => SIGNATURE_SPACE + Math.max(...blocks.slice(index, index + 2).map((lines) => lines.length)) * BODY_SIZE * LINE_FACTOR + 16;
  page.y += 12;
  page.ensureSpace(HEADING_SIZES[1]! * LINE_FACTOR + rowHeight(0));
  drawHeading(page, 2, headingRuns);
  for (let index = 0; index < blocks.length; index += 2) {
    page.ensureSpace(rowHeight(index));
    const lineY = page.y + SIGNATURE_SPACE;
    for (const column of [0, 1]) {
      const lines = blocks[index + column];
      if (lines) drawSignatureLine(page, index + column + 1, lines, MARGIN_X + column * (columnWidth + SIGNATURE_COLUMN_GAP), lineY, columnWidth);
    }
    page.y += rowHeight(index);
  }
}

function drawSignatureLine(page: PageWriter, n: number, lines: Line[], x: number, lineY: number, width: number): void {
  const { doc } = page;
  // White, so invisible on paper, but DocuSign finds the anchor text and puts signer n's tab there.
  setFont(doc, 'regular', 7).fillColor(ANCHOR_COLOR).text(signatureAnchor(n), x, lineY - 10, { lineBreak: false });
  doc.moveTo(x, lineY).lineTo(x + width, lineY).lineWidth(0.75).strokeColor('#333333').stroke();
  lines.forEach((line, index) => {
    drawLine(doc, line, x, lineY + 4 + index * BODY_SIZE * LINE_FACTOR, BODY_SIZE, index === 0 ? TEXT_COLOR : MUTED_COLOR);
  });
}

/**
 * The name in bold under the line, then the role and e-mail. A signer with no name (a chair or
 * secretary the minutes could not name) keeps the blank line where the name is written by hand,
 * so the role stays where it is for every signer.
 */
function signerLines(doc: PDFKit.PDFDocument, signer: MinutesPdfInput['signers'][number], width: number): Line[] {
  const details = [signer.role, signer.email].filter((text): text is string => Boolean(text?.trim()));
  const name = signer.name.trim();
  return [
    ...(name ? wrapRuns(doc, [{ text: name, style: 'bold' }], BODY_SIZE, width) : [{ fragments: [], width: 0 }]),
    ...details.flatMap((text) => wrapRuns(doc, [plainRun(text)], BODY_SIZE, width)),
  ];
}
