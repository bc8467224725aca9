import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { Database } from '../../db/client.js';
import type { Encryptor } from '../../lib/crypto.js';
import { sealedValue } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { isPrivateUrl } from '../../lib/public-url.js';
import type { RequestContext } from '../../lib/request-context.js';
import type { Config } from '../../config.js';
import type { DocuSignClient } from '../../providers/docusign/docusign.client.js';
import type { DocuSignClients, DocuSignEndpoints } from '../../providers/docusign/docusign.clients.js';
import { createOpenAIClient, type OpenAIClient } from '../../providers/openai/openai.client.js';
import { ProviderError } from '../../providers/provider-error.js';
import type { ZoomClient } from '../../providers/zoom/zoom.client.js';
import type { ZoomClients, ZoomEndpoints } from '../../providers/zoom/zoom.clients.js';
import type { AuditService } from '../audit/audit.service.js';
import {
  deleteIntegration,
  findIntegration,
  listAllIntegrations,
  listIntegrations,
  replaceSealedCredentials,
  upsertIntegration,
  type IntegrationRow,
} from './integrations.repo.js';
import { providerCredentialSchemas, type IntegrationProvider, type ProviderCredentials } from './integrations.schemas.js';

export type CredentialSource = 'user' | 'server' | 'emulator';

/** Where a provider is reached when not at its configured address: a local emulator's endpoints. */
interface ProviderEndpoints {
  zoom: ZoomEndpoints;
  docusign: DocuSignEndpoints;
  openai: never;
}

/** Credentials the server holds for every user: from the environment, or a local emulator's. */
export type ServerCredentials = {
  [P in IntegrationProvider]?: { credentials: ProviderCredentials[P]; source: 'server' | 'emulator'; endpoints?: ProviderEndpoints[P] };
};

/** @throws AppError validation_failed when a user's endpoint points where the server must not call. */
function refusePrivateEndpoint(provider: IntegrationProvider, credentials: Record<string, unknown>) {
  const refuse = (field: string, message: string) => {
    throw new AppError('validation_failed', `These are not valid ${provider} credentials`, [{ location: 'body', path: `/credentials/${field}`, message }]);
  };
  if (provider === 'openai' && typeof credentials.baseUrl === 'string' && isPrivateUrl(credentials.baseUrl)) refuse('baseUrl', 'must be a public address');
  if (provider === 'docusign' && typeof credentials.oauthBasePath === 'string' && !/^(https:\/\/)?account(-d)?\.docusign\.com$/i.test(credentials.oauthBasePath)) {
    refuse('oauthBasePath', 'must be account-d.docusign.com or account.docusign.com');
  }
}

const storedCredentials = z.object({ sealed: sealedValue, fields: z.array(z.string()) });

const STATUS_CACHE_MS = 60_000;
const STATUS_CACHE_USERS = 10_000;

export type IntegrationsService = ReturnType<typeof createIntegrationsService>;

export function createIntegrationsService(deps: {
  database: Database;
  encryptor: Encryptor;
  audit: AuditService;
  serverCredentials: ServerCredentials;
  zoomClients: ZoomClients;
  docusignClients: DocuSignClients;
  openai: Config['openai'];
  /** The fetch for OpenAI calls: a user's base URL reaches only public addresses. */
  openaiFetch: typeof fetch;
  docusignRedirectUri: string;
  /** In production a user's own endpoints must be public: the server must not be made to call its own network. */
  refusePrivateEndpoints: boolean;
}) {
  const { database, encryptor, audit } = deps;
  const contextOf = (row: Pick<IntegrationRow, 'userId' | 'provider'>) => `${row.userId}:${row.provider}`;
  const statusCache = new LRUCache<string, Awaited<ReturnType<typeof checkAll>>>({ max: STATUS_CACHE_USERS, ttl: STATUS_CACHE_MS });

  function toIntegrationResponse(row: IntegrationRow) {
    return {
      provider: row.provider,
      isActive: row.isActive,
      expiresAt: row.expiresAt?.toISOString() ?? null,
      fieldsSet: storedCredentials.parse(row.credentials).fields,
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  function openCredentials<P extends IntegrationProvider>(row: IntegrationRow, provider: P): ProviderCredentials[P] {
    const { sealed } = storedCredentials.parse(row.credentials);
    return providerCredentialSchemas[provider].parse(JSON.parse(encryptor.open(sealed, contextOf(row)))) as ProviderCredentials[P];
  }

  /**
   * The credentials for a user's calls to a provider: the user's own, else the server's.
   * @throws AppError integration_not_configured (424) when there are none.
   */
  async function credentialsFor<P extends IntegrationProvider>(
    userId: string,
    provider: P,
  ): Promise<{ credentials: ProviderCredentials[P]; source: CredentialSource; endpoints?: ProviderEndpoints[P] }> {
    const row = await findIntegration(database.db, userId, provider);
    if (row?.isActive) return { credentials: openCredentials(row, provider), source: 'user' };
    const server = deps.serverCredentials[provider];
    if (server) return server;
    throw new AppError('integration_not_configured', `No ${provider} integration is configured: connect one at POST /v1/integrations/${provider}`, {
      provider,
    });
  }

  async function openaiFor(userId: string): Promise<OpenAIClient> {
    return openaiClientOf((await credentialsFor(userId, 'openai')).credentials);
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
      maxRetries: options.maxRetries,
    });
  }

  async function docusignFor(userId: string): Promise<DocuSignClient> {
    const { credentials, endpoints } = await credentialsFor(userId, 'docusign');
    return deps.docusignClients.for(credentials, endpoints);
  }

  async function checkOpenAI(userId: string) {
    const resolved = await credentialsFor(userId, 'openai').catch(() => undefined);
    if (!resolved) return { connected: false, source: 'none' as const };
    // A probe: one try, not the SDK's retries with back-off (seconds for an unreachable server).
    const connected = await openaiClientOf(resolved.credentials, { maxRetries: 0 }).checkKey().then(() => true, () => false);
    return { connected, source: resolved.source };
  }

  async function checkDocuSign(userId: string) {
    const resolved = await credentialsFor(userId, 'docusign').catch(() => undefined);
    if (!resolved) return { connected: false, consentRequired: false, source: 'none' as const };
    const client = deps.docusignClients.for(resolved.credentials, resolved.endpoints);
    try {
      await client.userInfo();
      return { connected: true, consentRequired: false, source: resolved.source };
    } catch (error) {
      const consentRequired = error instanceof ProviderError && error.code === 'consent_required';
      return { connected: false, consentRequired, source: resolved.source, ...(consentRequired ? { consentUrl: client.consentUrl(deps.docusignRedirectUri) } : {}) };
    }
  }

  async function checkAll(userId: string) {
    const [zoom, docusign, openai] = await Promise.all([checkZoom(userId), checkDocuSign(userId), checkOpenAI(userId)]);
    return { zoom, docusign, openai };
  }

  async function checkZoom(userId: string) {
    const resolved = await credentialsFor(userId, 'zoom').catch(() => undefined);
    if (!resolved) return { connected: false, scopes: [], source: 'none' as const };
    try {
      const { scopes } = await deps.zoomClients.for(resolved.credentials, resolved.endpoints).checkCredentials();
      return { connected: true, scopes, source: resolved.source };
    } catch {
      return { connected: false, scopes: [], source: resolved.source };
    }
  }

  return {
    credentialsFor,
    openaiFor,
    docusignFor,

    async zoomFor(userId: string): Promise<ZoomClient> {
      const { credentials, endpoints } = await credentialsFor(userId, 'zoom');
      return deps.zoomClients.for(credentials, endpoints);
    },

    async list(userId: string) {
      return { integrations: (await listIntegrations(database.db, userId)).map(toIntegrationResponse) };
    },

    async save(userId: string, provider: IntegrationProvider, fields: Record<string, string>, context: RequestContext) {
      const parsed = providerCredentialSchemas[provider].safeParse(fields);
      if (!parsed.success) {
        throw new AppError(
          'validation_failed',
          `These are not valid ${provider} credentials`,
          parsed.error.issues.map((issue) => ({ location: 'body', path: `/credentials/${issue.path.join('/')}`, message: issue.message })),
        );
      }
      if (deps.refusePrivateEndpoints) refusePrivateEndpoint(provider, parsed.data);
      const fieldNames = Object.keys(parsed.data).sort();
      return database.transaction(async ({ db }) => {
        const sealed = encryptor.seal(JSON.stringify(parsed.data), contextOf({ userId, provider }));
        const row = await upsertIntegration(db, { userId, provider, credentials: { sealed, fields: fieldNames } });
        await audit.record(
          { userId, action: 'integration.saved', resourceType: 'integration', resourceId: row.id, details: { provider, fields: fieldNames }, context },
          db,
        );
        statusCache.delete(userId);
        return { integration: toIntegrationResponse(row) };
      });
    },

    async remove(userId: string, provider: IntegrationProvider, context: RequestContext) {
      await database.transaction(async ({ db }) => {
        if (!(await deleteIntegration(db, userId, provider))) throw new AppError('not_found', `No ${provider} integration to remove`);
        await audit.record({ userId, action: 'integration.removed', resourceType: 'integration', details: { provider }, context }, db);
      });
      statusCache.delete(userId);
    },

    /** Each provider checked with a real token request; cached a minute per user. */
    async status(userId: string) {
      const cached = statusCache.get(userId);
      if (cached) return cached;
      const value = await checkAll(userId);
      statusCache.set(userId, value);
      return value;
    },

    /** `npm run keys:rotate`: re-seals every stored credential under the current ENCRYPTION_KEY. */
    async rotateKeys(): Promise<{ rotated: number; total: number }> {
      const rows = await listAllIntegrations(database.db);
      let rotated = 0;
      for (const row of rows) {
        const stored = storedCredentials.parse(row.credentials);
        if (stored.sealed.keyId === encryptor.currentKeyId) continue;
        const sealed = encryptor.seal(encryptor.open(stored.sealed, contextOf(row)), contextOf(row));
        await replaceSealedCredentials(database.db, row.id, { ...stored, sealed });
        rotated++;
      }
      return { rotated, total: rows.length };
    },
  };
}
