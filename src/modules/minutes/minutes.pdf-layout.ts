import { measure, setFont, type FontStyle } from './minutes.pdf-fonts.js';
import type { Align, Run } from './minutes.pdf-markdown.js';

export const PAGE_WIDTH = 595.28; // A4 in points
const WIDTH_TOLERANCE = 0.01; // sums of measured widths drift by float rounding
export const PAGE_HEIGHT = 841.89;
export const MARGIN_X = 56;
export const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;
export const CONTENT_TOP = 84;
export const CONTENT_BOTTOM = PAGE_HEIGHT - 74;
export const BODY_SIZE = 10.5;
export const LINE_FACTOR = 1.4;
export const HEADING_SIZES = [16, 13.5, 12, 11, 10.5, 10.5];
export const CELL_PADDING = 4;
export const TEXT_COLOR = '#1a1a1a';
export const RULE_COLOR = '#b0b0b0';

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
export interface Line {
  fragments: Fragment[];
  width: number;
}

/** Splits runs into words; a word may mix styles (`**neg**rito`) and then never breaks inside. */
export function wordsOf(doc: PDFKit.PDFDocument, runs: Run[], size: number): Word[] {
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

export function wrapRuns(doc: PDFKit.PDFDocument, runs: Run[], size: number, maxWidth: number): Line[] {
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

export const sumWidths = (fragments: Fragment[]) => fragments.reduce((total, fragment) => total + fragment.width, 0);

// ---- Pages -------------------------------------------------------------------------------

/** Writes from the top of the content area down, and starts a new page when the next lines do not fit. */
export class PageWriter {
  y = CONTENT_TOP;
  constructor(
    readonly doc: PDFKit.PDFDocument,
    /** Draws what every page has besides the content (watermark, header) on a page just added. */
    private readonly drawPageFrame: () => void,
  ) {}

  addPage(): void {
    this.doc.addPage({ size: 'A4', margin: 0 });
    this.drawPageFrame();
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

export function drawLine(doc: PDFKit.PDFDocument, line: Line, x: number, y: number, size: number, color = TEXT_COLOR): void {
  doc.fillColor(color);
  let left = x;
  for (const fragment of line.fragments) {
    setFont(doc, fragment.style, size).text(fragment.text, left, y, { lineBreak: false });
    left += fragment.width;
  }
}

export function alignOffset(line: Line, width: number, align: Align = 'left'): number {
  if (align === 'left') return 0;
  return align === 'center' ? (width - line.width) / 2 : width - line.width;
}

export function drawRule(doc: PDFKit.PDFDocument, y: number, x = MARGIN_X, width = CONTENT_WIDTH): void {
  doc.moveTo(x, y).lineTo(x + width, y).lineWidth(0.5).strokeColor(RULE_COLOR).stroke();
}
