import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type Metrics = ReturnType<typeof createMetrics>;

/** The circuit breaker states, in the order of the `state` label's values. */
const circuitStates = ['closed', 'half_open', 'open', 'isolated'] as const;

/**
 * One registry per app (not prom-client's global one), so several apps in a process stay apart.
 * What is here is this instance's own (its requests, its calls to providers, the generations its
 * workers ran); counts of the business (meetings, envelopes, events, queues) are read from the
 * database at each scrape (modules/metrics/metrics.database.ts), the same on every instance.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const circuits = new Map<string, () => string>();
  const providerRequests = new Counter({
    name: 'provider_requests_total',
    help: 'Requests this instance sent to a provider (each retry is one), by operation and outcome',
    labelNames: ['provider', 'operation', 'outcome'] as const,
    registers: [registry],
  });
  const providerRequestDuration = new Histogram({
    name: 'provider_request_duration_seconds',
    help: 'Duration of the requests this instance sent to a provider, in seconds',
    labelNames: ['provider', 'operation', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  new Gauge({
    name: 'provider_circuit_breaker_state',
    help: "State of this instance's circuit breaker per provider: 1 for the current state, 0 for the others",
    labelNames: ['provider', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [provider, stateOf] of circuits) {
        const current = stateOf();
        for (const state of circuitStates) this.labels(provider, state).set(state === current ? 1 : 0);
      }
    },
  });
  // "minutes" would read as a unit (promtool's lint): the product's word for the document is "ata".
  const ataGenerationDuration = new Histogram({
    name: 'ata_generation_duration_seconds',
    help: "Time this instance's workers spent generating minutes (model, merge, template), by outcome, in seconds",
    labelNames: ['outcome'] as const,
    buckets: [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600],
    registers: [registry],
  });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests in seconds',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    /** A provider client's request (ProviderTelemetry in providers/provider-metrics.ts). */
    recordRequest(request: { provider: string; operation: string; outcome: string; durationSec: number }) {
      providerRequests.labels(request.provider, request.operation, request.outcome).inc();
      providerRequestDuration.labels(request.provider, request.operation, request.outcome).observe(request.durationSec);
    },
    recordGeneration(outcome: 'succeeded' | 'failed', durationSec: number) {
      ataGenerationDuration.labels(outcome).observe(durationSec);
    },
    watchCircuit(provider: string, stateOf: () => string) {
      circuits.set(provider, stateOf);
    },
  };
}
