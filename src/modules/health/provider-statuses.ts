import type { Config } from '../../config.js';
import type { Health } from './health.schemas.js';

/** Whether the server has credentials for each provider. */
export function configuredProviderStatuses(config: Config): Pick<Health['services'], 'zoom' | 'docusign' | 'openai'> {
  const { zoom, docusign, openai } = config;
  return {
    zoom: zoom.clientId && zoom.clientSecret && zoom.accountId ? 'ok' : 'not_configured',
    docusign: docusign.integrationKey && docusign.userId && docusign.privateKey ? 'ok' : 'not_configured',
    openai: openai.apiKey ? 'ok' : 'not_configured',
  };
}
