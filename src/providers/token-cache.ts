export interface AccessToken {
  token: string;
  expiresInSec: number;
}

export interface TokenCache {
  get(): Promise<string>;
  invalidate(): void;
}

/** Cached until a minute before expiry; concurrent callers share one refresh. */
export function createTokenCache(fetchToken: () => Promise<AccessToken>, now = Date.now): TokenCache {
  let cached: { token: string; expiresAt: number } | undefined;
  let refreshing: Promise<string> | undefined;
  return {
    async get() {
      if (cached && now() < cached.expiresAt - 60_000) return cached.token;
      refreshing ??= fetchToken()
        .then(({ token, expiresInSec }) => {
          cached = { token, expiresAt: now() + expiresInSec * 1000 };
          return token;
        })
        .finally(() => (refreshing = undefined));
      return refreshing;
    },
    invalidate: () => void (cached = undefined),
  };
}

/** The small part of a Redis client the shared cache needs. */
export interface TokenStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'PX', ttlMs: number): Promise<unknown>;
  del(key: string): Promise<unknown>;
}

/**
 * Like `createTokenCache`, but kept in Redis (sealed by `seal`/`open`) so every instance uses
 * one token: a deployment of ten instances asks the provider for one, not ten.
 */
export function createSharedTokenCache(options: {
  store: TokenStore;
  key: string;
  fetchToken: () => Promise<AccessToken>;
  seal: (token: string) => string;
  open: (sealed: string) => string;
  now?: () => number;
}): TokenCache {
  const now = options.now ?? Date.now;
  const local = createTokenCache(async () => {
    const stored = await options.store.get(options.key).catch(() => null);
    if (stored) {
      const { sealed, expiresAt } = JSON.parse(stored) as { sealed: string; expiresAt: number };
      if (now() < expiresAt - 60_000) return { token: options.open(sealed), expiresInSec: (expiresAt - now()) / 1000 };
    }
    const fresh = await options.fetchToken();
    const expiresAt = now() + fresh.expiresInSec * 1000;
    await options.store
      .set(options.key, JSON.stringify({ sealed: options.seal(fresh.token), expiresAt }), 'PX', Math.max(1, expiresAt - now() - 60_000))
      .catch(() => undefined); // Redis down: this instance still has its token
    return fresh;
  }, now);
  return {
    get: () => local.get(),
    invalidate() {
      local.invalidate();
      void options.store.del(options.key).catch(() => undefined);
    },
  };
}
