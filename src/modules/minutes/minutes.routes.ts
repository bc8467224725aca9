import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, type ErrorCode } from '../../lib/errors.js';
import { openEventStream } from '../../lib/event-stream.js';
import { providerErrors } from '../../lib/openapi.js';
import { requestContextOf } from '../../lib/request-context.js';
import type { RouteLimiter } from '../../lib/rate-limits.js';
import { currentUser, type AuthGuards } from '../auth/auth.guards.js';
import { Permission } from '../auth/auth.permissions.js';
import type { SignaturesService } from '../signatures/signatures.service.js';
import type { MinutesRow } from './minutes.repo.js';
import {
  actionItemsResponse,
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
const SSE_MAX_MS = 60 * 60 * 1000;

const generationEvents = z.string().describe(
  [
    'Server-Sent Events, each `event: <name>` and `data: <JSON>`:',
    '`accepted` `{minutesId}`, then `progress` `{stage, chunksDone, chunksTotal, receivedChars}` while the model works,',
    'then `text` `{delta}` (the Markdown, a paragraph at a time) and `done` `{minutes}`;',
    'or `error` `{code, error, minutesId}`. Comment lines keep the stream alive every 15 s.',
  ].join(' '),
);

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
          operationId: 'generateMinutes',
          tags,
          summary: "Generate a meeting's minutes",
          description: [
            'A job writes the minutes from the transcript. The answer waits for it up to MINUTES_WAIT_MS (201), else answers 202 with `Location` to follow;',
            '`Prefer: respond-async` answers 202 at once; `Accept: text/event-stream` streams progress and the text (200). At most 10 generations an hour per user;',
            'an `Idempotency-Key` makes retries safe.',
          ].join(' '),
          security,
          params: meetingIdParams,
          headers: generateMinutesHeaders,
          body: generateMinutesBody,
          errors: [
            ...providerErrors,
            'not_found',
            'transcript_missing',
            'generation_in_progress',
            'generation_failed',
            'content_refused',
            'consent_required',
            'idempotency_key_reused',
            'conflict',
          ],
          responseHeaders: { 201: ['Idempotent-Replayed'], 202: ['Location', 'Retry-After', 'Idempotent-Replayed'] },
          response: {
            200: { description: 'With `Accept: text/event-stream`: the generation as it goes', content: { 'text/event-stream': { schema: generationEvents } } },
            201: generateMinutesResponse,
            202: generateMinutesResponse,
          },
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
      {
        schema: {
          operationId: 'listMeetingMinutes',
          tags,
          summary: "A meeting's minutes",
          description: 'Every minutes written for the meeting, newest first.',
          security,
          params: meetingIdParams,
          errors: ['not_found'],
          response: { 200: minutesListResponse },
        },
        onRequest: guards.authorize(Permission.readMeetings),
      },
      async (request) => minutes.listForMeeting(currentUser(request).id, request.params.meetingId),
    );
  };
}

/** `/v1/minutes/:id`: read, edit, finalise, versions and PDF. */
export function minutesRoutes(deps: { minutes: MinutesService; guards: AuthGuards; shutdown: AbortSignal }): FastifyPluginAsyncZod {
  const { minutes, guards, shutdown } = deps;
  const canRead = guards.authorize(Permission.readMeetings);
  return async (app) => {
    app.get(
      '/:id',
      {
        schema: {
          operationId: 'getMinutes',
          tags,
          summary: 'Minutes',
          description: 'Their status (`generating` with progress, `draft`, `finalized`, `sent_for_signature`, `signed`, `failed` with the reason), content and PDF link.',
          security,
          params: minutesIdParams,
          errors: ['not_found'],
          response: { 200: minutesDetailsResponse },
        },
        onRequest: canRead,
      },
      async (request) => minutes.details(currentUser(request).id, request.params.id),
    );

    app.patch(
      '/:id',
      {
        schema: {
          operationId: 'updateMinutes',
          tags,
          summary: 'Edit or finalise minutes',
          description: 'A draft\'s content can be edited (each edit is a new version); `status: finalized` freezes it and renders the final PDF, the answer waiting for it up to MINUTES_WAIT_MS.',
          security,
          params: minutesIdParams,
          body: updateMinutesBody,
          errors: ['not_found', 'minutes_frozen', 'generation_in_progress'],
          response: { 200: minutesResponse },
        },
        onRequest: guards.authorize(Permission.writeMeetings),
      },
      async (request) => minutes.update(currentUser(request).id, request.params.id, request.body, requestContextOf(request), shutdown),
    );

    app.get(
      '/:id/versions',
      {
        schema: {
          operationId: 'listMinutesVersions',
          tags,
          summary: "Minutes' versions",
          description: 'Every generated or edited content, newest first.',
          security,
          params: minutesIdParams,
          errors: ['not_found'],
          response: { 200: minutesVersionsResponse },
        },
        onRequest: canRead,
      },
      async (request) => minutes.versions(currentUser(request).id, request.params.id),
    );

    app.get(
      '/:id/pdf',
      {
        schema: {
          operationId: 'getMinutesPdf',
          tags,
          summary: "The minutes' PDF",
          description: 'The PDF of the current content; `pdf_not_ready` (with `Retry-After`) while it is being rendered.',
          security,
          params: minutesIdParams,
          errors: ['not_found', 'pdf_not_ready'],
          responseHeaders: { 200: ['Content-Disposition', 'X-Content-SHA256'], 409: ['Retry-After'] },
          fileResponse: { description: 'The PDF', mediaType: 'application/pdf' },
        },
        onRequest: canRead,
      },
      async (request, reply) => {
        const { pdf, fileName, sha256 } = await minutes.pdf(currentUser(request).id, request.params.id);
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="${fileName}"`)
          .header('x-content-sha256', sha256)
          .send(pdf);
      },
    );

    app.get(
      '/:id/action-items',
      {
        schema: {
          operationId: 'listMinutesActionItems',
          tags,
          summary: "Minutes' action items",
          description:
            'The tasks taken on in the meeting, as generated: the owner matched to a participant or member (with the e-mail when known), the due date resolved from what was said against the meeting date and time zone, and the turn of the recording it comes from.',
          security,
          params: minutesIdParams,
          errors: ['not_found'],
          response: { 200: actionItemsResponse },
        },
        onRequest: canRead,
      },
      async (request) => minutes.actionItems(currentUser(request).id, request.params.id),
    );

    app.get(
      '/:id/action-items.ics',
      {
        schema: {
          operationId: 'getMinutesActionItemsCalendar',
          tags,
          summary: "Minutes' action items as iCalendar",
          description: 'The action items as an iCalendar (RFC 5545) file, one VTODO each, with its due date, owner and reference to the recording.',
          security,
          params: minutesIdParams,
          errors: ['not_found'],
          responseHeaders: { 200: ['Content-Disposition'] },
          fileResponse: { description: 'The iCalendar file', mediaType: 'text/calendar' },
        },
        onRequest: canRead,
      },
      async (request, reply) => {
        const { calendar, fileName } = await minutes.actionItemsCalendar(currentUser(request).id, request.params.id);
        return reply.type('text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="${fileName}"`).send(calendar);
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
  const stream = openEventStream(request, reply, shutdown);
  const { send, signal } = stream;
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
    if (stream.clientGone.aborted) return;
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
    stream.end();
  }
}
