import type { Logger } from '../../lib/logger.js';
import { createWorkerPool } from '../../lib/worker-pool.js';
import type { Chunk } from './minutes.chunks.js';
import type { IndexedTurn } from './minutes.prompt.js';
import type { ChunkPlanTask, PdfRenderInput } from './minutes.worker.js';

export type { PdfRenderInput };

/**
 * The minutes' CPU work in worker threads, so neither a 10-page render nor tokenizing a 3-hour
 * transcript blocks the event loop that serves requests (`npm start` runs the API and the jobs
 * in one process).
 */
export function createMinutesWorkers(options: { log: Pick<Logger, 'warn'>; maxThreads?: number; keepOneThreadReady?: boolean }) {
  const pool = createWorkerPool(new URL('./minutes.worker.ts', import.meta.url), {
    onThreadError: (error) => options.log.warn({ err: error }, 'a minutes worker thread failed outside a task'),
    maxThreads: options.maxThreads ?? 2,
    // A thread starting cold (loading pdfkit and the fonts) adds ~0.5 s to a user's request: a
    // process that writes minutes keeps one ready; one that never does (the API alone) starts none.
    minThreads: options.keepOneThreadReady ? 1 : 0,
  });
  return {
    async renderPdf(input: PdfRenderInput): Promise<Buffer> {
      const bytes = (await pool.run(input, { name: 'renderPdf' })) as Uint8Array;
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    planChunks: (task: ChunkPlanTask) => pool.run(task, { name: 'planChunks' }) as Promise<{ budget: number; chunks: Chunk[] }>,
    splitChunks: (turns: IndexedTurn[], budget: number) => pool.run({ turns, budget }, { name: 'splitChunks' }) as Promise<Chunk[]>,
    close: () => pool.destroy(),
  };
}

export type MinutesWorkers = ReturnType<typeof createMinutesWorkers>;
