import { MIN_TRANSCRIPT_BUDGET, splitIntoChunks, transcriptBudgetFor, type Chunk } from './minutes.chunks.js';
import { renderMinutesPdf, type MinutesPdfInput } from './minutes.pdf.js';
import type { IndexedTurn, MeetingFacts, MinutesLanguage } from './minutes.prompt.js';
import { loadTokenizer } from './minutes.tokens.js';

/**
 * Runs in worker threads (see minutes.worker-pool.ts): rendering a PDF and counting a
 * transcript's tokens are CPU work that must not block the event loop, and the tokenizer's
 * ~70 MB is loaded here, by the first generation, never on the main thread.
 */

export type PdfRenderInput = Omit<MinutesPdfInput, 'labels'> & { labels: Omit<MinutesPdfInput['labels'], 'page'> & { pageTemplate: string } };

export async function renderPdf(input: PdfRenderInput): Promise<Uint8Array> {
  const { pageTemplate, ...labels } = input.labels;
  const pdf = await renderMinutesPdf({
    ...input,
    labels: { ...labels, page: (page, total) => pageTemplate.replace('{page}', String(page)).replace('{total}', String(total)) },
  });
  return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}

export interface ChunkPlanTask {
  turns: IndexedTurn[];
  contextTokens: number;
  maxOutputTokens: number;
  facts: MeetingFacts;
  language: MinutesLanguage;
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
