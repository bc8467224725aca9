import type { z } from 'zod';
import { ProviderError, retryAfterMsOf, type ProviderName } from './provider-error.js';

export type Fetch = typeof fetch;

/**
 * One HTTP exchange with a provider: network errors, timeouts and error statuses become
 * `ProviderError`s (retryable for network, timeout, a body cut off or not JSON, 429 and 5xx), and a
 * 2xx body is parsed with `schema` when given. `errorCodeOf` reads the provider's own error code from its error body.
 */
export async function requestProvider<T>(options: {
  provider: ProviderName;
  fetch: Fetch;
  url: string;
  init: RequestInit;
  signal: AbortSignal;
  schema?: z.ZodType<T>;
  errorCodeOf?: (body: unknown) => string | undefined;
  /** False for a POST that creates something and takes no idempotency key: it is retried only when it surely did nothing. */
  idempotent?: boolean;
}): Promise<T> {
  const { provider } = options;
  const idempotent = options.idempotent ?? true;
  let response: Response;
  try {
    response = await options.fetch(options.url, { ...options.init, signal: options.signal });
  } catch (error) {
    const isTimeout = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
    const wasRefused = ((error as Error).cause as { code?: string } | undefined)?.code === 'ECONNREFUSED';
    throw new ProviderError({
      provider,
      status: 0,
      code: isTimeout ? 'timeout' : 'network_error',
      message: isTimeout ? 'did not answer in time' : `could not be reached (${(error as Error).message})`,
      retryable: idempotent || wasRefused,
      cause: error,
    });
  }

  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new ProviderError({ provider, status: response.status, code: 'network_error', message: 'the answer was cut off', retryable: idempotent, cause: error });
  }
  let body: unknown = undefined;
  let isJson = true;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
      isJson = false;
    }
  }
  if (!response.ok) {
    const code = options.errorCodeOf?.(body) ?? `http_${response.status}`;
    const message = typeof body === 'object' && body && 'message' in body ? String(body.message) : `answered ${response.status}`;
    throw new ProviderError({
      provider,
      status: response.status,
      code,
      message,
      retryable: response.status === 429 || (idempotent && response.status >= 500),
      retryAfterMs: retryAfterMsOf(response.headers.get('retry-after')),
    });
  }
  if (!options.schema) return body as T;
  // A body that is not JSON at all was cut or mangled on its way (a proxy, a restart): worth
  // another try. JSON of the wrong shape is the provider's contract changing: it is not.
  if (!isJson) {
    throw new ProviderError({ provider, status: response.status, code: 'unexpected_response', message: 'answered with a body that is not JSON', retryable: idempotent });
  }
  const parsed = options.schema.safeParse(body);
  if (!parsed.success) {
    throw new ProviderError({ provider, status: response.status, code: 'unexpected_response', message: 'answered in an unexpected shape', retryable: false, cause: parsed.error });
  }
  return parsed.data;
}
