import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';

/**
 * How work is followed from the request that caused it into the jobs it enqueues and the
 * provider calls they make: the request id always (it reaches the jobs' log lines), and the W3C
 * trace context (`traceparent`) when OpenTelemetry runs. `@opentelemetry/api` is imported
 * statically: it is a few kilobytes, pg-boss and drizzle load it anyway, and without the SDK
 * (OTEL_EXPORTER_OTLP_ENDPOINT unset) every call below is a no-op of it: no span, no header.
 */

/** What a job carries of the request (or job) that enqueued it. */
export interface TraceFields {
  requestId?: string;
  traceparent?: string;
  tracestate?: string;
}

const origin = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `fn` on behalf of request `requestId`: the jobs it enqueues, however deep, carry that id. */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return origin.run({ requestId }, fn);
}

/**
 * For a Fastify `onRequest` hook: the request's id is in scope from there to its handler.
 * A request's body arrives on its socket's events, in the socket's async context, so the scope
 * is captured here and entered again before validation (as @fastify/request-context does).
 */
export function requestIdScope(requestId: string): { enter: (fn: () => void) => void } {
  const resource = runWithRequestId(requestId, () => new AsyncResource('atas-request'));
  return { enter: (fn) => resource.runInAsyncScope(fn) };
}

/** The fields a job enqueued now carries: the request id in scope and the active span's W3C trace context. */
export function currentTraceFields(): TraceFields {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const requestId = origin.getStore()?.requestId;
  return {
    ...(requestId ? { requestId } : {}),
    ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  };
}

const tracer = trace.getTracer('atas-jobs');

/**
 * Runs a job in a span that continues the enqueuing request's trace (a consumer span, child of
 * the `traceparent` it carried; a new trace without one), with the request id in scope, so what
 * the job does (its SQL, its provider calls, the jobs it enqueues) joins the same trace.
 */
export function runInJobTrace<T>(jobName: string, fields: TraceFields, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  const carrier = { ...(fields.traceparent ? { traceparent: fields.traceparent } : {}), ...(fields.tracestate ? { tracestate: fields.tracestate } : {}) };
  const parent = propagation.extract(ROOT_CONTEXT, carrier);
  return tracer.startActiveSpan(`job ${jobName}`, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
    try {
      return await (fields.requestId ? runWithRequestId(fields.requestId, fn) : fn());
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
