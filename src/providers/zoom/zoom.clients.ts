import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Fetch } from '../http-json.js';
import type { Resilience } from '../resilience.js';
import { createSharedTokenCache, type TokenStore } from '../token-cache.js';
import { createZoomClient, type ZoomClient, type ZoomCredentials } from './zoom.client.js';

const MAX_CLIENTS = 1000;
const CLIENT_TTL_MS = 60 * 60 * 1000;

/**
 * One client per set of credentials, so each keeps its token between requests; all of them
 * share the resilience policies, so Zoom's circuit opens for everyone when Zoom is down.
 */
export interface ZoomEndpoints {
  apiBaseUrl: string;
  oauthUrl: string;
}

export function createZoomClients(
  options: ZoomEndpoints & {
    resilience: Resilience;
    fetch?: Fetch;
    /** How many clients (one per set of credentials) are kept; 1000 unless said. */
    maxClients?: number;
    /** With Redis, instances share each token (sealed with `seal`/`open`). */
    sharedTokens?: { store: TokenStore; seal: (token: string) => string; open: (sealed: string) => string };
  },
) {
  // One client (and its token) per set of credentials in use, the least recently used let go.
  const clients = new LRUCache<string, ZoomClient>({ max: options.maxClients ?? MAX_CLIENTS, ttl: CLIENT_TTL_MS });
  return {
    /** `endpoints` other than the configured ones: the local emulator's. */
    for(credentials: ZoomCredentials, endpoints: ZoomEndpoints = options): ZoomClient {
      const key = createHash('sha256')
        .update([credentials.accountId, credentials.clientId, credentials.clientSecret, endpoints.apiBaseUrl].join('\0'))
        .digest('hex');
      let client = clients.get(key);
      if (!client) {
        const shared = options.sharedTokens;
        client = createZoomClient({
          ...options,
          ...endpoints,
          credentials,
          ...(shared ? { tokenCache: (fetchToken) => createSharedTokenCache({ ...shared, key: `atas:zoom-token:${key}`, fetchToken }) } : {}),
        });
        clients.set(key, client);
      }
      return client;
    },
    isCircuitOpen: () => options.resilience.isCircuitOpen(),
  };
}

export type ZoomClients = ReturnType<typeof createZoomClients>;
