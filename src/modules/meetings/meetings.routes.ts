import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idempotencyKeyHeader } from '../../lib/idempotency.js';
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
    app.get('', { schema: { tags, security, querystring: listMeetingsQuery, response: { 200: meetingsResponse } }, onRequest: canRead }, async (request) =>
      meetings.list(currentUser(request).id, request.query),
    );

    app.post(
      '',
      {
        schema: {
          tags,
          summary: 'Create the meeting on Zoom and store it (Idempotency-Key honoured)',
          security,
          headers: idempotencyKeyHeader,
          body: createMeetingBody,
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

    app.get('/:id', { schema: { tags, security, params: meetingIdParams, response: { 200: meetingDetailsResponse } }, onRequest: canRead }, async (request) =>
      meetings.details(currentUser(request).id, request.params.id),
    );

    app.get(
      '/:id/start-url',
      {
        schema: {
          tags,
          summary: "The host's start link, fresh from Zoom (it expires about two hours later; none is kept)",
          security,
          params: meetingIdParams,
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
      { schema: { tags, summary: 'Update on Zoom, then here', security, params: meetingIdParams, body: updateMeetingBody, response: { 200: meetingResponse } }, onRequest: canWrite },
      async (request) => meetings.update(currentUser(request).id, request.params.id, request.body, requestContextOf(request)),
    );

    app.delete(
      '/:id',
      { schema: { tags, summary: 'Cancel on Zoom; the meeting and its minutes are kept', security, params: meetingIdParams, response: { 200: successResponse } }, onRequest: canWrite },
      async (request) => {
        await meetings.cancel(currentUser(request).id, request.params.id, requestContextOf(request));
        return { success: true as const };
      },
    );

    app.post(
      '/:id/participants',
      {
        schema: { tags, summary: 'Add participants (duplicates by e-mail ignored; Zoom registrants when registration is on)', security, params: meetingIdParams, body: addParticipantsBody, response: { 200: participantsResponse } },
        onRequest: canWrite,
      },
      async (request) => meetings.addParticipants(currentUser(request).id, request.params.id, request.body.participants, requestContextOf(request)),
    );

    app.get('/:id/recording', { schema: { tags, security, params: meetingIdParams, response: { 200: recordingResponse } }, onRequest: canRead }, async (request) =>
      meetings.recording(currentUser(request).id, request.params.id),
    );
  };
}
