import { renderMinutesPdf, type MinutesPdfInput } from './minutes.pdf.js';

/** Runs in a worker thread (see minutes.pdf-pool.ts): rendering is CPU work that must not block the event loop. */
export default async function render(input: Omit<MinutesPdfInput, 'labels'> & { labels: Omit<MinutesPdfInput['labels'], 'page'> & { pageTemplate: string } }): Promise<Uint8Array> {
  const { pageTemplate, ...labels } = input.labels;
  const pdf = await renderMinutesPdf({
    ...input,
    labels: { ...labels, page: (page, total) => pageTemplate.replace('{page}', String(page)).replace('{total}', String(total)) },
  });
  return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}
