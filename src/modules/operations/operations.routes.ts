import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestContextOf } from '../../lib/request-context.js';
import { currentUser, type AuthGuards } from '../auth/auth.guards.js';
import { Permission } from '../auth/auth.permissions.js';
import { emailsQuery, emailsResponse, jobsResponse, webhookEventDismissBody, webhookEventDismissResponse, webhookEventIdParams, webhookEventReplayResponse, webhookEventsQuery, webhookEventsResponse } from './operations.schemas.js';
import type { OperationsService } from './operations.service.js';

const security = [{ bearerAuth: [] }];

/** Operating the system, for admins, under /v1/admin: stored provider events, notification e-mails and the job queues. */
export function operationsRoutes(deps: { operations: OperationsService; guards: AuthGuards }): FastifyPluginAsyncZod {
  const { operations, guards } = deps;
  return async (app) => {
    app.addHook('onRequest', guards.authorize(Permission.operateSystem));

    app.get(
      '/webhook-events',
      {
        schema: {
          operationId: 'listWebhookEvents',
          tags: ['admin'],
          summary: 'Stored provider events',
          description:
            'For admins: the Zoom and DocuSign events received, newest first, a page at a time, without their payloads. Filters: `provider`, `processed`, `error` (an attempt failed), `dismissed` and the time received (`from`, `to`). Audited.',
          security,
          querystring: webhookEventsQuery,
          response: { 200: webhookEventsResponse },
        },
      },
      async (request) => operations.listWebhookEvents(currentUser(request).id, request.query, requestContextOf(request)),
    );

    app.post(
      '/webhook-events/:id/replay',
      {
        schema: {
          operationId: 'replayWebhookEvent',
          tags: ['admin'],
          summary: 'Process a stored provider event again',
          description:
            'For admins: enqueues the processing of an event that is not applied yet (one that failed for good, say, after its cause was fixed). Processing is idempotent and skips an event once applied, so a replay applies it at most once. A dismissed event may be replayed: that takes the dismissal back. Audited.',
          security,
          params: webhookEventIdParams,
          errors: ['not_found', 'webhook_event_processed'],
          response: { 202: webhookEventReplayResponse },
        },
      },
      async (request, reply) => {
        const event = await operations.replayWebhookEvent(currentUser(request).id, request.params.id, requestContextOf(request));
        return reply.status(202).send({ event, replayed: true as const });
      },
    );

    app.post(
      '/webhook-events/:id/dismiss',
      {
        schema: {
          operationId: 'dismissWebhookEvent',
          tags: ['admin'],
          summary: 'Give up on a stored provider event',
          description:
            'For admins: marks an event that is not applied (one that failed for good and will never apply, say) as dismissed, with an optional `reason` kept in the audit log. It is not applied (its job skips it), not counted as pending, and deleted `WEBHOOK_EVENT_RETENTION_DAYS` after its dismissal; a replay takes the dismissal back. Audited.',
          security,
          params: webhookEventIdParams,
          body: webhookEventDismissBody,
          isBodyOptional: true,
          errors: ['not_found', 'webhook_event_processed', 'webhook_event_dismissed'],
          response: { 200: webhookEventDismissResponse },
        },
      },
      async (request) => ({
        event: await operations.dismissWebhookEvent(currentUser(request).id, request.params.id, request.body.reason, requestContextOf(request)),
        dismissed: true as const,
      }),
    );

    app.get(
      '/emails',
      {
        schema: {
          operationId: 'listEmails',
          tags: ['admin'],
          summary: 'Notification e-mails',
          description:
            'For admins: the notification e-mails, newest first, a page at a time, with their state, recipient and last error (the SMTP reply), without what they said. Filters: `status` (`failed`: those that will not be sent), `kind` and the time created (`from`, `to`). Kept `EMAIL_RETENTION_DAYS` after they end. Audited.',
          security,
          querystring: emailsQuery,
          response: { 200: emailsResponse },
        },
      },
      async (request) => operations.listEmails(currentUser(request).id, request.query, requestContextOf(request)),
    );

    app.get(
      '/jobs',
      {
        schema: {
          operationId: 'listJobQueues',
          tags: ['admin'],
          summary: 'Job queues',
          description: 'For admins: per background job queue, the jobs waiting, deferred, running and failed, and how long the oldest waiting one has waited. Read from the database: the same from every instance. Audited.',
          security,
          response: { 200: jobsResponse },
        },
      },
      async (request) => ({ queues: (await operations.jobQueues(currentUser(request).id, requestContextOf(request))).map(({ oldestWaitingSec, ...queue }) => ({ ...queue, oldestWaitingSeconds: oldestWaitingSec })) }),
    );
  };
}
