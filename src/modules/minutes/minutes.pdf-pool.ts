import { createWorkerPool } from '../../lib/worker-pool.js';
import type { MinutesPdfInput } from './minutes.pdf.js';

export type PdfRenderInput = Omit<MinutesPdfInput, 'labels'> & { labels: Omit<MinutesPdfInput['labels'], 'page'> & { pageTemplate: string } };

/**
 * Minutes PDFs are rendered in worker threads, so a 10-page render never blocks the event loop
 * that serves requests (`npm start` runs the API and the jobs in one process).
 */
export function createPdfRenderer(options: { maxThreads?: number; keepOneThreadReady?: boolean } = {}) {
  const pool = createWorkerPool(new URL('./minutes.pdf.worker.ts', import.meta.url), {
    maxThreads: options.maxThreads ?? 2,
    // A thread starting cold (loading pdfkit and the fonts) adds ~0.5 s to a user's request: a
    // process that renders keeps one ready; one that never renders (the API alone) starts none.
    minThreads: options.keepOneThreadReady ? 1 : 0,
  });
  return {
    /** `labels.pageTemplate` is like `Página {page} de {total}`: functions do not cross threads. */
    async render(input: PdfRenderInput): Promise<Buffer> {
      const bytes = (await pool.run(input)) as Uint8Array;
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    close: () => pool.destroy(),
  };
}

export type PdfRenderer = ReturnType<typeof createPdfRenderer>;
