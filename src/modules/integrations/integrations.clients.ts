import { AppError } from '../../lib/errors.js';
import type { DocuSignClient } from '../../providers/docusign/docusign.client.js';
import { createOpenAIClient, type OpenAIClient } from '../../providers/openai/openai.client.js';
import type { ZoomClient } from '../../providers/zoom/zoom.client.js';
import { openCredentials } from './integrations.credentials.js';
import { findIntegration } from './integrations.repo.js';
import type { IntegrationProvider, ProviderCredentials } from './integrations.schemas.js';
import type { IntegrationsServiceDeps } from './integrations.service.js';
import type { ProviderEndpoints } from './server-credentials.js';

type CredentialSource = 'user' | 'server' | 'emulator';

export type ResolvedCredentials<P extends IntegrationProvider> = { credentials: ProviderCredentials[P]; source: CredentialSource; endpoints?: ProviderEndpoints[P] };

export type IntegrationClients = ReturnType<typeof createIntegrationClients>;

/** The credentials and provider clients a user's calls use: the user's own, else the server's. */
export function createIntegrationClients(
  deps: Pick<IntegrationsServiceDeps, 'database' | 'encryptor' | 'serverCredentials' | 'zoomClients' | 'docusignClients' | 'openai' | 'openaiFetch' | 'providerTelemetry'>,
) {
  async function credentialsFor<P extends IntegrationProvider>(userId: string, provider: P): Promise<ResolvedCredentials<P>> {
    const row = await findIntegration(deps.database.db, userId, provider);
    if (row?.isActive) return { credentials: openCredentials(deps.encryptor, row, provider), source: 'user' };
    const server = deps.serverCredentials[provider];
    if (server) return server;
    throw new AppError('integration_not_configured', `No ${provider} integration is configured: connect one at POST /v1/integrations/${provider}`, {
      provider,
    });
  }

  function openaiClientOf(credentials: ProviderCredentials['openai'], options: { maxRetries?: number } = {}): OpenAIClient {
    return createOpenAIClient({
      apiKey: credentials.apiKey,
      baseUrl: credentials.baseUrl ?? deps.openai.baseUrl,
      model: credentials.model ?? deps.openai.model,
      maxTokens: deps.openai.maxTokens,
      temperature: deps.openai.temperature,
      timeoutMs: deps.openai.timeoutMs,
      fetch: deps.openaiFetch,
      telemetry: deps.providerTelemetry,
      maxRetries: options.maxRetries,
    });
  }

  async function openaiFor(userId: string): Promise<OpenAIClient> {
    return openaiClientOf((await credentialsFor(userId, 'openai')).credentials);
  }

  async function docusignFor(userId: string): Promise<DocuSignClient> {
    const { credentials, endpoints } = await credentialsFor(userId, 'docusign');
    return deps.docusignClients.for(credentials, endpoints);
  }

  async function zoomFor(userId: string): Promise<ZoomClient> {
    const { credentials, endpoints } = await credentialsFor(userId, 'zoom');
    return deps.zoomClients.for(credentials, endpoints);
  }

  return { credentialsFor, openaiClientOf, openaiFor, docusignFor, zoomFor };
}
