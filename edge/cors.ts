/**
 * CORS for the edge app: an allowlist of origins (or `"*"`), preflight answers, and the
 * headers browsers need to read streamed replies and cache/rate-limit headers.
 *
 * @module
 */

/**
 * CORS settings of the edge app.
 *
 * @example Let one web app call the edge app, and check its preflight
 * ```ts
 * import { type CorsOptions, createEdgeApp } from "@aoai/edge/edge";
 * const cors: CorsOptions = { origins: ["https://app.example.com"], maxAgeSeconds: 3600 };
 * const app = createEdgeApp({
 *   upstream: { endpoint: "https://my-res.openai.azure.com", apiKey: "<azure key>" },
 *   clientKeys: ["a-long-client-key"],
 *   cors,
 * });
 * const preflight = await app.fetch(new Request("https://edge.example/openai/v1/embeddings", {
 *   method: "OPTIONS",
 *   headers: { origin: "https://app.example.com", "access-control-request-method": "POST" },
 * }));
 * console.log(preflight.status); // 204
 * console.log(preflight.headers.get("access-control-allow-origin")); // https://app.example.com
 * ```
 */
export interface CorsOptions {
  /**
   * Allowed origins, e.g. `["https://app.example.com"]`, or `"*"` for any origin; an entry with
   * a wildcard (`https://*.example.com`) is refused, as no browser sends one.
   */
  origins: readonly string[] | "*";
  /** How long browsers may cache a preflight answer, in seconds (default 600). */
  maxAgeSeconds?: number;
}

const ALLOW_HEADERS = "api-key, authorization, content-type, x-ms-client-request-id, " +
  "x-stainless-arch, x-stainless-lang, x-stainless-os, x-stainless-package-version, " +
  "x-stainless-retry-count, x-stainless-runtime, x-stainless-runtime-version, " +
  "x-stainless-timeout, openai-beta";
// Every header the app relays that is not CORS-safelisted: a browser SDK reads the limits and
// waits to pace itself, the request ids to report a failure, and a 405's `allow`.
const EXPOSE_HEADERS = "x-aoai-cache, x-aoai-upstream, retry-after, retry-after-ms, " +
  "x-ms-retry-after-ms, apim-request-id, x-request-id, x-ratelimit-remaining-requests, " +
  "x-ratelimit-remaining-tokens, x-ratelimit-limit-requests, x-ratelimit-limit-tokens, " +
  "x-ratelimit-reset-requests, x-ratelimit-reset-tokens, operation-location, x-ms-region, " +
  "x-ms-client-request-id, openai-processing-ms, allow";

/**
 * The form browsers send in `Origin` (lower-case scheme and host, no default port), so that
 * `https://App.example:443/` matches; throws a TypeError for an entry that is not an origin,
 * naming it as `label` says (by default `cors.origins[index]` and its text; an entry of an
 * environment variable by the variable and its entry number, its text not shown).
 */
export function normaliseOrigin(
  origin: string,
  index: number,
  label = `createEdgeApp: cors.origins[${index}] ${JSON.stringify(origin)}`,
): string {
  const bad = () =>
    new TypeError(
      `${label} is not an origin; write ` +
        'scheme and host (and port), e.g. "https://app.example" or "http://localhost:5173"',
    );
  const trimmed = origin.trim();
  // Browsers send one origin, never a pattern: such an entry would match nothing, unnoticed.
  if (trimmed.includes("*")) {
    throw new TypeError(
      `${label} holds a wildcard, which is ` +
        'not matched; list each origin, e.g. "https://app.example", or pass origins: "*" for any',
    );
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) throw bad();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw bad();
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return trimmed.replace(/\/+$/, ""); // e.g. chrome-extension://id: compared as written
  }
  if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) throw bad();
  return url.origin;
}

/**
 * Decides CORS for one request. `headersFor(request)` gives the headers to add to a response
 * (with an allowlist, only `vary` when the origin is not allowed or there is none; with `"*"`,
 * the same headers with or without an `Origin`); `preflight(request)` answers an
 * `OPTIONS` preflight, or returns null for other requests.
 *
 * @example Allow one origin
 * ```ts
 * import { createCors } from "@aoai/edge/edge";
 * const cors = createCors({ origins: ["https://a.example"] });
 * const req = new Request("http://x/v1/embeddings", { headers: { origin: "https://a.example" } });
 * console.log(cors.headersFor(req)["access-control-allow-origin"]); // https://a.example
 * ```
 */
export function createCors(options: CorsOptions | undefined): {
  headersFor(request: Request): Record<string, string>;
  preflight(request: Request): Response | null;
} {
  const origins = options?.origins;
  if (
    origins !== undefined && origins !== "*" &&
    (!Array.isArray(origins) || origins.some((o) => typeof o !== "string"))
  ) {
    throw new TypeError(
      'createEdgeApp: cors.origins must be "*" or an array of origins like "https://app.example"',
    );
  }
  const allowed = new Set(
    Array.isArray(origins) ? origins.map((origin, i) => normaliseOrigin(origin, i)) : [],
  );
  const maxAgeSeconds = options?.maxAgeSeconds ?? 600;
  // Sent as `access-control-max-age`: "1.5", "-1" or "Infinity" there is no delta-seconds.
  if (!Number.isSafeInteger(maxAgeSeconds) || maxAgeSeconds < 0) {
    throw new TypeError("createEdgeApp: cors.maxAgeSeconds must be a whole number of seconds ≥ 0");
  }
  const maxAge = String(maxAgeSeconds);
  // With an allowlist the answer depends on Origin, whether or not this one is allowed: caches
  // must not hand a response made for one origin (or none) to another.
  const vary: Record<string, string> = Array.isArray(origins) ? { vary: "origin" } : {};
  const allowOrigin = (request: Request): string | null => {
    // Any origin: every answer says so, with an Origin or without, so one cached from a plain
    // request (a navigation) still serves a later CORS read of the same URL.
    if (origins === "*") return "*";
    const origin = request.headers.get("origin");
    return origin !== null && allowed.has(origin) ? origin : null;
  };
  return {
    headersFor(request: Request): Record<string, string> {
      const origin = allowOrigin(request);
      if (origin === null) return { ...vary };
      return {
        "access-control-allow-origin": origin,
        "access-control-expose-headers": EXPOSE_HEADERS,
        ...vary,
      };
    },
    preflight(request: Request): Response | null {
      if (request.method !== "OPTIONS") return null;
      const origin = allowOrigin(request);
      if (origin === null) return new Response(null, { status: 204, headers: vary });
      const requested = request.headers.get("access-control-request-headers");
      return new Response(null, {
        status: 204,
        headers: {
          "access-control-allow-origin": origin,
          "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
          "access-control-allow-headers": requested ?? ALLOW_HEADERS,
          "access-control-max-age": maxAge,
          // The allowed headers echo the request's: a cache must not reuse them for another.
          vary: origin === "*"
            ? "access-control-request-headers"
            : "origin, access-control-request-headers",
        },
      });
    },
  };
}
