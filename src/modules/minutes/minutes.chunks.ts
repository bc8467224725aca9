import { countTokens } from './minutes.tokens.js';
import type { Language } from '../../i18n/languages.js';
import { formatTurn, systemPrompt, userPrompt, type IndexedTurn, type MeetingFacts } from './minutes.prompt.js';

/** Turns repeated at the start of the next chunk, so a decision spoken across the cut keeps its context. */
export const OVERLAP_TURNS = 3;

export interface Chunk {
  turns: IndexedTurn[];
  /** Indices of turns also in the previous chunk. */
  overlap: Set<number>;
}

/** Below this many tokens for transcript lines, the model's settings leave no room for minutes. */
export const MIN_TRANSCRIPT_BUDGET = 256;

/**
 * Tokens left for transcript lines: the context minus the answer, the prompts around the
 * transcript (the system prompt at its longest, that of a chunk of many), and a margin for the
 * per-message overhead and tokenizer differences.
 */
export function transcriptBudgetFor(request: { contextTokens: number; maxOutputTokens: number; facts: MeetingFacts; language: Language }): number {
  const { contextTokens, maxOutputTokens } = request;
  const system = systemPrompt(request.language, { part: 99, of: 99 });
  const userFrame = userPrompt(request.facts, []);
  const margin = Math.ceil(contextTokens * 0.05) + 32;
  return contextTokens - maxOutputTokens - countTokens(system) - countTokens(userFrame) - margin;
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

  const chunks: Chunk[] = [];
  for (let start = 0, previousStart = 0; start < pieces.length; ) {
    let from = chunks.length === 0 ? start : Math.max(previousStart, start - OVERLAP_TURNS);
    while (from < start && costOf(from, start + 1) > budgetTokens) from++; // room for at least one new turn
    let end = start + 1;
    while (end < pieces.length && costOf(from, end + 1) <= budgetTokens) end++;
    chunks.push({ turns: pieces.slice(from, end), overlap: new Set(pieces.slice(from, start).map((turn) => turn.index)) });
    previousStart = start;
    start = end;
  }
  return chunks;
}

function splitLongTurn(turn: IndexedTurn, budgetTokens: number): IndexedTurn[] {
  if (countTokens(formatTurn(turn)) < budgetTokens) return [turn];
  const frame = countTokens(formatTurn({ ...turn, text: '' }));
  const room = Math.max(1, Math.floor(budgetTokens * 0.9) - frame);
  const pieces: IndexedTurn[] = [];
  let words: string[] = [];
  let used = 0;
  for (const word of turn.text.split(/\s+/)) {
    const cost = countTokens(` ${word}`);
    if (words.length > 0 && used + cost > room) {
      pieces.push({ ...turn, text: words.join(' ') });
      words = [];
      used = 0;
    }
    words.push(word);
    used += cost;
  }
  if (words.length > 0) pieces.push({ ...turn, text: words.join(' ') });
  return pieces;
}
