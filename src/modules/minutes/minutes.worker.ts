import { catalogOf, type Language } from '../../i18n/languages.js';
import { MIN_TRANSCRIPT_BUDGET, splitIntoChunks, transcriptBudgetFor, type Chunk } from './minutes.chunks.js';
import { renderMinutesPdf, type MinutesPdfInput } from './minutes.pdf.js';
import type { IndexedTurn, MeetingFacts } from './minutes.prompt.js';
import { loadTokenizer } from './minutes.tokens.js';

/**
 * Runs in worker threads (see minutes.worker-pool.ts): rendering a PDF and counting a
 * transcript's tokens are CPU work that must not block the event loop, and the tokenizer's
 * ~70 MB is loaded here, by the first generation, never on the main thread.
 */

/**
 * What a PDF render needs, as data that crosses to the thread: the language, not its labels (a
 * catalog holds functions, which do not cross); the thread reads its own catalog.
 */
export type PdfRenderInput = Omit<MinutesPdfInput, 'labels'> & { language: Language; watermark?: 'draft' | 'test' };

export async function renderPdf(input: PdfRenderInput): Promise<Uint8Array> {
  const { language, watermark, ...content } = input;
  const { page, signatures, contentHash, ...watermarks } = catalogOf(language).pdf;
  const pdf = await renderMinutesPdf({ ...content, labels: { page, signatures, contentHash, ...(watermark ? { draft: watermarks[watermark] } : {}) } });
  return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}

export interface ChunkPlanTask {
  turns: IndexedTurn[];
  contextTokens: number;
  maxOutputTokens: number;
  facts: MeetingFacts;
  language: Language;
}

/** The tokens left for transcript lines in each request, and the transcript cut to fit them. */
export async function planChunks(task: ChunkPlanTask): Promise<{ budget: number; chunks: Chunk[] }> {
  await loadTokenizer();
  const budget = transcriptBudgetFor(task);
  return { budget, chunks: budget >= MIN_TRANSCRIPT_BUDGET ? splitIntoChunks(task.turns, budget) : [] };
}

/** Turns cut again into chunks of `budget` tokens (a chunk the model found too long). */
export async function splitChunks(task: { turns: IndexedTurn[]; budget: number }): Promise<Chunk[]> {
  await loadTokenizer();
  return splitIntoChunks(task.turns, task.budget);
}
