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

    app.get(
      '',
      {
        schema: {
          operationId: 'listIntegrations',
          tags: ['integrations'],
          summary: 'Your provider integrations',
          description: 'Which providers you connected, with the names of the fields stored (never their values).',
          security,
          response: { 200: integrationsResponse },
        },
      },
      async (request) => integrations.list(currentUser(request).id),
    );

    app.get(
      '/status',
      {
        schema: {
          operationId: 'getIntegrationsStatus',
          tags: ['integrations'],
          summary: 'Whether each provider accepts the credentials in use',
          description: "Yours, else the server's or an emulator's; each checked with a real token request, cached a minute.",
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
          operationId: 'saveIntegration',
          tags: ['integrations'],
          summary: "Store a provider's credentials",
          description:
            'Encrypted at rest, never returned. zoom: `accountId`, `clientId`, `clientSecret`[, `webhookSecret`]; openai: `apiKey`[, `baseUrl`, `model`]; docusign: `integrationKey`, `userId`, `privateKey`[, `accountId`, `oauthBasePath`, `connectHmacKeys`].',
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
      {
        schema: {
          operationId: 'removeIntegration',
          tags: ['integrations'],
          summary: "Forget a provider's credentials",
          description: "Later calls use the server's credentials, if any.",
          security,
          params: providerParams,
          errors: ['not_found'],
          response: { 200: successResponse },
        },
      },
      async (request) => {
        await integrations.remove(currentUser(request).id, request.params.provider, requestContextOf(request));
        return { success: true as const };
      },
    );
  };
}
