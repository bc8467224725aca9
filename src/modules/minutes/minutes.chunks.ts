import { countTokens } from 'gpt-tokenizer';
import { formatTurn, type IndexedTurn } from './minutes.prompt.js';

/** Turns repeated at the start of the next chunk, so a decision spoken across the cut keeps its context. */
export const OVERLAP_TURNS = 3;

export interface Chunk {
  turns: IndexedTurn[];
  /** Indices of turns also in the previous chunk. */
  overlap: Set<number>;
}

/**
 * Splits a transcript into chunks of whole speaker turns whose prompt lines fit `budgetTokens`,
 * each starting with the last OVERLAP_TURNS turns of the one before. A single turn too long
 * for a chunk is cut into pieces on word boundaries (same index, so it is still citable).
 * Every turn lands in at least one chunk: nothing is dropped.
 */
export function splitIntoChunks(turns: readonly IndexedTurn[], budgetTokens: number): Chunk[] {
  const pieces = turns.flatMap((turn) => splitLongTurn(turn, budgetTokens));
  const prefix = [0];
  for (const turn of pieces) prefix.push(prefix.at(-1)! + countTokens(formatTurn(turn)) + 1);
  const costOf = (from: number, to: number) => prefix[to]! - prefix[from]!;

  const ranges: { start: number; end: number }[] = [];
  for (let start = 0; start < pieces.length; ) {
    let end = start + 1;
    while (end < pieces.length && costOf(start, end + 1) <= budgetTokens) end++;
    ranges.push({ start, end });
    start = end;
  }
  return ranges.map(({ start, end }, position) => {
    const previousStart = position === 0 ? start : ranges[position - 1]!.start;
    let from = Math.max(previousStart, start - OVERLAP_TURNS);
    while (from < start && costOf(from, end) > budgetTokens) from++; // the overlap never pushes a chunk over budget
    return { turns: pieces.slice(from, end), overlap: new Set(pieces.slice(from, start).map((turn) => turn.index)) };
  });
}

function splitLongTurn(turn: IndexedTurn, budgetTokens: number): IndexedTurn[] {
  if (countTokens(formatTurn(turn)) < budgetTokens) return [turn];
  const words = turn.text.split(/\s+/);
  const pieces: IndexedTurn[] = [];
  let current: string[] = [];
  for (const word of words) {
    current.push(word);
    if (countTokens(formatTurn({ ...turn, text: current.join(' ') })) >= budgetTokens * 0.9) {
      current.pop();
      if (current.length === 0) current.push(word); // one enormous "word": keep it whole rather than loop
      pieces.push({ ...turn, text: current.join(' ') });
      current = current.includes(word) ? [] : [word];
    }
  }
  if (current.length > 0) pieces.push({ ...turn, text: current.join(' ') });
  return pieces;
}
