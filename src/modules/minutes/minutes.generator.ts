import { countTokens, loadTokenizer } from './minutes.tokens.js';
import pLimit from 'p-limit';
import type { OpenAIClient, Usage } from '../../providers/openai/openai.client.js';
import { ProviderError } from '../../providers/provider-error.js';
import { ataNotes, type AtaNotes } from './ata.schema.js';
import { splitIntoChunks, type Chunk } from './minutes.chunks.js';
import { mergeNotes } from './minutes.merge.js';
import { systemPrompt, userPrompt, type IndexedTurn, type MeetingFacts, type MinutesLanguage } from './minutes.prompt.js';

export interface GenerationProgress {
  stage: 'summarising' | 'merging';
  chunksDone: number;
  chunksTotal: number;
  receivedChars: number;
}

/** Chunks summarised at once: fast for long meetings, gentle on the provider's rate limits. */
const PARALLEL_CHUNKS = 3;
/** Times a chunk the model found too long is split again before giving up. */
const MAX_RESPLITS = 3;

/**
 * The model's notes for a whole transcript. A transcript over the context budget (counted
 * with the tokenizer) is split on speaker turns with overlap, each chunk summarised, and the
 * notes merged; when the model still finds a chunk too long (another tokenizer, a smaller
 * context than configured), that chunk is split in two and retried: the user never sees it.
 */
export async function generateAtaNotes(request: {
  openai: OpenAIClient;
  contextTokens: number;
  facts: MeetingFacts;
  turns: IndexedTurn[];
  language: MinutesLanguage;
  onProgress: (progress: GenerationProgress) => void;
}): Promise<{ notes: AtaNotes; usage: Usage; chunks: number }> {
  const { openai, facts, language } = request;
  await loadTokenizer();
  const budget = transcriptBudgetFor({ contextTokens: request.contextTokens, maxOutputTokens: openai.maxTokens, facts, language });
  const chunks = splitIntoChunks(request.turns, budget);
  const usage: Usage = { promptTokens: 0, completionTokens: 0 };
  let chunksDone = 0;
  let receivedChars = 0;
  const report = (stage: GenerationProgress['stage']) => request.onProgress({ stage, chunksDone, chunksTotal: chunks.length, receivedChars });
  // One chunk failing fails the generation: the calls still running for the others are stopped.
  const stopSiblings = new AbortController();

  async function summarise(chunk: Chunk, part: number, of: number, chunkBudget: number, resplits: number): Promise<{ notes: AtaNotes; chunk: Chunk }[]> {
    let receivedBefore = 0;
    try {
      const answer = await openai.structured({
        schema: ataNotes,
        schemaName: 'ata_notes',
        system: systemPrompt(language, { part, of }),
        user: userPrompt(facts, chunk.turns),
        signal: stopSiblings.signal,
        onProgress: (chars) => {
          receivedChars += chars - receivedBefore;
          receivedBefore = chars;
          report('summarising');
        },
      });
      usage.promptTokens += answer.usage.promptTokens;
      usage.completionTokens += answer.usage.completionTokens;
      return [{ notes: answer.value, chunk }];
    } catch (error) {
      const tooLong = error instanceof ProviderError && (error.code === 'context_length_exceeded' || error.code === 'output_truncated');
      if (!tooLong || resplits >= MAX_RESPLITS) throw error;
      const halves = splitIntoChunks(chunk.turns, Math.floor(chunkBudget / 2));
      const results = [];
      for (const half of halves) results.push(...(await summarise(withOverlapOf(half, chunk), part, of, Math.floor(chunkBudget / 2), resplits + 1)));
      return results;
    }
  }

  report('summarising');
  const limit = pLimit(PARALLEL_CHUNKS);
  const parts = await Promise.all(
    chunks.map((chunk, index) =>
      limit(async () => {
        try {
          const result = await summarise(chunk, index + 1, chunks.length, budget, 0);
          chunksDone++;
          report('summarising');
          return result;
        } catch (error) {
          stopSiblings.abort();
          throw error;
        }
      }),
    ),
  );
  report('merging');
  return { notes: mergeNotes(parts.flat()), usage, chunks: chunks.length };
}

/**
 * Tokens left for transcript lines: the context minus the answer, the prompts around the
 * transcript (the system prompt at its longest, that of a chunk of many), and a margin for the
 * per-message overhead and tokenizer differences.
 */
export function transcriptBudgetFor(request: { contextTokens: number; maxOutputTokens: number; facts: MeetingFacts; language: MinutesLanguage }): number {
  const { contextTokens, maxOutputTokens } = request;
  const system = systemPrompt(request.language, { part: 99, of: 99 });
  const userFrame = userPrompt(request.facts, []);
  const margin = Math.ceil(contextTokens * 0.05) + 32;
  const budget = contextTokens - maxOutputTokens - countTokens(system) - countTokens(userFrame) - margin;
  if (budget < 256) {
    throw new ProviderError({
      provider: 'openai',
      status: 0,
      code: 'context_too_small',
      // For the log: the user is told only that the model's settings do not allow minutes.
      message: `a context of ${contextTokens} tokens leaves no room for the transcript after ${maxOutputTokens} output tokens (OPENAI_CONTEXT_TOKENS, OPENAI_MAX_TOKENS)`,
      retryable: false,
    });
  }
  return budget;
}

/** A re-split piece keeps the overlap marks of the chunk it came from. */
function withOverlapOf(piece: Chunk, parent: Chunk): Chunk {
  return { turns: piece.turns, overlap: new Set([...piece.overlap, ...piece.turns.filter((turn) => parent.overlap.has(turn.index)).map((turn) => turn.index)]) };
}

