import { move, Piscina, transferableSymbol, valueSymbol } from 'piscina';

/**
 * A pool of worker threads running the default export of `moduleUrl` (a `….worker.ts` beside
 * its caller): CPU work that must not block the event loop. From TypeScript sources (npm start,
 * tests) the threads load it through tsx as the main thread does; compiled, the `.js` beside it.
 */
export function createWorkerPool(moduleUrl: URL, options: { maxThreads: number; minThreads?: number; onThreadError: (error: unknown) => void }) {
  const fromSources = import.meta.url.endsWith('.ts');
  const pool = new Piscina({
    filename: fromSources ? moduleUrl.href : moduleUrl.href.replace(/\.ts$/, '.js'),
    maxThreads: options.maxThreads,
    minThreads: options.minThreads ?? 0,
    idleTimeout: 30_000,
    execArgv: fromSources ? ['--import', 'tsx'] : [],
  });
  // A thread that fails with no task of its own (one kept ready that could not load, say while the
  // process stops): Piscina says so with an 'error' event, which unheard would end the process.
  // A task's failure still rejects that task; the next task starts a new thread.
  pool.on('error', options.onThreadError);
  return pool;
}

/**
 * The memory of `bytes` when it can be moved to another thread instead of copied: only when the
 * view spans its whole buffer (a small Buffer is a slice of Node's shared pool, which must stay).
 */
export function movableBufferOf(bytes: Uint8Array): ArrayBuffer[] {
  const { buffer } = bytes;
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength ? [buffer] : [];
}

/** A worker's answer whose `bytes` are moved to the main thread rather than copied. */
export function answerMoving<T extends object>(answer: T, bytes: Uint8Array): T {
  return move({ [transferableSymbol]: movableBufferOf(bytes), [valueSymbol]: answer }) as T;
}
