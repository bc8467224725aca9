/**
 * Token counts for the model's context. gpt-tokenizer holds ~70 MB once loaded, and loading it
 * takes ~0.1 s of CPU: only the minutes' worker thread loads it, when a generation first needs
 * it (minutes.worker.ts): `await loadTokenizer()` before `countTokens`.
 */
let count: ((text: string) => number) | undefined;
let loading: Promise<void> | undefined;

export function loadTokenizer(): Promise<void> {
  loading ??= import('gpt-tokenizer').then((tokenizer) => void (count = tokenizer.countTokens));
  return loading;
}

/** @throws Error when `loadTokenizer()` has not finished: a programming error, not a user's. */
export function countTokens(text: string): number {
  if (!count) throw new Error('the tokenizer is not loaded: await loadTokenizer() first');
  return count(text);
}
