import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { marked, type Token, type Tokens } from 'marked';
import PDFDocument from 'pdfkit';

export interface MinutesPdfInput {
  organizationName: string;
  title: string;
  /** Already localised by the caller: Data, Horário, Local/Plataforma, Presidente… */
  metadata: { label: string; value: string }[];
  markdown: string;
  signers: { name: string; email?: string; role?: string }[];
  labels: { page: (n: number, total: number) => string; signatures: string; contentHash: string; draft?: string };
  /** Hex SHA-256 of `markdown`, printed in every page footer. */
  contentSha256: string;
  /** Fixes the PDF's CreationDate, and with it the file id, so the same input gives the same bytes. */
  createdAt?: Date;
}

/** DocuSign anchor strings, 1-based: written in white at signer n's line. */
export const signatureAnchor = (n: number) => `/sig${n}/`;

type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';
type Align = 'left' | 'center' | 'right';
interface Run {
  text: string;
  style: FontStyle;
}
type Block =
  | { kind: 'heading'; depth: number; runs: Run[] }
  | { kind: 'text'; runs: Run[]; indent: number; marker?: string; spaceAfter: number }
  | { kind: 'table'; header: Run[][]; rows: Run[][][]; align: Align[] }
  | { kind: 'rule' };

const PAGE_WIDTH = 595.28; // A4 in points
const WIDTH_TOLERANCE = 0.01; // sums of measured widths drift by float rounding
const PAGE_HEIGHT = 841.89;
const MARGIN_X = 56;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;
const CONTENT_TOP = 84;
const CONTENT_BOTTOM = PAGE_HEIGHT - 74;
const BODY_SIZE = 10.5;
const TABLE_SIZE = 9.5;
const LINE_FACTOR = 1.4;
const HEADING_SIZES = [16, 13.5, 12, 11, 10.5, 10.5];
const INDENT_STEP = 16;
const CELL_PADDING = 4;
const TEXT_COLOR = '#1a1a1a';
const MUTED_COLOR = '#555555';
const RULE_COLOR = '#b0b0b0';
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
  const page = new PageWriter(doc, input);
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

// ---- Fonts -------------------------------------------------------------------------------

const fontStyles: FontStyle[] = ['regular', 'bold', 'italic', 'boldItalic'];
const standardFonts: Record<FontStyle, string> = {
  regular: 'Helvetica',
  bold: 'Helvetica-Bold',
  italic: 'Helvetica-Oblique',
  boldItalic: 'Helvetica-BoldOblique',
};
const dejaVuFiles: Record<FontStyle, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
};
let dejaVuFonts: Record<FontStyle, Buffer> | undefined;

function loadDejaVuFonts(): Record<FontStyle, Buffer> {
  if (dejaVuFonts) return dejaVuFonts;
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const read = (style: FontStyle) => fs.readFileSync(path.join(dir, dejaVuFiles[style]));
  dejaVuFonts = { regular: read('regular'), bold: read('bold'), italic: read('italic'), boldItalic: read('boldItalic') };
  return dejaVuFonts;
}

const fontNamesOf = new WeakMap<PDFKit.PDFDocument, Record<FontStyle, string>>();

/**
 * Standard fonts are used by their own names: pdfkit opens its default Helvetica at construction,
 * and an alias of an already open font is never cached, so it would re-read the metrics on every call.
 */
function useFonts(doc: PDFKit.PDFDocument, fonts: Record<FontStyle, string | Buffer>): void {
  const names = { ...standardFonts };
  for (const style of fontStyles) {
    const font = fonts[style];
    if (typeof font === 'string') continue;
    names[style] = `embedded-${style}`;
    doc.registerFont(names[style], font);
  }
  fontNamesOf.set(doc, names);
}

function setFont(doc: PDFKit.PDFDocument, style: FontStyle, size: number): PDFKit.PDFDocument {
  return doc.font(fontNamesOf.get(doc)![style], size);
}

// Code points above 0xFF that WinAnsiEncoding places in 0x80–0x9F (the standard fonts' only other glyphs).
const winAnsiExtras = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d, 0x2018,
  0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178,
]);

function isWinAnsiOnly(texts: string[]): boolean {
  return texts.every((text) => {
    for (const char of text) {
      const code = char.codePointAt(0)!;
      const isEncodable = (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || winAnsiExtras.has(code);
      if (!isEncodable && char !== '\n' && char !== '\t') return false;
    }
    return true;
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

// ---- Markdown to blocks ------------------------------------------------------------------

function markdownBlocks(markdown: string): Block[] {
  return blocksOf(marked.lexer(markdown), 0);
}

function blocksOf(tokens: Token[], indent: number): Block[] {
  return tokens.flatMap((token) => blocksOfToken(token, indent));
}

function blocksOfToken(token: Token, indent: number): Block[] {
  const textBlock = (runs: Run[]): Block[] => [{ kind: 'text', runs, indent, spaceAfter: indent > 0 ? 3 : 8 }];
  switch (token.type) {
    case 'heading':
      return [{ kind: 'heading', depth: (token as Tokens.Heading).depth, runs: inlineRuns(token.tokens) }];
    case 'paragraph':
      return textBlock(inlineRuns(token.tokens));
    case 'text':
      return textBlock(token.tokens ? inlineRuns(token.tokens) : [plainRun(decodeEntities(token.text as string))]);
    case 'code':
      return textBlock([plainRun(token.text as string)]);
    case 'html': {
      const text = (token.text as string).replace(/<[^>]*>/g, '').trim();
      return text ? textBlock([plainRun(decodeEntities(text))]) : [];
    }
    case 'list':
      return listBlocks(token as Tokens.List, indent);
    case 'blockquote':
      return blocksOf(token.tokens ?? [], indent + 1);
    case 'table':
      return [tableBlock(token as Tokens.Table)];
    case 'hr':
      return [{ kind: 'rule' }];
    default:
      return [];
  }
}

function listBlocks(list: Tokens.List, indent: number): Block[] {
  const start = typeof list.start === 'number' ? list.start : 1;
  const blocks = list.items.flatMap((item, index) => listItemBlocks(item, list.ordered ? `${start + index}.` : '•', indent + 1));
  const last = blocks.at(-1);
  if (last?.kind === 'text' && indent === 0) last.spaceAfter = 8;
  return blocks;
}

function listItemBlocks(item: Tokens.ListItem, marker: string, indent: number): Block[] {
  const checkbox = item.tokens.find((token) => token.type === 'checkbox') as Tokens.Checkbox | undefined;
  const blocks = blocksOf(item.tokens, indent);
  const first = blocks[0];
  if (first?.kind === 'text' && first.indent === indent) {
    first.marker = marker;
    if (checkbox) first.runs.unshift(plainRun(checkbox.checked ? '[x] ' : '[ ] '));
  } else {
    blocks.unshift({ kind: 'text', runs: [], indent, marker, spaceAfter: 3 });
  }
  return blocks;
}

function tableBlock(table: Tokens.Table): Block {
  return {
    kind: 'table',
    header: table.header.map((cell) => inlineRuns(cell.tokens, { bold: true, italic: false })),
    rows: table.rows.map((row) => row.map((cell) => inlineRuns(cell.tokens))),
    align: table.align.map((align) => align ?? 'left'),
  };
}

interface InlineStyle {
  bold: boolean;
  italic: boolean;
}

function inlineRuns(tokens: Token[] | undefined, style: InlineStyle = { bold: false, italic: false }): Run[] {
  return (tokens ?? []).flatMap((token) => inlineRunsOfToken(token, style));
}

function inlineRunsOfToken(token: Token, style: InlineStyle): Run[] {
  const run = (text: string): Run[] => [{ text, style: fontStyleOf(style) }];
  switch (token.type) {
    case 'strong':
      return inlineRuns(token.tokens, { ...style, bold: true });
    case 'em':
      return inlineRuns(token.tokens, { ...style, italic: true });
    case 'del':
      return inlineRuns(token.tokens, style);
    case 'text':
      return token.tokens ? inlineRuns(token.tokens, style) : run(decodeEntities(token.text as string).replace(/\n/g, ' '));
    case 'link': {
      const link = token as Tokens.Link;
      const text = inlineRuns(link.tokens, style);
      return link.text === link.href ? text : [...text, ...run(` (${link.href})`)];
    }
    case 'br':
      return run('\n');
    case 'html':
      return []; // an inline tag is markup, not text
    case 'codespan':
    case 'escape':
    case 'image':
      return run(token.text as string);
    default:
      return 'text' in token ? run(String(token.text)) : [];
  }
}

const plainRun = (text: string): Run => ({ text, style: 'regular' });
const fontStyleOf = ({ bold, italic }: InlineStyle): FontStyle => (bold ? (italic ? 'boldItalic' : 'bold') : italic ? 'italic' : 'regular');

// marked leaves character references in text tokens for its HTML renderer to pass through.
const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return namedEntities[name.toLowerCase()] ?? whole;
  });
}

// ---- Line breaking -----------------------------------------------------------------------

interface Fragment {
  text: string;
  style: FontStyle;
  width: number;
}
interface Word {
  fragments: Fragment[];
  isAfterSpace: boolean;
  isAfterBreak: boolean;
}
interface Line {
  fragments: Fragment[];
  width: number;
}

/** Splits runs into words; a word may mix styles (`**neg**rito`) and then never breaks inside. */
function wordsOf(doc: PDFKit.PDFDocument, runs: Run[], size: number): Word[] {
  const words: Word[] = [];
  let isAfterSpace = false;
  let isAfterBreak = false;
  for (const run of runs) {
    for (const piece of run.text.split(/(\n|[ \t\r]+)/)) {
      if (piece === '\n') isAfterBreak = true;
      else if (/^[ \t\r]+$/.test(piece)) isAfterSpace = true;
      else if (piece) {
        const fragment = { text: piece, style: run.style, width: measure(doc, piece, run.style, size) };
        const current = words.at(-1);
        if (current && !isAfterSpace && !isAfterBreak) current.fragments.push(fragment);
        else words.push({ fragments: [fragment], isAfterSpace, isAfterBreak });
        isAfterSpace = isAfterBreak = false;
      }
    }
  }
  return words;
}

function wrapRuns(doc: PDFKit.PDFDocument, runs: Run[], size: number, maxWidth: number): Line[] {
  const lines: Line[] = [];
  let line: Line = { fragments: [], width: 0 };
  for (const word of wordsOf(doc, runs, size).flatMap((word) => splitLongWord(doc, word, size, maxWidth))) {
    const wordWidth = sumWidths(word.fragments);
    const last = line.fragments.at(-1);
    const space = last && word.isAfterSpace ? measure(doc, ' ', last.style, size) : 0;
    if (last && (word.isAfterBreak || line.width + space + wordWidth > maxWidth + WIDTH_TOLERANCE)) {
      lines.push(line);
      line = { fragments: [], width: 0 };
    } else if (last && space > 0) {
      last.text += ' ';
      last.width += space;
      line.width += space;
    }
    appendFragments(line, word.fragments);
  }
  if (line.fragments.length > 0 || lines.length === 0) lines.push(line);
  return lines;
}

function appendFragments(line: Line, fragments: Fragment[]): void {
  for (const fragment of fragments) {
    const last = line.fragments.at(-1);
    if (last?.style === fragment.style) {
      last.text += fragment.text;
      last.width += fragment.width;
    } else line.fragments.push({ ...fragment });
    line.width += fragment.width;
  }
}

/** A word wider than the line (a URL, a hash) is cut between characters rather than overflow. */
function splitLongWord(doc: PDFKit.PDFDocument, word: Word, size: number, maxWidth: number): Word[] {
  if (sumWidths(word.fragments) <= maxWidth + WIDTH_TOLERANCE) return [word];
  const pieces: Word[] = [{ fragments: [], isAfterSpace: word.isAfterSpace, isAfterBreak: word.isAfterBreak }];
  for (const fragment of word.fragments) {
    for (const char of fragment.text) {
      const width = measure(doc, char, fragment.style, size);
      let piece = pieces.at(-1)!;
      if (piece.fragments.length > 0 && sumWidths(piece.fragments) + width > maxWidth + WIDTH_TOLERANCE) {
        piece = { fragments: [], isAfterSpace: false, isAfterBreak: true };
        pieces.push(piece);
      }
      piece.fragments.push({ text: char, style: fragment.style, width });
    }
  }
  return pieces;
}

const sumWidths = (fragments: Fragment[]) => fragments.reduce((total, fragment) => total + fragment.width, 0);

function measure(doc: PDFKit.PDFDocument, text: string, style: FontStyle, size: number): number {
  return setFont(doc, style, size).widthOfString(text);
}

// ---- Pages -------------------------------------------------------------------------------

class PageWriter {
  y = CONTENT_TOP;
  constructor(
    readonly doc: PDFKit.PDFDocument,
    private readonly input: MinutesPdfInput,
  ) {}

  addPage(): void {
    this.doc.addPage({ size: 'A4', margin: 0 });
    if (this.input.labels.draft) drawWatermark(this.doc, this.input.labels.draft);
    drawHeader(this.doc, this.input);
    this.y = CONTENT_TOP;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  ensureSpace(height: number): void {
    if (this.y + height > CONTENT_BOTTOM && this.y > CONTENT_TOP) this.addPage();
  }

  drawLines(lines: Line[], x: number, size: number, options: { width?: number; align?: Align; color?: string } = {}): void {
    const lineHeight = size * LINE_FACTOR;
    for (const line of lines) {
      this.ensureSpace(lineHeight);
      drawLine(this.doc, line, x + alignOffset(line, options.width ?? 0, options.align), this.y, size, options.color);
      this.y += lineHeight;
    }
  }
}

function drawLine(doc: PDFKit.PDFDocument, line: Line, x: number, y: number, size: number, color = TEXT_COLOR): void {
  doc.fillColor(color);
  let left = x;
  for (const fragment of line.fragments) {
    setFont(doc, fragment.style, size).text(fragment.text, left, y, { lineBreak: false });
    left += fragment.width;
  }
}

function alignOffset(line: Line, width: number, align: Align = 'left'): number {
  if (align === 'left') return 0;
  return align === 'center' ? (width - line.width) / 2 : width - line.width;
}

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

function drawRule(doc: PDFKit.PDFDocument, y: number, x = MARGIN_X, width = CONTENT_WIDTH): void {
  doc.moveTo(x, y).lineTo(x + width, y).lineWidth(0.5).strokeColor(RULE_COLOR).stroke();
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

function drawBlock(page: PageWriter, block: Block): void {
  switch (block.kind) {
    case 'heading':
      return drawHeading(page, block.depth, block.runs);
    case 'text':
      return drawTextBlock(page, block.runs, block.indent, block.marker, block.spaceAfter);
    case 'table':
      return drawTable(page, block);
    case 'rule':
      page.ensureSpace(12);
      drawRule(page.doc, page.y + 4);
      page.y += 12;
  }
}

function drawHeading(page: PageWriter, depth: number, runs: Run[]): void {
  const size = HEADING_SIZES[depth - 1] ?? BODY_SIZE;
  const boldRuns = runs.map((run): Run => ({ ...run, style: run.style === 'italic' || run.style === 'boldItalic' ? 'boldItalic' : 'bold' }));
  const lines = wrapRuns(page.doc, boldRuns, size, CONTENT_WIDTH);
  page.y += size * 0.5;
  // A heading never ends a page: it keeps its own lines and two lines of what follows.
  page.ensureSpace(lines.length * size * LINE_FACTOR + 2 * BODY_SIZE * LINE_FACTOR);
  page.drawLines(lines, MARGIN_X, size);
  page.y += size * 0.3;
}

function drawTextBlock(page: PageWriter, runs: Run[], indent: number, marker: string | undefined, spaceAfter: number): void {
  const x = MARGIN_X + indent * INDENT_STEP;
  const lines = wrapRuns(page.doc, runs, BODY_SIZE, MARGIN_X + CONTENT_WIDTH - x);
  if (marker) {
    page.ensureSpace(BODY_SIZE * LINE_FACTOR);
    const markerLine = wrapRuns(page.doc, [plainRun(marker)], BODY_SIZE, INDENT_STEP)[0]!;
    drawLine(page.doc, markerLine, x - 4 - markerLine.width, page.y, BODY_SIZE);
  }
  page.drawLines(lines, x, BODY_SIZE);
  page.y += spaceAfter;
}

// ---- Tables ------------------------------------------------------------------------------

function drawTable(page: PageWriter, table: Extract<Block, { kind: 'table' }>): void {
  const widths = columnWidths(page.doc, [table.header, ...table.rows]);
  const wrapRow = (cells: Run[][]) => widths.map((width, column) => wrapRuns(page.doc, cells[column] ?? [], TABLE_SIZE, width - 2 * CELL_PADDING));
  const header = wrapRow(table.header);
  const lineHeight = TABLE_SIZE * LINE_FACTOR;
  const heightOf = (cells: Line[][]) => Math.max(1, ...cells.map((lines) => lines.length)) * lineHeight + 2 * CELL_PADDING;
  // A header taller than a third of a page is not worth repeating on every page.
  const repeatedHeader = heightOf(header) <= (CONTENT_BOTTOM - CONTENT_TOP) / 3 ? header : undefined;
  const topOfPage = CONTENT_TOP + (repeatedHeader ? heightOf(repeatedHeader) : 0);
  // The header never ends a page alone: it keeps the first row, or its first lines when the row is long.
  page.ensureSpace(heightOf(header) + Math.min(heightOf(wrapRow(table.rows[0] ?? [])), 3 * lineHeight + 2 * CELL_PADDING));
  drawRow(page, header, widths, table.align, true);
  for (const row of table.rows) {
    let cells = wrapRow(row);
    while (page.y + heightOf(cells) > CONTENT_BOTTOM) {
      // A row goes whole to the next page, unless it is taller than a page: then it is cut between lines.
      if (topOfPage + heightOf(cells) > CONTENT_BOTTOM) {
        const take = Math.max(page.y <= topOfPage ? 1 : 0, Math.floor((CONTENT_BOTTOM - page.y - 2 * CELL_PADDING) / lineHeight));
        if (take > 0) drawRow(page, cells.map((lines) => lines.slice(0, take)), widths, table.align, false);
        cells = cells.map((lines) => lines.slice(take));
      }
      page.addPage();
      if (repeatedHeader) drawRow(page, repeatedHeader, widths, table.align, true);
    }
    drawRow(page, cells, widths, table.align, false);
  }
  page.y += 10;
}

function drawRow(page: PageWriter, cells: Line[][], widths: number[], align: Align[], isHeader: boolean): void {
  const { doc } = page;
  const lineHeight = TABLE_SIZE * LINE_FACTOR;
  const height = Math.max(1, ...cells.map((lines) => lines.length)) * lineHeight + 2 * CELL_PADDING;
  const top = page.y;
  let x = MARGIN_X;
  widths.forEach((width, column) => {
    if (isHeader) doc.rect(x, top, width, height).fillColor('#e9e9e9').fill();
    doc.rect(x, top, width, height).lineWidth(0.5).strokeColor(RULE_COLOR).stroke();
    cells[column]?.forEach((line, index) => {
      const left = x + CELL_PADDING + alignOffset(line, width - 2 * CELL_PADDING, align[column]);
      drawLine(doc, line, left, top + CELL_PADDING + index * lineHeight, TABLE_SIZE);
    });
    x += width;
  });
  page.y = top + height;
}

/**
 * Narrow columns (names, dates, references) keep their natural width; the wide ones share the
 * rest in proportion to their natural width, never narrower than their longest word.
 */
function columnWidths(doc: PDFKit.PDFDocument, rows: Run[][][]): number[] {
  const { natural, minimum } = measureColumns(doc, rows);
  let flexible = natural.map((_, column) => column);
  let available = CONTENT_WIDTH;
  for (;;) {
    const share = available / flexible.length;
    const narrow = flexible.filter((column) => natural[column]! <= share);
    if (narrow.length === 0 || narrow.length === flexible.length) break;
    for (const column of narrow) available -= natural[column]!;
    flexible = flexible.filter((column) => natural[column]! > share);
  }
  const flexibleNatural = flexible.reduce((total, column) => total + natural[column]!, 0);
  const widths = [...natural];
  for (const column of flexible) widths[column] = Math.max(minimum[column]!, (available * natural[column]!) / flexibleNatural);
  const total = widths.reduce((a, b) => a + b, 0);
  return widths.map((width) => (width * CONTENT_WIDTH) / total);
}

function measureColumns(doc: PDFKit.PDFDocument, rows: Run[][][]): { natural: number[]; minimum: number[] } {
  const columns = Math.max(...rows.map((row) => row.length));
  const padding = 2 * CELL_PADDING;
  const natural = Array.from({ length: columns }, () => padding);
  const minimum = Array.from({ length: columns }, () => padding);
  for (const row of rows) {
    row.forEach((cell, column) => {
      const lines = wrapRuns(doc, cell, TABLE_SIZE, Number.POSITIVE_INFINITY);
      const longestWord = Math.max(0, ...wordsOf(doc, cell, TABLE_SIZE).map((word) => sumWidths(word.fragments)));
      natural[column] = Math.max(natural[column]!, Math.max(...lines.map((line) => line.width)) + padding);
      minimum[column] = Math.max(minimum[column]!, Math.min(longestWord, CONTENT_WIDTH / 3) + padding);
    });
  }
  return { natural, minimum };
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

function signerLines(doc: PDFKit.PDFDocument, signer: MinutesPdfInput['signers'][number], width: number): Line[] {
  const details = [signer.role, signer.email].filter((text): text is string => Boolean(text));
  return [
    ...wrapRuns(doc, [{ text: signer.name, style: 'bold' }], BODY_SIZE, width),
    ...details.flatMap((text) => wrapRuns(doc, [plainRun(text)], BODY_SIZE, width)),
  ];
}
