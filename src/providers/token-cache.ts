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
