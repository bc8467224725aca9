import type { Config } from '../../config.js';
import type { DocuSignEndpoints } from '../../providers/docusign/docusign.clients.js';
import type { ZoomEndpoints } from '../../providers/zoom/zoom.clients.js';
import type { IntegrationProvider, ProviderCredentials } from './integrations.schemas.js';

/** Where a provider is reached when not at its configured address: a local emulator's endpoints. */
export interface ProviderEndpoints {
  zoom: ZoomEndpoints;
  docusign: DocuSignEndpoints;
  openai: never;
}

/** Credentials the server holds for every user: from the environment, or a local emulator's. */
export type ServerCredentials = {
  [P in IntegrationProvider]?: { credentials: ProviderCredentials[P]; source: 'server' | 'emulator'; endpoints?: ProviderEndpoints[P] };
};

/** The providers the environment configures for every user. */
export function serverCredentialsFromConfig(config: Config): ServerCredentials {
  const { zoom, docusign, openai } = config;
  return {
    ...(zoom.accountId && zoom.clientId && zoom.clientSecret
      ? {
          zoom: {
            source: 'server',
            credentials: { accountId: zoom.accountId, clientId: zoom.clientId, clientSecret: zoom.clientSecret, webhookSecret: zoom.webhookSecret },
          },
        }
      : {}),
    ...(docusign.integrationKey && docusign.userId && docusign.privateKey
      ? {
          docusign: {
            source: 'server',
            credentials: {
              integrationKey: docusign.integrationKey,
              userId: docusign.userId,
              accountId: docusign.accountId,
              privateKey: docusign.privateKey,
              oauthBasePath: docusign.oauthBasePath,
            },
          },
        }
      : {}),
    ...(openai.apiKey ? { openai: { source: 'server', credentials: { apiKey: openai.apiKey, baseUrl: openai.baseUrl, model: openai.model } } } : {}),
  };
}
