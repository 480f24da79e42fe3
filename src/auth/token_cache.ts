/** An access token with its expiry, as returned by `@azure/identity` credentials. */
export interface AccessToken {
  /** The bearer token. */
  token: string;
  /** Expiry as a Unix timestamp in milliseconds. */
  expiresOnTimestamp: number;
}

/**
 * Supplies bearer tokens: a string (e.g. `getBearerTokenProvider(...)` of `@azure/identity`) or
 * an {@link AccessToken}.
 */
export type TokenProvider = () => Promise<string | AccessToken> | string | AccessToken;

/** Options of {@link TokenCache}. */
export interface TokenCacheOptions {
  /** Refresh this long before expiry (default 120 000 ms). */
  refreshMarginMs?: number;
  /** Clock, for tests (default `Date.now`). */
  now?: () => number;
}

/** Reads the `exp` claim of a JWT, in milliseconds, without verifying anything. */
export function jwtExpiryMs(token: string): number | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const b64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    const payload: unknown = JSON.parse(atob(b64 + "===".slice((b64.length + 3) % 4)));
    if (typeof payload === "object" && payload !== null && "exp" in payload) {
      const exp = (payload as { exp: unknown }).exp;
      if (typeof exp === "number" && Number.isFinite(exp)) return exp * 1000;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Caches bearer tokens from a provider until shortly before they expire; concurrent callers
 * share one refresh. Tokens without a known expiry (not a JWT, no `expiresOnTimestamp`) are not
 * cached: the provider is asked each time (concurrent callers still share one call).
 *
 * @example Share one token among calls
 * ```ts
 * import { TokenCache } from "@aoai/edge";
 * const cache = new TokenCache(() => ({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }));
 * console.log((await cache.get()) === (await cache.get()));
 * ```
 */
export class TokenCache {
  #provider: TokenProvider;
  #margin: number;
  #now: () => number;
  #token: string | undefined;
  #expiresAt = 0;
  #inflight: Promise<string> | undefined;

  /** Wraps a provider. */
  constructor(provider: TokenProvider, options: TokenCacheOptions = {}) {
    this.#provider = provider;
    this.#margin = options.refreshMarginMs ?? 120_000;
    this.#now = options.now ?? Date.now;
  }

  /** Returns a valid token, refreshing (once, shared) when none is cached or it is near expiry. */
  get(): Promise<string> {
    if (this.#token !== undefined && this.#now() < this.#expiresAt - this.#margin) {
      return Promise.resolve(this.#token);
    }
    return this.#refresh();
  }

  /** Forgets the cached token (e.g. after a 401) so the next `get()` asks the provider. */
  invalidate(): void {
    this.#token = undefined;
    this.#expiresAt = 0;
  }

  #refresh(): Promise<string> {
    if (this.#inflight) return this.#inflight;
    const run = (async () => {
      const value = await this.#provider();
      const token = typeof value === "string" ? value : value?.token;
      if (typeof token !== "string" || token === "") {
        throw new TypeError(
          "tokenProvider returned no token: it must resolve to a non-empty string or " +
            "{ token, expiresOnTimestamp }",
        );
      }
      const expiry = typeof value === "string" ? jwtExpiryMs(value) : value.expiresOnTimestamp;
      if (typeof expiry === "number" && Number.isFinite(expiry)) {
        this.#token = token;
        this.#expiresAt = expiry;
      } else {
        this.#token = undefined;
        this.#expiresAt = 0;
      }
      return token;
    })();
    this.#inflight = run;
    const clear = () => {
      if (this.#inflight === run) this.#inflight = undefined;
    };
    run.then(clear, clear);
    return run;
  }
}
