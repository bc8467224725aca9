import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, DelegateBackoff, circuitBreaker, handleWhen, retry, wrap } from 'cockatiel';
import { ProviderError, type ProviderName } from './provider-error.js';
import { observeProviderRequest, type CircuitStateName, type ProviderTelemetry } from './provider-metrics.js';

export interface ResilienceOptions {
  provider: ProviderName;
  /** Per attempt. */
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the call fails instead. */
  maxRetryAfterMs?: number;
  /** Consecutive failed calls that open the circuit, and how long it stays open. */
  breakerThreshold?: number;
  halfOpenAfterMs?: number;
  /** Where each attempt (one HTTP request) and the circuit's state are reported: the app's metrics. */
  telemetry?: ProviderTelemetry;
}

const circuitStateNames: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Open]: 'open',
  [CircuitState.Isolated]: 'isolated',
};

export type Resilience = ReturnType<typeof createResilience>;

const isRetryable = (error: unknown): error is ProviderError => error instanceof ProviderError && error.retryable;

/**
 * Timeout per attempt, bounded retries with exponential backoff and full jitter (or the
 * provider's Retry-After), and a circuit breaker shared by every call to the provider.
 */
export function createResilience(options: ResilienceOptions) {
  const { provider } = options;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const breaker = circuitBreaker(handleWhen(isRetryable), {
    halfOpenAfter: options.halfOpenAfterMs ?? 30_000,
    breaker: new ConsecutiveBreaker(options.breakerThreshold ?? 5),
  });
  const retryPolicy = retry(
    handleWhen((error) => isRetryable(error) && (error.retryAfterMs ?? 0) <= maxRetryAfterMs),
    {
      maxAttempts: (options.maxAttempts ?? 3) - 1,
      backoff: new DelegateBackoff((context) => {
        const error = 'error' in context.result ? context.result.error : undefined;
        const retryAfterMs = error instanceof ProviderError ? error.retryAfterMs : undefined;
        return retryAfterMs ?? Math.random() * baseDelayMs * 2 ** (context.attempt - 1);
      }),
    },
  );
  const policy = wrap(retryPolicy, breaker);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { telemetry } = options;
  telemetry?.watchCircuit(provider, () => circuitStateNames[breaker.state]);

  return {
    /**
     * Runs `call` under the policies; each attempt gets a `signal` that aborts it when its time is up.
     * Each attempt is reported as one request of `operation` (a closed set: the client's method
     * names); a call the open circuit refuses, as one `circuit_open` request.
     */
    async execute<T>(operation: string, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
      try {
        return await policy.execute(() => observeProviderRequest(telemetry, { provider, operation }, () => call(AbortSignal.timeout(timeoutMs))));
      } catch (error) {
        if (error instanceof BrokenCircuitError) {
          telemetry?.recordRequest({ provider, operation, outcome: 'circuit_open', durationSec: 0 });
          throw new ProviderError({ provider, status: 0, code: 'circuit_open', message: 'unavailable (circuit open after repeated failures)', retryable: false, cause: error });
        }
        throw error;
      }
    },
    isCircuitOpen: () => breaker.state === CircuitState.Open,
  };
}
