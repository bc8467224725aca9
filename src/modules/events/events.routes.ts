import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { userEventTypes } from '../../db/schema.js';
import { AppError } from '../../lib/errors.js';
import { openEventStream } from '../../lib/event-stream.js';
import { currentUser, type AuthGuards } from '../auth/auth.guards.js';
import { Permission } from '../auth/auth.permissions.js';
import { eventIdOf, positionOf, type EventsService } from './events.service.js';

/** How long a browser's EventSource waits before reconnecting. */
const RECONNECT_MS = 3000;

const eventsHeaders = z.object({
  'last-event-id': z
    .string()
    .refine((value) => positionOf(value) !== undefined, { error: 'must be the id of an event this stream sent' })
    .optional()
    .describe('Resume after this event (EventSource sends it when it reconnects); without it, only events from now on'),
});

const eventStream = z.string().describe(
  [
    'Server-Sent Events, each with an `id` (send it back as `Last-Event-ID` to resume), an `event` and JSON `data`:',
    '`meeting.status_changed` `{meetingId, status}`; `transcript.ready` `{meetingId, source}`;',
    '`minutes.progress` `{minutesId, meetingId, progress}`; `minutes.ready` `{minutesId, meetingId, status, version}`;',
    '`minutes.failed` `{minutesId, meetingId, code, message}`; `minutes.pdf_ready` `{minutesId, meetingId, pdfSha256}`;',
    '`envelope.status_changed` `{envelopeId, minutesId, status}` (with `code` when sending failed, before DocuSign gave an id); `envelope.documents_stored` `{envelopeId, minutesId}` (the signed PDF and certificate are ready).',
    `Types: ${userEventTypes.join(', ')}. A comment line every 15 s keeps it alive; it ends when the server stops (reconnect).`,
  ].join(' '),
);

/** `GET /v1/events`: the signed-in user's live events, resumable. */
export function eventRoutes(deps: { events: EventsService; guards: AuthGuards; maxStreamsPerUser: number; shutdown: AbortSignal }): FastifyPluginAsyncZod {
  const openStreams = new Map<string, number>();
  return async (app) => {
    app.get(
      '/events',
      {
        schema: {
          operationId: 'streamEvents',
          tags: ['events'],
          summary: 'Your live events',
          description:
            "What happens to your meetings, transcripts, minutes and envelopes, as it commits, from any instance. Resume after a gap or a restart with `Last-Event-ID` (events are kept EVENTS_RETENTION_HOURS); at most EVENTS_MAX_STREAMS_PER_USER streams open per user on an instance. Send the bearer token in `Authorization` (a fetch-based EventSource).",
          security: [{ bearerAuth: [] }],
          headers: eventsHeaders,
          errors: ['too_many_streams'],
          response: { 200: { description: 'The event stream', content: { 'text/event-stream': { schema: eventStream } } } },
        },
        onRequest: deps.guards.authorize(Permission.readMeetings),
      },
      async (request, reply) => {
        const userId = currentUser(request).id;
        const open = openStreams.get(userId) ?? 0;
        if (open >= deps.maxStreamsPerUser) throw new AppError('too_many_streams', `At most ${deps.maxStreamsPerUser} event streams may be open at once; close one first`);
        openStreams.set(userId, open + 1);
        const lastEventId = request.headers['last-event-id'];
        const stream = openEventStream(request, reply, deps.shutdown, { retryMs: RECONNECT_MS });
        try {
          await deps.events.follow(
            userId,
            lastEventId === undefined ? undefined : positionOf(lastEventId),
            (event) => stream.send(event.type, event.data, eventIdOf(event)),
            stream.signal,
          );
        } catch (error) {
          request.log.error({ err: error }, 'event stream failed');
        } finally {
          const left = (openStreams.get(userId) ?? 1) - 1;
          if (left > 0) openStreams.set(userId, left);
          else openStreams.delete(userId);
          stream.end();
        }
      },
    );
  };
}
