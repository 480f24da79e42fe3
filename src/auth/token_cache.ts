import { onAbort } from "../middleware/_abort.ts";

/**
 * An access token with its expiry, as returned by `@azure/identity` credentials.
 *
 * @example Hand out a token with its expiry
 * ```ts
 * import { type AccessToken, TokenCache } from "@aoai/edge";
 * const token: AccessToken = {
 *   token: "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.c2ln",
 *   expiresOnTimestamp: Date.now() + 3_600_000, // in one hour
 * };
 * const cache = new TokenCache(() => token);
 * console.log((await cache.get()) === token.token); // true
 * ```
 */
export interface AccessToken {
  /** The bearer token. */
  token: string;
  /** Expiry as a Unix timestamp in milliseconds (one in seconds is recognised as such). */
  expiresOnTimestamp: number;
}

/**
 * Supplies bearer tokens: a string (e.g. `getBearerTokenProvider(...)` of `@azure/identity`) or
 * an {@link AccessToken}.
 *
 * @example Authenticate with Entra ID tokens
 * ```ts
 * import { AzureOpenAI, type TokenProvider } from "@aoai/edge";
 * // e.g. getBearerTokenProvider(credential, "https://cognitiveservices.azure.com/.default")
 * const tokenProvider: TokenProvider = () =>
 *   Promise.resolve({ token: "<entra id token>", expiresOnTimestamp: Date.now() + 3_600_000 });
 * const client = new AzureOpenAI({ endpoint: "https://my-res.openai.azure.com", tokenProvider });
 * console.log(client.endpoint); // "https://my-res.openai.azure.com"
 * ```
 */
export type TokenProvider = () => Promise<string | AccessToken> | string | AccessToken;

/**
 * Options of {@link TokenCache}.
 *
 * @example Refresh a minute before expiry, on a test clock
 * ```ts
 * import { TokenCache, type TokenCacheOptions } from "@aoai/edge";
 * let now = 0;
 * const options: TokenCacheOptions = { refreshMarginMs: 60_000, now: () => now };
 * let calls = 0;
 * const provider = () => ({ token: `t${++calls}`, expiresOnTimestamp: 3_600_000 });
 * const cache = new TokenCache(provider, options);
 * console.log(await cache.get()); // "t1"
 * now = 3_550_000; // less than a minute before expiry: still valid, refreshed in the background
 * console.log(await cache.get()); // "t1"
 * await new Promise((resolve) => setTimeout(resolve, 0)); // the refresh settles
 * console.log(await cache.get()); // "t2"
 * ```
 */
export interface TokenCacheOptions {
  /**
   * Refresh this long before expiry (default 120 000 ms). Inside this margin calls go on with the
   * cached token while one refresh runs in the background (after a failed one, the next is tried
   * 3 s later); only in a token's last 5 s (or the whole margin, when shorter) do calls wait.
   */
  refreshMarginMs?: number;
  /** Clock, for tests (default `Date.now`). */
  now?: () => number;
}

/**
 * Reads the `exp` claim of a JWT, in milliseconds, without verifying anything.
 *
 * @example When does this token expire?
 * ```ts
 * import { jwtExpiryMs } from "@aoai/edge";
 * const claims = { aud: "https://cognitiveservices.azure.com", exp: 1_735_689_600 };
 * const payload = btoa(JSON.stringify(claims));
 * const jwt = `eyJhbGciOiJSUzI1NiJ9.${payload}.signature`;
 * console.log(new Date(jwtExpiryMs(jwt)!).toISOString()); // "2025-01-01T00:00:00.000Z"
 * console.log(jwtExpiryMs("not-a-jwt")); // undefined
 * ```
 */
export function jwtExpiryMs(token: string): number | undefined {
  const parts = token.split(".");
  try {
    // base64url → base64; atob accepts the missing padding.
    const exp = parts.length === 3 &&
      JSON.parse(atob(parts[1].replace(/-/g, "+").replace(/_/g, "/"))).exp;
    if (Number.isFinite(exp)) return exp * 1000;
  } catch { /* not a JWT */ }
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
  /** The cached token and its expiry (ms); only tokens with a known expiry are kept. */
  #cached: [string, number] | undefined;
  #inflight: Promise<string> | undefined;
  /** No background refresh before this time (ms), set after one failed. */
  #retryAt = 0;

  /** Wraps a provider. */
  constructor(provider: TokenProvider, options: TokenCacheOptions = {}) {
    this.#provider = provider;
    this.#margin = options.refreshMarginMs ?? 120_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Returns a valid token. Without one (or in its last seconds) it waits for a refresh (once,
   * shared); a token inside the refresh margin is returned at once while it is refreshed in the
   * background. While a refresh fails, a cached token that has not expired yet is returned.
   * When `signal` aborts first, rejects with its reason (the shared refresh goes on for the other
   * callers; the next `get()` asks the provider again).
   */
  get(signal?: AbortSignal): Promise<string> {
    const cached = this.#cached;
    const now = this.#now();
    if (cached && now < cached[1] - Math.min(this.#margin, 5_000)) {
      // Early refresh, in the background (a hanging provider delays no call), at most every 3 s.
      if (now >= cached[1] - this.#margin && now >= this.#retryAt) this.#refresh().catch(() => {});
      return Promise.resolve(cached[0]);
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    const refresh = this.#refresh();
    const shared = refresh.catch((err) => {
      // A refresh that failed: the cached token still works until it expires.
      const kept = this.#cached;
      if (kept && this.#now() < kept[1]) return kept[0];
      throw err;
    });
    return signal
      ? new Promise((resolve, reject) => {
        shared.then(resolve, reject).finally(onAbort(signal, () => {
          // A provider call that outlived a caller's deadline may never end: the next get()
          // asks the provider again rather than wait on it.
          if (this.#inflight === refresh) this.#inflight = undefined;
          reject(signal.reason);
        }));
      })
      : shared;
  }

  /** The one shared call to the provider (stored by `??=` before it runs, cleared once settled). */
  #refresh(): Promise<string> {
    const call: Promise<string> = this.#inflight ??= this.#fetch().catch((err) => {
      this.#retryAt = this.#now() + 3_000;
      throw err;
    }).finally(() => this.#inflight === call && (this.#inflight = undefined));
    return call;
  }

  /**
   * Forgets the cached token (e.g. after a 401) so the next `get()` asks the provider; given
   * `token`, only while that token is the cached one (not one another call refreshed since).
   */
  invalidate(token?: string): void {
    if (token === undefined || this.#cached?.[0] === token) this.#cached = undefined;
  }

  async #fetch(): Promise<string> {
    const value = await this.#provider();
    const [token, expiry] = typeof value === "string"
      ? [value, jwtExpiryMs(value)]
      : [value?.token, value?.expiresOnTimestamp];
    // Nor a blank one, nor one no header can carry (never cached, so the next call asks again).
    if (typeof token !== "string" || !token.trim() || /[\0\r\n]|[^\0-\xff]/.test(token.trim())) {
      throw new TypeError(
        "tokenProvider must return a non-empty string or { token, expiresOnTimestamp } (no line break, NUL or non-Latin-1 character)",
      );
    }
    // An expiry below 1e11 is before 1973 in ms: it was given in seconds (e.g. `expires_on`).
    this.#cached = Number.isFinite(expiry)
      ? [token, expiry! < 1e11 && this.#now() > 1e11 ? expiry! * 1000 : expiry!]
      : undefined;
    return token;
  }
}
