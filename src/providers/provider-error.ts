export type ProviderName = 'zoom' | 'docusign' | 'openai';

/** A failure of a call to a provider, typed so services and the error handler can decide what it means. */
export class ProviderError extends Error {
  readonly provider: ProviderName;
  /** The provider's HTTP status; 0 for network errors and timeouts. */
  readonly status: number;
  /** The provider's own error code when it sent one (Zoom's `code`, OAuth's `error`), else ours. */
  readonly code: string;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(options: {
    provider: ProviderName;
    status: number;
    code: string;
    message: string;
    retryable: boolean;
    retryAfterMs?: number;
    cause?: unknown;
  }) {
    super(`${options.provider}: ${options.message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.provider = options.provider;
    this.status = options.status;
    this.code = options.code;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Seconds or an HTTP date, as Retry-After allows; undefined when absent or unreadable. */
export function retryAfterMsOf(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
