import { Piscina } from 'piscina';
import type { MinutesPdfInput } from './minutes.pdf.js';

export type PdfRenderInput = Omit<MinutesPdfInput, 'labels'> & { labels: Omit<MinutesPdfInput['labels'], 'page'> & { pageTemplate: string } };

// Running from TypeScript sources (npm start, tests), the worker needs tsx as the main thread has it.
const fromSources = import.meta.url.endsWith('.ts');

/**
 * Minutes PDFs are rendered in worker threads, so a 10-page render never blocks the event loop
 * that serves requests (`npm start` runs the API and the jobs in one process).
 */
export function createPdfRenderer(options: { maxThreads?: number; keepOneThreadReady?: boolean } = {}) {
  const pool = new Piscina({
    filename: new URL(`./minutes.pdf.worker.${fromSources ? 'ts' : 'js'}`, import.meta.url).href,
    maxThreads: options.maxThreads ?? 2,
    // A thread starting cold (loading pdfkit and the fonts) adds ~0.5 s to a user's request: a
    // process that renders keeps one ready; one that never renders (the API alone) starts none.
    minThreads: options.keepOneThreadReady ? 1 : 0,
    idleTimeout: 30_000,
    execArgv: fromSources ? ['--import', 'tsx'] : [],
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
