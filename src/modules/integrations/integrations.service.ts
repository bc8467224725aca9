import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { Encryptor } from '../../lib/crypto.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { DocuSignClient } from '../../providers/docusign/docusign.client.js';
import type { DocuSignClients } from '../../providers/docusign/docusign.clients.js';
import type { OpenAIClient } from '../../providers/openai/openai.client.js';
import type { ZoomClient } from '../../providers/zoom/zoom.client.js';
import type { ProviderTelemetry } from '../../providers/provider-metrics.js';
import type { ZoomClients } from '../../providers/zoom/zoom.clients.js';
import type { AuditService } from '../audit/audit.service.js';
import { createIntegrationClients, type ResolvedCredentials } from './integrations.clients.js';
import { createIntegrationCredentials, type IntegrationResponse } from './integrations.credentials.js';
import type { IntegrationProvider, IntegrationsStatus } from './integrations.schemas.js';
import { createIntegrationStatus } from './integrations.status.js';
import type { ServerCredentials } from './server-credentials.js';


/**
 * The providers a user's calls go to, with whose credentials: those the user connected (sealed
 * at rest, audited), else the server's.
 */
export interface IntegrationsService {
  /** The user's integrations, with the names of the fields stored (never their values). */
  list(userId: string): Promise<{ integrations: IntegrationResponse[] }>;
  /**
   * Stores (or replaces) the user's credentials for a provider, sealed.
   * @throws AppError validation_failed (400) when they are not that provider's, or (in production) point where the server must not call.
   */
  save(userId: string, provider: IntegrationProvider, fields: Record<string, string>, context: RequestContext): Promise<{ integration: IntegrationResponse }>;
  /**
   * Forgets the user's credentials for a provider: later calls use the server's, if any.
   * @throws AppError not_found (404) when there are none.
   */
  remove(userId: string, provider: IntegrationProvider, context: RequestContext): Promise<void>;
  /** Each provider checked with a real token request; cached a minute per user. */
  status(userId: string): Promise<IntegrationsStatus>;
  /** `npm run keys:rotate`: re-seals every stored credential under the current ENCRYPTION_KEY. */
  rotateKeys(): Promise<{ rotated: number; total: number }>;
  /**
   * The credentials for a user's calls to a provider: the user's own, else the server's.
   * @throws AppError integration_not_configured (424) when there are none.
   */
  credentialsFor<P extends IntegrationProvider>(userId: string, provider: P): Promise<ResolvedCredentials<P>>;
  /** A Zoom client with the user's credentials (see `credentialsFor`). */
  zoomFor(userId: string): Promise<ZoomClient>;
  /** A DocuSign client with the user's credentials (see `credentialsFor`). */
  docusignFor(userId: string): Promise<DocuSignClient>;
  /** An OpenAI client with the user's credentials (see `credentialsFor`). */
  openaiFor(userId: string): Promise<OpenAIClient>;
}

export interface IntegrationsServiceDeps {
  database: Database;
  encryptor: Encryptor;
  audit: Pick<AuditService, 'record'>;
  serverCredentials: ServerCredentials;
  zoomClients: ZoomClients;
  docusignClients: DocuSignClients;
  openai: Config['openai'];
  /** The fetch for OpenAI calls: a user's base URL reaches only public addresses. */
  openaiFetch: typeof fetch;
  /** Where OpenAI calls are reported (Zoom's and DocuSign's go through their clients' resilience). */
  providerTelemetry: ProviderTelemetry;
  docusignRedirectUri: string;
  /** In production a user's own endpoints must be public: the server must not be made to call its own network. */
  refusePrivateEndpoints: boolean;
}

export function createIntegrationsService(deps: IntegrationsServiceDeps): IntegrationsService {
  const clients = createIntegrationClients(deps);
  const { status, forget } = createIntegrationStatus({ ...deps, clients });
  const { credentialsFor, zoomFor, docusignFor, openaiFor } = clients;
  return { ...createIntegrationCredentials({ ...deps, forgetStatus: forget }), status, credentialsFor, zoomFor, docusignFor, openaiFor };
}
