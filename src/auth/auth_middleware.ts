import { tagBuiltin } from "../middleware/_kind.ts";
import { APIUserAbortError, AuthenticationError } from "../errors/api_error.ts";
import { messageOf } from "../errors/_message_of.ts";
import type { Middleware } from "../middleware/types.ts";
import { TokenCache, type TokenProvider } from "./token_cache.ts";
import { resend, setHeader, snapshot } from "../middleware/_replay.ts";
import type { MiddlewareContext } from "../middleware/types.ts";

/**
 * Auth middleware that sends the `api-key` header. The client installs it for `apiKey`;
 * use it directly only when you build your own stack.
 *
 * @example
 * ```ts
 * import { apiKeyAuth } from "@aoai/edge";
 * const auth = apiKeyAuth("my-key");
 * console.log(typeof auth);
 * ```
 */
export function apiKeyAuth(apiKey: string): Middleware {
  return staticAuth(apiKey, "apiKeyAuth(): apiKey", "api-key", "authorization");
}

/**
 * Auth middleware for Entra ID bearer tokens: a static token, or a provider whose tokens are
 * cached until shortly before expiry. On a 401 the cached token is dropped, a fresh one fetched
 * and the request sent once more (providers only; a static token is not retried).
 *
 * @example With @azure/identity
 * ```ts
 * import { tokenAuth } from "@aoai/edge";
 * // const provider = getBearerTokenProvider(new DefaultAzureCredential(),
 * //   "https://cognitiveservices.azure.com/.default");
 * const auth = tokenAuth(() => Promise.resolve("eyJ..."));
 * console.log(typeof auth);
 * ```
 */
export function tokenAuth(token: string | TokenProvider | TokenCache): Middleware {
  if (typeof token === "string") {
    return staticAuth(token, "tokenAuth(): token", "authorization", "api-key", `Bearer ${token}`);
  }
  const cache = token instanceof TokenCache ? token : new TokenCache(token);
  // The latest few tokens the provider returned (providers rotate them), to scrub from errors.
  const tokens: string[] = [];
  // A provider that fails (e.g. Entra ID unreachable) fails the call with a typed error; an
  // abort (caller or timeout()) while it is pending ends the call at once. A token that cannot
  // go in a header throws TypeError (after it was noted for scrubbing).
  // `when`: what went before (nothing, or a request the service answered 401).
  const fetchToken = (ctx: MiddlewareContext, when = "; nothing was sent") =>
    cache.get(ctx.signal).then((t) => {
      const sent = t.trim();
      if (!tokens.includes(sent) && tokens.push(sent) > 8) tokens.shift();
      return t;
    }, (err) => {
      if (ctx.signal?.aborted) {
        throw new APIUserAbortError(
          `${ctx.operation} was aborted while waiting for the tokenProvider`,
          { cause: err },
        );
      }
      throw new AuthenticationError(
        `${ctx.operation}: the tokenProvider failed (${
          messageOf(err)
        })${when}: check the credential it uses`,
        { cause: err },
      );
    });
  return auth(async function tokenAuth(ctx, next) {
    const first = await fetchToken(ctx);
    // What to send again after a 401 with a fresh token (undefined: a body that cannot be).
    let parts = snapshot(ctx);
    if (parts instanceof Promise) parts = await parts;
    if (parts) resend(ctx, parts);
    setHeader(ctx, "authorization", `Bearer ${first}`, "api-key");
    const response = await next();
    if (response.status !== 401 || !parts) return response;
    // Only `first`: a parallel call may have refreshed it already.
    cache.invalidate(first);
    let fresh: string;
    try {
      fresh = await fetchToken(ctx, " for a 401's retry");
      if (fresh === first) return response;
    } catch (err) {
      // The 401 is not handed on: free its connection.
      response.body?.cancel().catch(() => {});
      throw err;
    }
    await response.body?.cancel();
    resend(ctx, parts);
    setHeader(ctx, "authorization", `Bearer ${fresh}`, "api-key");
    return next();
  }, tokens);
}

const SECRETS = Symbol.for("aoai-edge.auth.secrets");

/** Tags an auth layer with the credentials it sends (a list it may add to). */
function auth(layer: Middleware, secrets: string[]): Middleware {
  (layer as unknown as Record<symbol, string[]>)[SECRETS] = secrets;
  return tagBuiltin(layer, "auth");
}

/** The credentials a built-in auth layer sends (none for other layers): scrubbed from errors. */
export function authSecrets(layer: Middleware): string[] {
  return (layer as unknown as Record<symbol, string[] | undefined>)[SECRETS] ?? [];
}

/** Sends a fixed credential as header `name` (and never `drop`); `value` is checked first. */
function staticAuth(
  value: string,
  what: string,
  name: string,
  drop: string,
  header = value,
): Middleware {
  if (typeof value !== "string" || !value.trim()) {
    throw new TypeError(`${what} must be a non-empty string`);
  }
  // Leading and trailing whitespace (a key file's line break) is not sent: fetch trims it. A
  // credential no header can carry is refused, never quoted.
  if (/[\0\r\n]|[^\0-\xff]/.test(value.trim())) {
    throw new TypeError(
      `${what} holds a line break, NUL or a character beyond Latin-1; pass the credential alone`,
    );
  }
  return auth((ctx, next) => {
    setHeader(ctx, name, header, drop);
    return next();
  }, [value.trim()]);
}
