import { loadTelemetrySettings } from './config.js';

/**
 * The entry points' first step. With OTEL_EXPORTER_OTLP_ENDPOINT set, starts OpenTelemetry
 * (telemetry.sdk.ts) before the modules it instruments are loaded: the entry points import
 * server.js, and through it Fastify, pg and undici, only after this returns. Unset, no
 * OpenTelemetry SDK, exporter, instrumentation or loader hook is loaded (a dynamic import below,
 * and a dependency-cruiser rule keeps it the only way in).
 * @returns what flushes the spans still buffered, for the end of a graceful stop.
 */
export async function startTelemetryIfConfigured(): Promise<{ shutdown: () => Promise<void> } | undefined> {
  const settings = loadTelemetrySettings();
  if (!settings) return undefined;
  const { startTelemetry } = await import('./telemetry.sdk.js');
  return startTelemetry(settings);
}
