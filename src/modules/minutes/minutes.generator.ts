import pLimit from 'p-limit';
import type { Language } from '../../i18n/languages.js';
import type { OpenAIClient, Usage } from '../../providers/openai/openai.client.js';
import { ProviderError } from '../../providers/provider-error.js';
import { MIN_TRANSCRIPT_BUDGET, type Chunk } from './minutes.chunks.js';
import { mergeNotes } from './minutes.merge.js';
import { minutesNotes, type MinutesNotes } from './minutes.notes.js';
import { systemPrompt, userPrompt, type IndexedTurn, type MeetingFacts } from './minutes.prompt.js';
import type { MinutesWorkers } from './minutes.worker-pool.js';

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
export async function generateMinutesNotes(request: {
  openai: OpenAIClient;
  /** Counts tokens and cuts the transcript in a worker thread. */
  chunker: Pick<MinutesWorkers, 'planChunks' | 'splitChunks'>;
  contextTokens: number;
  facts: MeetingFacts;
  turns: IndexedTurn[];
  language: Language;
  onProgress: (progress: GenerationProgress) => void;
}): Promise<{ notes: MinutesNotes; usage: Usage; chunks: number }> {
  const { openai, chunker, facts, language, contextTokens } = request;
  const { budget, chunks } = await chunker.planChunks({ turns: request.turns, contextTokens, maxOutputTokens: openai.maxTokens, facts, language });
  if (budget < MIN_TRANSCRIPT_BUDGET) {
    throw new ProviderError({
      provider: 'openai',
      status: 0,
      code: 'context_too_small',
      // For the log: the user is told only that the model's settings do not allow minutes.
      message: `a context of ${contextTokens} tokens leaves no room for the transcript after ${openai.maxTokens} output tokens (OPENAI_CONTEXT_TOKENS, OPENAI_MAX_TOKENS)`,
      retryable: false,
    });
  }
  const usage: Usage = { promptTokens: 0, completionTokens: 0 };
  let chunksDone = 0;
  let receivedChars = 0;
  const report = (stage: GenerationProgress['stage']) => request.onProgress({ stage, chunksDone, chunksTotal: chunks.length, receivedChars });
  // One chunk failing fails the generation: the calls still running for the others are stopped.
  const stopSiblings = new AbortController();

  async function summarise(chunk: Chunk, part: number, of: number, chunkBudget: number, resplits: number): Promise<{ notes: MinutesNotes; chunk: Chunk }[]> {
    let receivedBefore = 0;
    try {
      const answer = await openai.structured({
        schema: minutesNotes,
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
      const halves = await chunker.splitChunks(chunk.turns, Math.floor(chunkBudget / 2));
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

/** A re-split piece keeps the overlap marks of the chunk it came from. */
function withOverlapOf(piece: Chunk, parent: Chunk): Chunk {
  return { turns: piece.turns, overlap: new Set([...piece.overlap, ...piece.turns.filter((turn) => parent.overlap.has(turn.index)).map((turn) => turn.index)]) };
}

