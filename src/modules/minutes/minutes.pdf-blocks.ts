import {
  alignOffset,
  BODY_SIZE,
  CELL_PADDING,
  CONTENT_BOTTOM,
  CONTENT_TOP,
  CONTENT_WIDTH,
  drawLine,
  drawRule,
  HEADING_SIZES,
  LINE_FACTOR,
  MARGIN_X,
  RULE_COLOR,
  sumWidths,
  wordsOf,
  wrapRuns,
  type Line,
  type PageWriter,
} from './minutes.pdf-layout.js';
import { plainRun, type Align, type Block, type Run } from './minutes.pdf-markdown.js';

// Draws the blocks read from the Markdown: headings, paragraphs and list items, rules and tables.

const TABLE_SIZE = 9.5;
const INDENT_STEP = 16;

export function drawBlock(page: PageWriter, block: Block): void {
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

export function drawHeading(page: PageWriter, depth: number, runs: Run[]): void {
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
