import { createRequire } from 'node:module';
import path from 'node:path';
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfTextRun {
  text: string;
  /** Lower-case CSS hex of the fill colour the text was painted with, e.g. '#ffffff'. */
  fillColor: string;
}

export interface PdfText {
  pageCount: number;
  /** One string per page: a line per text line, as pdf.js reads it. */
  pages: string[];
  /** Every page's text joined, for `toContain` across the document. */
  text: string;
  /** Per page, each text-showing operation with its fill colour (only with `withColors`). */
  runs: PdfTextRun[][];
}

const standardFontDataUrl = `${path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts')}/`;

/** Extracts the text of a PDF the way a reader (or DocuSign's anchor search) would see it. */
export async function extractPdfText(pdf: Uint8Array, options: { withColors?: boolean } = {}): Promise<PdfText> {
  // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy.
  const loading = getDocument({ data: new Uint8Array(pdf), standardFontDataUrl, verbosity: 0 });
  const document = await loading.promise;
  try {
    const pages: string[] = [];
    const runs: PdfTextRun[][] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
      runs.push(options.withColors ? textRunsOf(await page.getOperatorList()) : []);
    }
    return { pageCount: document.numPages, pages, text: pages.join('\n'), runs };
  } finally {
    await loading.destroy();
  }
}

interface OperatorList {
  fnArray: number[];
  argsArray: unknown[];
}

interface Glyph {
  unicode?: string;
}

/** Follows the fill colour through the content stream (q/Q included) to each text-showing operator. */
function textRunsOf(operatorList: OperatorList): PdfTextRun[] {
  const runs: PdfTextRun[] = [];
  const saved: string[] = [];
  let fillColor = '#000000';
  operatorList.fnArray.forEach((fn, index) => {
    const args = operatorList.argsArray[index] as unknown[] | null;
    if (fn === OPS.save) saved.push(fillColor);
    else if (fn === OPS.restore) fillColor = saved.pop() ?? fillColor;
    else if (fn === OPS.setFillRGBColor) fillColor = String(args?.[0]).toLowerCase();
    else if (fn === OPS.showText || fn === OPS.showSpacedText) {
      const glyphs = (args?.[0] ?? []) as (Glyph | number | null)[];
      const text = glyphs.map((glyph) => (glyph && typeof glyph === 'object' ? (glyph.unicode ?? '') : '')).join('');
      runs.push({ text, fillColor });
    }
  });
  return runs;
}

/** Whitespace runs (line ends included) become one space, so wrapped text compares as written. */
export const normaliseSpace = (text: string) => text.replace(/\s+/g, ' ').trim();
