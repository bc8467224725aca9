import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import { requestContextOf } from '../../lib/request-context.js';
import type { RouteLimiter } from '../../lib/rate-limits.js';
import { currentUser, type AuthGuards } from '../auth/auth.guards.js';
import { Permission } from '../auth/auth.permissions.js';
import type { SignaturesService } from '../signatures/signatures.service.js';
import type { MinutesRow } from './minutes.repo.js';
import {
  generateMinutesBody,
  generateMinutesHeaders,
  generateMinutesResponse,
  meetingIdParams,
  minutesDetailsResponse,
  minutesIdParams,
  minutesListResponse,
  minutesResponse,
  minutesVersionsResponse,
  updateMinutesBody,
} from './minutes.schemas.js';
import { toMinutesResponse, type MinutesService } from './minutes.service.js';

const security = [{ bearerAuth: [] }];
const tags = ['minutes'];
/** A comment line keeps proxies from closing an idle event stream. */
const SSE_KEEPALIVE_MS = 15_000;
const SSE_MAX_MS = 60 * 60 * 1000;

/** `/v1/meetings/:meetingId/minutes`: generate and list a meeting's minutes. */
export function meetingMinutesRoutes(deps: {
  minutes: MinutesService;
  signatures: Pick<SignaturesService, 'envelopeIdOf'>;
  guards: AuthGuards;
  generationLimiter: RouteLimiter;
  waitMs: number;
  /** Aborted when the server stops: waiting requests answer at once and event streams end. */
  shutdown: AbortSignal;
}): FastifyPluginAsyncZod {
  const { minutes, guards, shutdown } = deps;
  return async (app) => {
    app.post(
      '/:meetingId/minutes',
      {
        schema: {
          tags,
          summary: 'Generate minutes from the transcript (a job). Waits for it up to MINUTES_WAIT_MS, else 202; `Prefer: respond-async` answers 202 at once; `Accept: text/event-stream` streams progress and text',
          security,
          params: meetingIdParams,
          headers: generateMinutesHeaders,
          body: generateMinutesBody,
          response: { 201: generateMinutesResponse, 202: generateMinutesResponse },
        },
        onRequest: guards.authorize(Permission.generateMinutes),
        preHandler: deps.generationLimiter,
      },
      async (request, reply) => {
        const userId = currentUser(request).id;
        const outcome = await minutes.requestGeneration(userId, request.params.meetingId, request.body, request.headers['idempotency-key'], requestContextOf(request));
        if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
        const { minutesId } = outcome.body;
        if (wantsEventStream(request)) return streamGeneration(request, reply, minutes, minutesId, shutdown);
        const waitMs = /respond-async/i.test(request.headers.prefer ?? '') ? 0 : deps.waitMs;
        const startedAt = Date.now();
        const row = await minutes.waitForGeneration(userId, minutesId, waitMs, shutdown);
        if (row.errorCode && row.status !== 'generating') throw generationError(row);
        const envelopeId =
          row.status === 'sent_for_signature' ? await deps.signatures.envelopeIdOf(row.id, shutdown.aborted ? 0 : Math.max(0, waitMs - (Date.now() - startedAt))) : undefined;
        const body = toMinutesResponse(row);
        // Where to follow the job, and how often it is worth asking.
        if (row.status === 'generating') void reply.header('location', `/v1/minutes/${row.id}`).header('retry-after', '3');
        return reply
          .status(row.status === 'generating' ? 202 : 201)
          .send({ minutes: body, content: body.content, ...(body.pdfUrl ? { pdfUrl: body.pdfUrl } : {}), ...(envelopeId ? { envelopeId } : {}) });
      },
    );

    app.get(
      '/:meetingId/minutes',
      { schema: { tags, security, params: meetingIdParams, response: { 200: minutesListResponse } }, onRequest: guards.authorize(Permission.readMeetings) },
      async (request) => minutes.listForMeeting(currentUser(request).id, request.params.meetingId),
    );
  };
}

/** `/v1/minutes/:id`: read, edit, finalise, versions and PDF. */
export function minutesRoutes(deps: { minutes: MinutesService; guards: AuthGuards; shutdown: AbortSignal }): FastifyPluginAsyncZod {
  const { minutes, guards, shutdown } = deps;
  const canRead = guards.authorize(Permission.readMeetings);
  return async (app) => {
    app.get('/:id', { schema: { tags, security, params: minutesIdParams, response: { 200: minutesDetailsResponse } }, onRequest: canRead }, async (request) =>
      minutes.details(currentUser(request).id, request.params.id),
    );

    app.patch(
      '/:id',
      {
        schema: { tags, summary: 'Edit a draft, or finalise it (content frozen, final PDF rendered)', security, params: minutesIdParams, body: updateMinutesBody, response: { 200: minutesResponse } },
        onRequest: guards.authorize(Permission.writeMeetings),
      },
      async (request) => minutes.update(currentUser(request).id, request.params.id, request.body, requestContextOf(request), shutdown),
    );

    app.get(
      '/:id/versions',
      { schema: { tags, summary: 'Every generated or edited content, newest first', security, params: minutesIdParams, response: { 200: minutesVersionsResponse } }, onRequest: canRead },
      async (request) => minutes.versions(currentUser(request).id, request.params.id),
    );

    app.get(
      '/:id/pdf',
      { schema: { tags, summary: 'The PDF of the current content (409 pdf_not_ready while it renders)', security, params: minutesIdParams }, onRequest: canRead },
      async (request, reply) => {
        const { pdf, fileName, sha256 } = await minutes.pdf(currentUser(request).id, request.params.id);
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="${fileName}"`)
          .header('x-content-sha256', sha256)
          .send(pdf);
      },
    );
  };
}

function wantsEventStream(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/event-stream');
}

function generationError(row: MinutesRow): AppError {
  return new AppError((row.errorCode ?? 'generation_failed') as ErrorCode, row.errorMessage ?? 'The minutes could not be generated', { minutesId: row.id });
}

/**
 * Server-Sent Events: `progress` while the model works (chunks done, characters received),
 * then the finished Markdown as `text` events, then `done` with the minutes, or `error`.
 * The stream ends when the client goes away or the server stops.
 */
async function streamGeneration(request: FastifyRequest, reply: FastifyReply, minutes: MinutesService, minutesId: string, shutdown: AbortSignal) {
  reply.hijack();
  // Hijacked: headers Fastify set (CORS, rate limit, request id) are written here by hand.
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
  const send = (event: string, data: unknown) => reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const gone = new AbortController();
  reply.raw.on('close', () => gone.abort());
  const signal = AbortSignal.any([gone.signal, shutdown]);
  const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), SSE_KEEPALIVE_MS);
  let lastProgress = '';
  try {
    send('accepted', { minutesId });
    const row = await minutes.watch(minutesId, (current) => current.status !== 'generating', {
      timeoutMs: SSE_MAX_MS,
      signal,
      onChange: (current) => {
        const progress = JSON.stringify(current.progress);
        if (current.status === 'generating' && current.progress && progress !== lastProgress) {
          lastProgress = progress;
          send('progress', current.progress);
        }
      },
    });
    if (gone.signal.aborted) return;
    if (row.status === 'generating') {
      send('error', { code: 'generation_in_progress', error: `Still generating: follow GET /v1/minutes/${minutesId}`, minutesId });
    } else if (row.errorCode) {
      const error = generationError(row);
      send('error', { code: error.code, error: error.message, minutesId });
    } else {
      for (const paragraph of row.content.split(/(?<=\n\n)/)) send('text', { delta: paragraph });
      send('done', { minutes: toMinutesResponse(row) });
    }
  } catch (error) {
    request.log.error({ err: error }, 'minutes event stream failed');
    send('error', { code: error instanceof AppError ? error.code : 'internal_error', error: error instanceof AppError ? error.message : 'Internal server error', minutesId });
  } finally {
    clearInterval(keepAlive);
    reply.raw.end();
  }
}
