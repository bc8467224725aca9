import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from './db/errors.js';
import { providerFailure } from './failures.js';
import { AppError, errorStatuses, type ErrorCode } from './lib/errors.js';
import { ProviderError } from './providers/provider-error.js';

/** Fastify's own 4xx errors, by their `code`, as our stable codes. */
const fastifyErrorCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_VALIDATION: 'validation_failed',
  FST_ERR_BAD_URL: 'bad_request',
  FST_ERR_MAX_PARAM_LENGTH: 'uri_too_long',
};

interface ErrorBody {
  error: string;
  code: string;
  details?: unknown;
  requestId: string;
}

function send(reply: FastifyReply, status: number, body: Omit<ErrorBody, 'requestId'>) {
  return reply.status(status).send({ ...body, requestId: reply.request.id } satisfies ErrorBody);
}

/** One place that turns every error into `{ error, code, details?, requestId }`; 5xx never show their cause. */
export function registerErrorHandlers(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      if (error.headers) void reply.headers(error.headers);
      if (error.statusCode >= 500) request.log.error({ err: error }, error.message);
      return send(reply, error.statusCode, {
        error: error.message,
        code: error.code,
        ...(error.details === undefined ? {} : { details: error.details }),
      });
    }

    if (error instanceof ProviderError) {
      request.log.warn({ err: error }, 'provider call failed');
      const { code, message } = providerFailure(error);
      if (error.retryAfterMs !== undefined && code === 'provider_rate_limited') {
        void reply.header('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
      }
      return send(reply, errorStatuses[code], { error: message, code, details: { provider: error.provider, providerCode: error.code } });
    }

    if (hasZodFastifySchemaValidationErrors(error)) {
      return send(reply, 400, {
        error: 'The request is not valid',
        code: 'validation_failed',
        details: error.validation.map((issue) => ({
          location: error.validationContext,
          path: issue.instancePath,
          message: issue.message,
        })),
      });
    }

    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return send(reply, 500, { error: 'Internal server error', code: 'internal_error' });
    }

    if (error.name === 'SyntaxError' && error.statusCode === 400) {
      return send(reply, 400, { error: 'The request body is not valid JSON', code: 'invalid_json' });
    }

    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = fastifyErrorCodes[error.code] ?? (status === 429 ? 'rate_limited' : 'bad_request');
      return send(reply, status, { error: error.message, code });
    }

    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      void reply.header('retry-after', '5');
      return send(reply, 503, { error: 'The database is unavailable; try again shortly', code: 'database_unavailable' });
    }

    request.log.error({ err: error }, 'unhandled error');
    const code: ErrorCode = status === 503 ? 'service_unavailable' : 'internal_error';
    return send(reply, errorStatuses[code], {
      error: code === 'service_unavailable' ? 'Service unavailable' : 'Internal server error',
      code,
    });
  });

}

/**
 * Fastify's `frameworkErrors`: a URL it cannot decode, or a path parameter over its length
 * limit, is answered before routing, in our shape rather than Fastify's.
 */
export function frameworkErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const code = fastifyErrorCodes[error.code] ?? 'bad_request';
  void send(reply, errorStatuses[code], { error: code === 'uri_too_long' ? 'A path parameter is too long' : 'The URL cannot be read', code });
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses before there is a request
 * (headers over the size limit, a malformed request, a client too slow to send its request)
 * answers in our shape too, then the connection is closed.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [code, message]: [ErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? ['headers_too_large', 'The request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['request_timeout', 'The request took too long to arrive']
        : ['bad_request', 'The request is not valid HTTP'];
  const status = errorStatuses[code];
  const body = JSON.stringify({ error: message, code, requestId: randomUUID() } satisfies ErrorBody);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${message}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return send(reply, 404, { error: `Route ${request.method} ${request.url.split('?')[0]} not found`, code: 'route_not_found' });
}
