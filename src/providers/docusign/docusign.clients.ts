import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Fetch } from '../http-json.js';
import type { Resilience } from '../resilience.js';
import { createSharedTokenCache, type TokenStore } from '../token-cache.js';
import { createDocuSignClient, type DocuSignClient, type DocuSignCredentials } from './docusign.client.js';

const MAX_CLIENTS = 1000;
const CLIENT_TTL_MS = 60 * 60 * 1000;

export interface DocuSignEndpoints {
  oauthBasePath: string;
  /** Unset: found through /oauth/userinfo. */
  apiBasePath?: string;
}

/**
 * One client per set of credentials, so each keeps its token and account between requests; all
 * of them share the resilience policies, so DocuSign's circuit opens for everyone when it is down.
 */
export function createDocuSignClients(
  options: DocuSignEndpoints & {
    resilience: Resilience;
    fetch?: Fetch;
    /** How many clients (one per set of credentials) are kept; 1000 unless said. */
    maxClients?: number;
    /** With Redis, instances share each token (sealed with `seal`/`open`). */
    sharedTokens?: { store: TokenStore; seal: (token: string) => string; open: (sealed: string) => string };
  },
) {
  // One client (and its token) per set of credentials in use, the least recently used let go.
  const clients = new LRUCache<string, DocuSignClient>({ max: options.maxClients ?? MAX_CLIENTS, ttl: CLIENT_TTL_MS });

  // Credentials of another DocuSign environment than the configured one find their base URI themselves.
  const endpointsFor = (credentials: DocuSignCredentials): DocuSignEndpoints =>
    credentials.oauthBasePath && credentials.oauthBasePath !== options.oauthBasePath
      ? { oauthBasePath: credentials.oauthBasePath }
      : { oauthBasePath: options.oauthBasePath, apiBasePath: options.apiBasePath };

  return {
    /** `endpoints` other than the configured ones: the local emulator's. */
    for(credentials: DocuSignCredentials, endpoints: DocuSignEndpoints = endpointsFor(credentials)): DocuSignClient {
      const key = createHash('sha256')
        .update([credentials.integrationKey, credentials.userId, credentials.accountId ?? '', credentials.privateKey, endpoints.oauthBasePath, endpoints.apiBasePath ?? ''].join('\0'))
        .digest('hex');
      let client = clients.get(key);
      if (!client) {
        const shared = options.sharedTokens;
        client = createDocuSignClient({
          resilience: options.resilience,
          fetch: options.fetch,
          ...endpoints,
          credentials,
          ...(shared ? { tokenCache: (fetchToken) => createSharedTokenCache({ ...shared, key: `atas:docusign-token:${key}`, fetchToken }) } : {}),
        });
        clients.set(key, client);
      }
      return client;
    },
    isCircuitOpen: () => options.resilience.isCircuitOpen(),
  };
}

export type DocuSignClients = ReturnType<typeof createDocuSignClients>;
