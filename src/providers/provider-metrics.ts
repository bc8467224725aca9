import { ProviderError, type ProviderName } from './provider-error.js';

/**
 * What became of one request to a provider: a closed set, so a metric labelled with it stays small
 * (never a URL, an id or a provider's own error text).
 */
export type ProviderOutcome =
  | 'success'
  | 'rate_limited'
  | 'unauthorized'
  | 'client_error'
  | 'server_error'
  | 'timeout'
  | 'network_error'
  | 'invalid_response'
  | 'circuit_open'
  | 'error';

export type CircuitStateName = 'closed' | 'half_open' | 'open' | 'isolated';

export interface ProviderRequest {
  provider: ProviderName;
  /** The vendor operation, named like the client's method (`meetingCreate`): from a closed set. */
  operation: string;
  outcome: ProviderOutcome;
  durationSec: number;
}

/** Where provider clients report their requests and circuit breakers (the app's metrics). */
export interface ProviderTelemetry {
  recordRequest(request: ProviderRequest): void;
  /** Read at each scrape: the state of `provider`'s circuit breaker. */
  watchCircuit(provider: ProviderName, stateOf: () => CircuitStateName): void;
}

export function outcomeOf(error: unknown): ProviderOutcome {
  if (!(error instanceof ProviderError)) return 'error';
  if (error.code === 'circuit_open') return 'circuit_open';
  if (error.code === 'timeout') return 'timeout';
  if (error.code === 'network_error') return 'network_error';
  if (error.code === 'unexpected_response') return 'invalid_response';
  if (error.status === 429) return 'rate_limited';
  if (error.status === 401 || error.status === 403) return 'unauthorized';
  if (error.status >= 500) return 'server_error';
  if (error.status >= 400) return 'client_error';
  return 'error';
}

/** Runs one request to a provider and reports it (duration and outcome) to `telemetry`, when given. */
export async function observeProviderRequest<T>(
  telemetry: ProviderTelemetry | undefined,
  request: { provider: ProviderName; operation: string },
  run: () => Promise<T>,
): Promise<T> {
  if (!telemetry) return run();
  const startedAt = performance.now();
  const report = (outcome: ProviderOutcome) => telemetry.recordRequest({ ...request, outcome, durationSec: (performance.now() - startedAt) / 1000 });
  try {
    const result = await run();
    report('success');
    return result;
  } catch (error) {
    report(outcomeOf(error));
    throw error;
  }
}
