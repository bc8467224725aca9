import { LRUCache } from 'lru-cache';
import type { DocuSignClients } from '../../providers/docusign/docusign.clients.js';
import { ProviderError } from '../../providers/provider-error.js';
import type { ZoomClients } from '../../providers/zoom/zoom.clients.js';
import type { IntegrationClients } from './integrations.clients.js';
import type { IntegrationsStatus } from './integrations.schemas.js';

const STATUS_CACHE_MS = 60_000;
const STATUS_CACHE_USERS = 10_000;

/** Whether each provider accepts the credentials a user's calls would use: a real request each, cached a minute per user. */
export function createIntegrationStatus(deps: {
  clients: Pick<IntegrationClients, 'credentialsFor' | 'openaiClientOf'>;
  zoomClients: ZoomClients;
  docusignClients: DocuSignClients;
  docusignRedirectUri: string;
}) {
  const { clients } = deps;
  const statusCache = new LRUCache<string, IntegrationsStatus>({ max: STATUS_CACHE_USERS, ttl: STATUS_CACHE_MS });

  async function checkOpenAI(userId: string) {
    const resolved = await clients.credentialsFor(userId, 'openai').catch(() => undefined);
    if (!resolved) return { connected: false, source: 'none' as const };
    // A probe: one try, not the SDK's retries with back-off (seconds for an unreachable server).
    const connected = await clients.openaiClientOf(resolved.credentials, { maxRetries: 0 }).checkKey().then(() => true, () => false);
    return { connected, source: resolved.source };
  }

  async function checkDocuSign(userId: string) {
    const resolved = await clients.credentialsFor(userId, 'docusign').catch(() => undefined);
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

  async function checkZoom(userId: string) {
    const resolved = await clients.credentialsFor(userId, 'zoom').catch(() => undefined);
    if (!resolved) return { connected: false, scopes: [], source: 'none' as const };
    try {
      const { scopes } = await deps.zoomClients.for(resolved.credentials, resolved.endpoints).checkCredentials();
      return { connected: true, scopes, source: resolved.source };
    } catch {
      return { connected: false, scopes: [], source: resolved.source };
    }
  }

  async function checkAll(userId: string) {
    const [zoom, docusign, openai] = await Promise.all([checkZoom(userId), checkDocuSign(userId), checkOpenAI(userId)]);
    return { zoom, docusign, openai };
  }

  async function status(userId: string): Promise<IntegrationsStatus> {
    const cached = statusCache.get(userId);
    if (cached) return cached;
    const value = await checkAll(userId);
    statusCache.set(userId, value);
    return value;
  }

  /** The user's credentials changed: the next status checks again. */
  const forget = (userId: string) => void statusCache.delete(userId);

  return { status, forget };
}
