import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';

const fontStyles: FontStyle[] = ['regular', 'bold', 'italic', 'boldItalic'];
export const standardFonts: Record<FontStyle, string> = {
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

export function loadDejaVuFonts(): Record<FontStyle, Buffer> {
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
export function useFonts(doc: PDFKit.PDFDocument, fonts: Record<FontStyle, string | Buffer>): void {
  const names = { ...standardFonts };
  for (const style of fontStyles) {
    const font = fonts[style];
    if (typeof font === 'string') continue;
    names[style] = `embedded-${style}`;
    doc.registerFont(names[style], font);
  }
  fontNamesOf.set(doc, names);
}

export function setFont(doc: PDFKit.PDFDocument, style: FontStyle, size: number): PDFKit.PDFDocument {
  return doc.font(fontNamesOf.get(doc)![style], size);
}

export function measure(doc: PDFKit.PDFDocument, text: string, style: FontStyle, size: number): number {
  return setFont(doc, style, size).widthOfString(text);
}

// Code points above 0xFF that WinAnsiEncoding places in 0x80–0x9F (the standard fonts' only other glyphs).
const winAnsiExtras = new Set([
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d, 0x2018,
  0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178,
]);

/** True when the standard fonts can write every text: otherwise DejaVu Sans is embedded. */
export function isWinAnsiOnly(texts: string[]): boolean {
  return texts.every((text) => {
    for (const char of text) {
      const code = char.codePointAt(0)!;
      const isEncodable = (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || winAnsiExtras.has(code);
      if (!isEncodable && char !== '\n' && char !== '\t') return false;
    }
    return true;
  });
}
