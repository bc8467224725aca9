import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { paginationQuery } from '../../lib/pagination.js';
import { requestContextOf } from '../../lib/request-context.js';
import { currentUser, type AuthGuards } from '../auth/auth.guards.js';
import { Permission } from '../auth/auth.permissions.js';
import { successResponse } from '../users/users.schemas.js';
import {
  createdEndpointResponse,
  createEndpointBody,
  deliveriesResponse,
  deliveryParams,
  deliveryResponse,
  endpointParams,
  endpointsResponse,
} from './webhook-endpoints.schemas.js';
import type { WebhookEndpointsService } from './webhook-endpoints.service.js';

const security = [{ bearerAuth: [] }];
const tags = ['webhook endpoints'];

/** `/v1/webhook-endpoints`: where a user's events are also POSTed, signed, and what became of each. */
export function webhookEndpointRoutes(deps: { endpoints: WebhookEndpointsService; guards: AuthGuards }): FastifyPluginAsyncZod {
  const { endpoints } = deps;
  const canRead = deps.guards.authorize(Permission.readMeetings);
  const canWrite = deps.guards.authorize(Permission.writeMeetings);
  return async (app) => {
    app.post(
      '',
      {
        schema: {
          operationId: 'createWebhookEndpoint',
          tags,
          summary: 'Send your events to a URL',
          description:
            'Each event of the chosen types is POSTed to the URL as JSON, signed in `Atas-Signature` with the secret this answer shows once (see `webhooks` in this document), retried with backoff for about 24 hours.',
          security,
          body: createEndpointBody,
          response: { 201: createdEndpointResponse },
        },
        onRequest: canWrite,
      },
      async (request, reply) => reply.status(201).header('cache-control', 'no-store').send(await endpoints.create(currentUser(request).id, request.body, requestContextOf(request))),
    );

    app.get(
      '',
      {
        schema: { operationId: 'listWebhookEndpoints', tags, summary: 'Your webhook endpoints', description: 'Newest first; their secrets are never shown again.', security, response: { 200: endpointsResponse } },
        onRequest: canRead,
      },
      async (request) => endpoints.list(currentUser(request).id),
    );

    app.delete(
      '/:id',
      {
        schema: {
          operationId: 'deleteWebhookEndpoint',
          tags,
          summary: 'Stop sending to an endpoint',
          description: 'The endpoint and its delivery log are deleted; pending deliveries are not sent.',
          security,
          params: endpointParams,
          errors: ['not_found'],
          response: { 200: successResponse },
        },
        onRequest: canWrite,
      },
      async (request) => {
        await endpoints.remove(currentUser(request).id, request.params.id, requestContextOf(request));
        return { success: true as const };
      },
    );

    app.get(
      '/:id/deliveries',
      {
        schema: {
          operationId: 'listWebhookDeliveries',
          tags,
          summary: "An endpoint's deliveries",
          description: 'Newest first, a page at a time: each event sent, its attempts, and the last answer or error.',
          security,
          params: endpointParams,
          querystring: paginationQuery,
          errors: ['not_found'],
          response: { 200: deliveriesResponse },
        },
        onRequest: canRead,
      },
      async (request) => endpoints.deliveries(currentUser(request).id, request.params.id, request.query),
    );

    app.post(
      '/:id/deliveries/:deliveryId/redeliver',
      {
        schema: {
          operationId: 'redeliverWebhook',
          tags,
          summary: 'Send a delivery again',
          description: 'Whatever became of it (delivered or failed), it is sent again, with its retries; not to a disabled endpoint (`conflict`).',
          security,
          params: deliveryParams,
          errors: ['not_found', 'conflict'],
          response: { 202: deliveryResponse },
        },
        onRequest: canWrite,
      },
      async (request, reply) => reply.status(202).send(await endpoints.redeliver(currentUser(request).id, request.params.id, request.params.deliveryId)),
    );
  };
}
