import type { Logger } from '../../lib/logger.js';
import { createWorkerPool, movableBufferOf } from '../../lib/worker-pool.js';
import { TranscriptFormatError } from './transcript.parse.js';
import type { ParseResult, ParseTask } from './transcript.parse.worker.js';

export type TranscriptParser = ReturnType<typeof createTranscriptParser>;

/** Transcripts are parsed in a worker thread, so a 20 MB upload never stalls other requests. */
export function createTranscriptParser(options: { log: Pick<Logger, 'warn'>; maxThreads?: number }) {
  const pool = createWorkerPool(new URL('./transcript.parse.worker.ts', import.meta.url), {
    maxThreads: options.maxThreads ?? 1,
    onThreadError: (error) => options.log.warn({ err: error }, 'a transcript parser thread failed outside a task'),
  });
  return {
    /**
     * `task.content` is moved to the thread: the caller must not read it afterwards.
     * @throws TranscriptFormatError when the file is not of its format.
     */
    async parse(task: ParseTask) {
      const result = (await pool.run(task, { transferList: movableBufferOf(task.content) })) as ParseResult;
      if (!result.ok) throw new TranscriptFormatError(result.message);
      return result;
    },
    close: () => pool.destroy(),
  };
}
