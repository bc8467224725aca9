import type { Config } from '../../config.js';
import type { ServerCredentials } from './integrations.service.js';

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
