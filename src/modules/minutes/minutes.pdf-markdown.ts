import { marked, type Token, type Tokens } from 'marked';
import type { FontStyle } from './minutes.pdf-fonts.js';

// Markdown read into what the PDF renderer draws: headings, text, tables and rules, made of styled runs.

export type Align = 'left' | 'center' | 'right';
export interface Run {
  text: string;
  style: FontStyle;
}
export type Block =
  | { kind: 'heading'; depth: number; runs: Run[] }
  | { kind: 'text'; runs: Run[]; indent: number; marker?: string; spaceAfter: number }
  | { kind: 'table'; header: Run[][]; rows: Run[][][]; align: Align[] }
  | { kind: 'rule' };

export function markdownBlocks(markdown: string): Block[] {
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

export const plainRun = (text: string): Run => ({ text, style: 'regular' });
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
