import { register } from 'node:module';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import type { TelemetrySettings } from './config.js';

/**
 * OpenTelemetry traces, exported over OTLP/HTTP (JSON) to OTEL_EXPORTER_OTLP_ENDPOINT. Loaded
 * only by telemetry.ts, and only when that variable is set.
 *
 * ESM: an `import` is not a `require`, so the require hooks the instrumentations install do not
 * see `pg` imported from our modules (nor from drizzle or pg-boss). import-in-the-middle's loader
 * hook does: registered here, before the entry point imports server.js, and told (through its
 * message channel) to wrap only the modules an instrumentation asked for, not every module.
 * http (Fastify requires it) is patched through the require hook; undici reports its requests on
 * diagnostics_channel, whichever copy (global fetch or the `undici` package) makes them; Fastify
 * is instrumented from its own diagnostics_channel at `fastify()`.
 */
export async function startTelemetry(settings: TelemetrySettings): Promise<{ shutdown: () => Promise<void> }> {
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    // Reads OTEL_EXPORTER_OTLP_ENDPOINT (or _TRACES_ENDPOINT) and _HEADERS itself.
    traceExporter: new OTLPTraceExporter(),
    // Traces only: metrics are Prometheus's (GET /v1/metrics), logs are pino's on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation(),
      new UndiciInstrumentation(),
      // Only statements inside a traced request or job: the queue's own polling would be a trace every second.
      new PgInstrumentation({ requireParentSpan: true }),
      new FastifyOtelInstrumentation({ registerOnInitialization: true }),
    ],
  });
  sdk.start();
  await waitForAllMessagesAcknowledged();
  return { shutdown: () => sdk.shutdown() };
}
