import type { FastifyReply, FastifyRequest } from 'fastify';

/** A comment line keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

export interface EventStream {
  /** One Server-Sent Event; `id` is what the client sends back as `Last-Event-ID` to resume. */
  send: (event: string, data: unknown, id?: string) => void;
  /** Aborts when the client goes away or the server stops. */
  signal: AbortSignal;
  /** Aborts when the client goes away. */
  clientGone: AbortSignal;
  /** Ends the stream (and its connection). */
  end: () => void;
}

/**
 * Takes the reply over as a Server-Sent Events stream: Fastify's headers (CORS, rate limit,
 * request id) written by hand, no buffering by proxies, a keep-alive comment every 15 s.
 */
export function openEventStream(request: FastifyRequest, reply: FastifyReply, shutdown: AbortSignal, options: { retryMs?: number } = {}): EventStream {
  reply.hijack();
  const fastifyHeaders = Object.fromEntries(Object.entries(reply.getHeaders()).filter((entry): entry is [string, string | number | string[]] => entry[1] !== undefined));
  reply.raw.writeHead(200, {
    ...fastifyHeaders,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
    // A stream is never reused: once it ends, the socket goes too (a stopping server waits for no idle one).
    connection: 'close',
    'x-request-id': request.id,
  });
  if (options.retryMs) reply.raw.write(`retry: ${options.retryMs}\n\n`);
  const gone = new AbortController();
  reply.raw.on('close', () => gone.abort());
  const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), KEEPALIVE_MS);
  return {
    send: (event, data, id) => void reply.raw.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    signal: AbortSignal.any([gone.signal, shutdown]),
    clientGone: gone.signal,
    end: () => {
      clearInterval(keepAlive);
      reply.raw.end();
    },
  };
}
