import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestContextOf } from '../../lib/request-context.js';
import { currentUser } from '../auth/auth.guards.js';
import { successResponse } from '../users/users.schemas.js';
import {
  integrationResponse,
  integrationsResponse,
  integrationsStatusResponse,
  providerParams,
  saveIntegrationBody,
} from './integrations.schemas.js';
import type { IntegrationsService } from './integrations.service.js';

const security = [{ bearerAuth: [] }];

export function integrationRoutes(deps: { integrations: IntegrationsService }): FastifyPluginAsyncZod {
  const { integrations } = deps;
  return async (app) => {

    app.get('', { schema: { tags: ['integrations'], security, response: { 200: integrationsResponse } } }, async (request) =>
      integrations.list(currentUser(request).id),
    );

    app.get(
      '/status',
      {
        schema: {
          tags: ['integrations'],
          summary: 'Whether each provider accepts the credentials in use (checked with a real token request, cached a minute)',
          security,
          response: { 200: integrationsStatusResponse },
        },
      },
      async (request) => integrations.status(currentUser(request).id),
    );

    app.post(
      '/:provider',
      {
        schema: {
          tags: ['integrations'],
          summary: 'Store credentials (encrypted); zoom: accountId, clientId, clientSecret[, webhookSecret]',
          security,
          params: providerParams,
          body: saveIntegrationBody,
          response: { 200: integrationResponse },
        },
      },
      async (request) =>
        integrations.save(currentUser(request).id, request.params.provider, request.body.credentials, requestContextOf(request)),
    );

    app.delete(
      '/:provider',
      { schema: { tags: ['integrations'], security, params: providerParams, response: { 200: successResponse } } },
      async (request) => {
        await integrations.remove(currentUser(request).id, request.params.provider, requestContextOf(request));
        return { success: true as const };
      },
    );
  };
}
