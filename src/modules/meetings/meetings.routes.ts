import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idempotencyKeyHeader } from '../../lib/idempotency-key.js';
import { providerErrors } from '../../lib/openapi.js';
import { requestContextOf } from '../../lib/request-context.js';
import { currentUser, type AuthGuards } from '../auth/auth.guards.js';
import { Permission } from '../auth/auth.permissions.js';
import { successResponse } from '../users/users.schemas.js';
import {
  addParticipantsBody,
  createMeetingBody,
  createMeetingResponse,
  listMeetingsQuery,
  meetingDetailsResponse,
  meetingIdParams,
  meetingResponse,
  meetingsResponse,
  participantsResponse,
  recordingResponse,
  startUrlResponse,
  updateMeetingBody,
} from './meetings.schemas.js';
import type { MeetingsService } from './meetings.service.js';

const security = [{ bearerAuth: [] }];
const tags = ['meetings'];

export function meetingRoutes(deps: { meetings: MeetingsService; guards: AuthGuards }): FastifyPluginAsyncZod {
  const { meetings, guards } = deps;
  const canRead = guards.authorize(Permission.readMeetings);
  const canWrite = guards.authorize(Permission.writeMeetings);

  return async (app) => {
    app.get(
      '',
      {
        schema: {
          operationId: 'listMeetings',
          tags,
          summary: 'Your meetings',
          description: 'Newest start first, a page at a time; filter by `status` and by start between `startDate` and `endDate`.',
          security,
          querystring: listMeetingsQuery,
          response: { 200: meetingsResponse },
        },
        onRequest: canRead,
      },
      async (request) => meetings.list(currentUser(request).id, request.query),
    );

    app.post(
      '',
      {
        schema: {
          operationId: 'createMeeting',
          tags,
          summary: 'Schedule a meeting',
          description:
            'Creates the meeting on Zoom first and stores it after (a Zoom failure leaves nothing); `onZoom: false` records a meeting held elsewhere. An `Idempotency-Key` makes retries safe.',
          security,
          headers: idempotencyKeyHeader,
          body: createMeetingBody,
          errors: [...providerErrors, 'idempotency_key_reused', 'conflict'],
          responseHeaders: { 201: ['Idempotent-Replayed'] },
          response: { 201: createMeetingResponse },
        },
        onRequest: canWrite,
      },
      async (request, reply) => {
        const outcome = await meetings.create(currentUser(request).id, request.body, request.headers['idempotency-key'], requestContextOf(request));
        if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
        return reply.status(201).header('cache-control', 'no-store').send(outcome.body);
      },
    );

    app.get(
      '/:id',
      {
        schema: {
          operationId: 'getMeeting',
          tags,
          summary: 'A meeting',
          description: 'The meeting, its participants, and whether it has minutes.',
          security,
          params: meetingIdParams,
          errors: ['not_found'],
          response: { 200: meetingDetailsResponse },
        },
        onRequest: canRead,
      },
      async (request) => meetings.details(currentUser(request).id, request.params.id),
    );

    app.get(
      '/:id/start-url',
      {
        schema: {
          operationId: 'getMeetingStartUrl',
          tags,
          summary: "The host's start link",
          description: 'Fresh from Zoom each time: it holds the host\'s zak, which Zoom expires about two hours later, so none is kept. `Cache-Control: no-store`.',
          security,
          params: meetingIdParams,
          errors: [...providerErrors, 'not_found', 'meeting_cancelled', 'meeting_not_on_zoom'],
          response: { 200: startUrlResponse },
        },
        onRequest: canWrite,
      },
      async (request, reply) => {
        void reply.header('cache-control', 'no-store');
        return meetings.startUrl(currentUser(request).id, request.params.id);
      },
    );

    app.patch(
      '/:id',
      {
        schema: {
          operationId: 'updateMeeting',
          tags,
          summary: 'Change a meeting',
          description: 'On Zoom first, then here. A meeting Zoom no longer has is marked cancelled (`meeting_cancelled`).',
          security,
          params: meetingIdParams,
          body: updateMeetingBody,
          errors: [...providerErrors, 'not_found', 'meeting_cancelled'],
          response: { 200: meetingResponse },
        },
        onRequest: canWrite,
      },
      async (request) => meetings.update(currentUser(request).id, request.params.id, request.body, requestContextOf(request)),
    );

    app.delete(
      '/:id',
      {
        schema: {
          operationId: 'cancelMeeting',
          tags,
          summary: 'Cancel a meeting',
          description: 'Deleted on Zoom (already gone is fine); the meeting, its transcript and its minutes are kept, marked cancelled.',
          security,
          params: meetingIdParams,
          errors: [...providerErrors, 'not_found'],
          response: { 200: successResponse },
        },
        onRequest: canWrite,
      },
      async (request) => {
        await meetings.cancel(currentUser(request).id, request.params.id, requestContextOf(request));
        return { success: true as const };
      },
    );

    app.post(
      '/:id/participants',
      {
        schema: {
          operationId: 'addParticipants',
          tags,
          summary: 'Add participants',
          description: 'An e-mail already there is skipped; with registration on, the new ones become Zoom registrants.',
          security,
          params: meetingIdParams,
          body: addParticipantsBody,
          errors: [...providerErrors, 'not_found'],
          response: { 200: participantsResponse },
        },
        onRequest: canWrite,
      },
      async (request) => meetings.addParticipants(currentUser(request).id, request.params.id, request.body.participants, requestContextOf(request)),
    );

    app.get(
      '/:id/recording',
      {
        schema: {
          operationId: 'getMeetingRecording',
          tags,
          summary: "The meeting's recording on Zoom",
          description: "Zoom's recording files (video, audio, transcript) and their download links; none for a meeting held elsewhere.",
          security,
          params: meetingIdParams,
          errors: [...providerErrors, 'not_found'],
          response: { 200: recordingResponse },
        },
        onRequest: canRead,
      },
      async (request) => meetings.recording(currentUser(request).id, request.params.id),
    );
  };
}
