/**
 * Cloudflare Workers entry point: `export default { fetch(request, env, ctx) }`. Bundle it with
 * `deno bundle --platform=browser edge/worker.ts -o dist/worker.js` and deploy with wrangler
 * (see `edge/templates/wrangler.toml`).
 *
 * Bindings (`env`):
 * - `AZURE_OPENAI_ENDPOINT`, `AZURE_OPENAI_API_KEY` (a secret: `wrangler secret put`), and
 *   optionally `AZURE_OPENAI_API_VERSION`;
 * - or, instead of `AZURE_OPENAI_API_KEY`, Microsoft Entra ID client credentials:
 *   `AZURE_TENANT_ID`, `AZURE_CLIENT_ID` (vars), `AZURE_CLIENT_SECRET` (a secret) and optionally
 *   `AZURE_AUTHORITY_HOST` (see `entraClientCredentials`); or, instead of the secret, a
 *   certificate: `AZURE_CLIENT_CERTIFICATE` (a secret: the PEM text of the private key, PKCS#8,
 *   and the certificate; see `entraClientCertificate`; a Worker has no files, so
 *   `AZURE_CLIENT_CERTIFICATE_PATH` is refused) and optionally `AZURE_CLIENT_CERTIFICATE_ALG`
 *   (`PS256`, the default, or `RS256`); fallback endpoints then take no keys (they are sent the
 *   same token);
 * - optional `AZURE_OPENAI_FALLBACK_ENDPOINTS` (a var) and `AZURE_OPENAI_FALLBACK_API_KEYS` (a
 *   secret): comma-separated resources, one key per endpoint, tried in order when the primary
 *   answers 429 / 5xx or cannot be reached; they use the primary's deployment names unless
 *   `AZURE_OPENAI_FALLBACK_DEPLOYMENTS` (a var) gives theirs: one entry per fallback endpoint,
 *   comma-separated in the same order, each `name=own-name` pairs separated by `;`, or empty for
 *   the same names (e.g. `gpt-4o=gpt-4o-swc;text-embedding-3-small=emb-swc,`);
 * - optional `AOAI_EDGE_UPSTREAM_BALANCE` (`primary-first`, the default, or `round-robin`) and,
 *   with `round-robin`, `AOAI_EDGE_UPSTREAM_WEIGHTS`: one positive whole number per upstream,
 *   comma-separated, the primary's first then each fallback endpoint's (e.g. `3,1`);
 * - optional `AOAI_EDGE_STREAM_IDLE_TIMEOUT_MS`: how long an upstream stream may send nothing
 *   (its first chunk too: with fallbacks, the app awaits it before it relays the headers), in
 *   whole milliseconds (default 600000, 10 minutes); then it ends, or fails over before its
 *   first byte;
 * - `AOAI_EDGE_KEYS`: comma-separated client keys (a secret; required);
 * - `AOAI_CACHE`: a KV namespace for the embeddings cache (optional; without it nothing is
 *   cached, and `AOAI_EDGE_CHAT_CACHE` on is warned about when the app is built). Cache writes
 *   run in `ctx.waitUntil`;
 * - optional `AOAI_EDGE_CACHE_SCOPE`: `app` (default: one cache for every client key) or
 *   `client` (a cache per client key: one key's cached texts are never another's hits);
 * - optional `AOAI_EDGE_DEPLOYMENTS`, `AOAI_EDGE_CORS_ORIGINS`, `AOAI_EDGE_CHAT_CACHE` ("1"),
 *   `AOAI_EDGE_LOG_REQUESTS` ("1": one JSON line per request with `console.log`); these two
 *   take `1`, `true`, `yes` or `on` (any case) and `0`, `false`, `no` or `off`, another value is
 *   a configuration error;
 * - rate limit per client key, either `AOAI_EDGE_RATE_LIMITER`: the name of a Workers Rate
 *   Limiting binding (`[[ratelimits]]` in wrangler.toml; one count for all isolates in a
 *   location) with `AOAI_EDGE_RATE_LIMITER_PERIOD` its period ("10" or "60", default "60", sent
 *   as `retry-after`), or `AOAI_EDGE_RATE_LIMIT_RPM` (counted per isolate). Not both;
 * - optional `AOAI_EDGE_MAX_JSON_BYTES`, `AOAI_EDGE_MAX_MULTIPART_BYTES`: the largest JSON body
 *   and audio upload the app accepts, in whole bytes (defaults 1 MiB and 25 MiB; at most 16 MiB, the body being held several times
 *   in a Worker's 128 MB, and 25 MiB, Azure's own upload limit: more stops the Worker);
 * - `AOAI_EDGE_TOKEN_LIMIT_TPM`: tokens per minute per client key (counted per isolate);
 * - `AOAI_EDGE_TOKEN_QUOTA`: tokens per client key per UTC hour, day, ISO week or calendar month
 *   (e.g. `5000000/month`; 403 once used up). Counted in each isolate's memory on its own, so on
 *   Workers a quota is approximate (a key may use up to the quota in every isolate that serves
 *   it); for one quota, build the app with `createEdgeApp()` and a `tokenQuota.limiter` on a
 *   shared store (a Durable Object, say);
 * - optional `AOAI_EDGE_KEY_DEPLOYMENTS`, `AOAI_EDGE_KEY_RPM`, `AOAI_EDGE_KEY_TPM`,
 *   `AOAI_EDGE_KEY_TOKEN_QUOTA`: per key of `AOAI_EDGE_KEYS`, comma-separated in the same order:
 *   the deployments it may use (`*` for every one, or names separated by `;`); its own requests /
 *   tokens per minute (a number, counted per isolate; `-` for the app's limit, `off` for none);
 *   its own quota (e.g. `1000000/day`, per isolate; `-` for the app's, `off` for none).
 *
 * @module
 */
import { createEdgeApp, type EdgeApp } from "./app.ts";
import { errorResponse, maskEnvValues, misconfiguredMessage } from "./_errors.ts";
import { WorkersKvCache, type WorkersKvNamespace } from "./cache/workers_kv.ts";
import type { EdgeExecutionContext, EdgeRateLimitOptions } from "./options.ts";
import { type WorkersRateLimitBinding, WorkersRateLimiter } from "./rate_limit_workers.ts";
import {
  balanceFromEnv,
  cacheScopeFromEnv,
  certificateExpiryLines,
  clientKeysFromEnv,
  corsOriginsFromEnv,
  entraFromEnv,
  fallbacksFromEnv,
  flagFromEnv,
  keyDeploymentsFromEnv,
  keyLimitsFromEnv,
  keyTokenQuotasFromEnv,
  MAX_JSON_BYTES,
  MAX_MULTIPART_BYTES,
  maxBodyBytesFromEnv,
  primaryProblem,
  rpmFromEnv,
  streamIdleFromEnv,
  tokenQuotaFromEnv,
  tpmFromEnv,
  weightsFromEnv,
} from "./_env.ts";

/** The Worker's bindings. */
export interface WorkerEnv {
  /** Azure OpenAI endpoint, e.g. `https://my-res.openai.azure.com`. */
  AZURE_OPENAI_ENDPOINT?: string;
  /** Azure OpenAI key (set it as a secret). */
  AZURE_OPENAI_API_KEY?: string;
  /** Upstream api-version for `/v1/...` requests (default 2024-10-21). */
  AZURE_OPENAI_API_VERSION?: string;
  /**
   * Microsoft Entra ID directory (tenant) id, a GUID or a domain name: with `AZURE_CLIENT_ID`
   * and `AZURE_CLIENT_SECRET`, and instead of `AZURE_OPENAI_API_KEY`, the Worker authenticates
   * as that service principal (client credentials).
   */
  AZURE_TENANT_ID?: string;
  /** Application (client) id of the service principal's app registration, a GUID. */
  AZURE_CLIENT_ID?: string;
  /** The service principal's client secret value (set it as a secret). */
  AZURE_CLIENT_SECRET?: string;
  /**
   * Instead of `AZURE_CLIENT_SECRET`: the PEM text of the certificate's private key (PKCS#8,
   * `BEGIN PRIVATE KEY`) and the certificate (`BEGIN CERTIFICATE`), as one secret
   * (`wrangler secret put AZURE_CLIENT_CERTIFICATE < client.pem`).
   */
  AZURE_CLIENT_CERTIFICATE?: string;
  /** Refused: a Worker has no files (use `AZURE_CLIENT_CERTIFICATE`). */
  AZURE_CLIENT_CERTIFICATE_PATH?: string;
  /**
   * How the certificate's client assertion is signed: `PS256` (default; RSA-PSS, the SHA-256
   * thumbprint as `x5t#S256`) or `RS256` (PKCS#1 v1.5, the SHA-1 thumbprint as `x5t`).
   */
  AZURE_CLIENT_CERTIFICATE_ALG?: string;
  /** Entra ID authority host (default `https://login.microsoftonline.com`). */
  AZURE_AUTHORITY_HOST?: string;
  /** Comma-separated fallback endpoints, tried in order after the primary. */
  AZURE_OPENAI_FALLBACK_ENDPOINTS?: string;
  /** Their keys, comma-separated, one per endpoint in the same order (set it as a secret). */
  AZURE_OPENAI_FALLBACK_API_KEYS?: string;
  /**
   * Their own deployment names: one entry per fallback endpoint, comma-separated in the same
   * order, each `name=own-name` pairs separated by `;`, or empty for the primary's names.
   */
  AZURE_OPENAI_FALLBACK_DEPLOYMENTS?: string;
  /** Comma-separated client keys (set it as a secret). */
  AOAI_EDGE_KEYS?: string;
  /** Comma-separated deployment allowlist. */
  AOAI_EDGE_DEPLOYMENTS?: string;
  /** Comma-separated CORS origins, or `*`. */
  AOAI_EDGE_CORS_ORIGINS?: string;
  /** `"1"` (or `true`, `yes`, `on`) caches deterministic chat completions. */
  AOAI_EDGE_CHAT_CACHE?: string;
  /**
   * `"app"` (default: one cache for every client key) or `"client"` (a cache per client key: one
   * key's cached texts are never another's hits).
   */
  AOAI_EDGE_CACHE_SCOPE?: string;
  /**
   * `"1"` (or `true`, `yes`, `on`) logs one JSON line per request (the `onRequest` event: route, deployment, status,
   * duration, hashed client id, cache, upstream, usage; no key, prompt or reply) with
   * `console.log`, for Workers Logs or `wrangler tail`.
   */
  AOAI_EDGE_LOG_REQUESTS?: string;
  /** Tokens per minute per client key (per isolate). */
  AOAI_EDGE_TOKEN_LIMIT_TPM?: string;
  /**
   * Token quota per client key and its UTC window, e.g. `5000000/month` or `200000/day` (counted
   * per isolate: approximate).
   */
  AOAI_EDGE_TOKEN_QUOTA?: string;
  /**
   * Per key of `AOAI_EDGE_KEYS` (same order, comma-separated): `*` for every deployment, or the
   * deployments it may use separated by `;`.
   */
  AOAI_EDGE_KEY_DEPLOYMENTS?: string;
  /**
   * Per key of `AOAI_EDGE_KEYS` (same order, comma-separated): its own requests per minute
   * (counted per isolate, also beside `AOAI_EDGE_RATE_LIMITER`), `-` for the app's limit or `off`
   * for none.
   */
  AOAI_EDGE_KEY_RPM?: string;
  /**
   * Per key of `AOAI_EDGE_KEYS` (same order, comma-separated): its own tokens per minute, a whole
   * number (counted per isolate), `-` for the app's budget or `off` for none.
   */
  AOAI_EDGE_KEY_TPM?: string;
  /**
   * Per key of `AOAI_EDGE_KEYS` (same order, comma-separated): its own token quota, e.g.
   * `1000000/day` (counted per isolate), `-` for the app's quota or `off` for none.
   */
  AOAI_EDGE_KEY_TOKEN_QUOTA?: string;
  /**
   * With fallback endpoints: `"round-robin"` spreads requests over every upstream in turn;
   * `"primary-first"` (default) sends them to the primary while it answers.
   */
  AOAI_EDGE_UPSTREAM_BALANCE?: string;
  /**
   * With `AOAI_EDGE_UPSTREAM_BALANCE` `"round-robin"`: one positive whole number per upstream,
   * comma-separated, the primary's first then each fallback endpoint's (e.g. `"3,1"`): each
   * upstream's share of the turns.
   */
  AOAI_EDGE_UPSTREAM_WEIGHTS?: string;
  /**
   * How long an upstream stream may send nothing (before its first chunk too), in whole
   * milliseconds (default `"600000"`, 10 minutes): then it is ended, or failed over before its
   * first byte.
   */
  AOAI_EDGE_STREAM_IDLE_TIMEOUT_MS?: string;
  /** Requests per minute per client key (per isolate). */
  AOAI_EDGE_RATE_LIMIT_RPM?: string;
  /**
   * Largest JSON body the app accepts, in whole bytes (default `"1048576"`, 1 MiB; at most
   * `"16777216"`, 16 MiB).
   */
  AOAI_EDGE_MAX_JSON_BYTES?: string;
  /** Largest audio upload (multipart body) the app accepts, in whole bytes (default and most 25 MiB, Azure's own limit). */
  AOAI_EDGE_MAX_MULTIPART_BYTES?: string;
  /** Name of the Workers Rate Limiting binding that limits each client key (all isolates). */
  AOAI_EDGE_RATE_LIMITER?: string;
  /** That binding's period in seconds, `"10"` or `"60"` (default), sent as `retry-after`. */
  AOAI_EDGE_RATE_LIMITER_PERIOD?: string;
  /** KV namespace for the cache. */
  AOAI_CACHE?: WorkersKvNamespace;
  /** Other bindings, e.g. the Rate Limiting binding `AOAI_EDGE_RATE_LIMITER` names. */
  [binding: string]: unknown;
}

function limiterBinding(env: WorkerEnv): unknown {
  const name = env.AOAI_EDGE_RATE_LIMITER;
  return typeof name === "string" && name.trim() ? env[name.trim()] : undefined;
}

/**
 * `env` with the app's variables (`AZURE_*`, `AOAI_EDGE_*`) as text. Wrangler binds a [vars] value
 * written unquoted (`AOAI_EDGE_RATE_LIMIT_RPM = 120`, `AOAI_EDGE_CHAT_CACHE = true`) as a JSON
 * value: a number or a boolean is read as its text; an array or an object is refused, naming the
 * variable. The binding `AOAI_EDGE_RATE_LIMITER` names is left as it is.
 */
function textEnv(env: WorkerEnv): WorkerEnv {
  const out: WorkerEnv = { ...env };
  const named = env.AOAI_EDGE_RATE_LIMITER;
  const limiter = typeof named === "string" ? named.trim() : undefined;
  for (const [name, value] of Object.entries(env)) {
    if (
      !(name.startsWith("AZURE_") || name.startsWith("AOAI_EDGE_")) || name === limiter ||
      value === undefined || typeof value === "string"
    ) continue;
    if (typeof value !== "number" && typeof value !== "boolean") {
      throw new Error(
        `${name} must be text: in wrangler.toml [vars] write it in quotes (${name} = "…"; lists ` +
          "comma-separated in one string), not as a TOML array or table",
      );
    }
    out[name] = String(value);
  }
  return out;
}

function rateLimitOf(env: WorkerEnv): EdgeRateLimitOptions | undefined {
  const rpm = rpmFromEnv(env.AOAI_EDGE_RATE_LIMIT_RPM);
  const name = env.AOAI_EDGE_RATE_LIMITER?.trim();
  if (!name) return rpm ? { requestsPerMinute: rpm } : undefined;
  if (rpm) {
    throw new Error(
      "set AOAI_EDGE_RATE_LIMITER (a Rate Limiting binding, its limit set in wrangler.toml) or " +
        "AOAI_EDGE_RATE_LIMIT_RPM (counted per isolate), not both",
    );
  }
  const binding = env[name] as WorkersRateLimitBinding | undefined;
  if (typeof binding?.limit !== "function") {
    throw new Error(
      `AOAI_EDGE_RATE_LIMITER names ${JSON.stringify(name)}, but the Worker has no Rate ` +
        `Limiting binding of that name; declare it in wrangler.toml ([[ratelimits]] name = ` +
        `${JSON.stringify(name)})`,
    );
  }
  const period = env.AOAI_EDGE_RATE_LIMITER_PERIOD?.trim() || "60";
  if (period !== "10" && period !== "60") {
    throw new Error(
      `AOAI_EDGE_RATE_LIMITER_PERIOD must be "10" or "60" (the binding's simple.period)`,
    );
  }
  return { limiter: new WorkersRateLimiter(binding, { periodSeconds: period === "10" ? 10 : 60 }) };
}

function list(value: string | undefined): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
}

/**
 * Builds the app from Worker bindings; throws an Error naming the binding to set. With an Entra
 * ID certificate it logs the certificate's expiry date (`console.log`) and, when under 30 days
 * away at `options.now` (default `Date.now`), a warning (`console.warn`); it warns too when
 * `AOAI_EDGE_CHAT_CACHE` is on without an `AOAI_CACHE` binding (nothing is cached).
 *
 * @example Build the app from bindings
 * ```ts
 * import { createWorkerApp } from "./worker.ts";
 * const app = createWorkerApp({
 *   AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
 *   AZURE_OPENAI_API_KEY: "<azure key>",
 *   AOAI_EDGE_KEYS: "a-long-client-key",
 * });
 * console.log((await app.fetch(new Request("https://w.example/health"))).status); // 200
 * ```
 */
export function createWorkerApp(
  env: WorkerEnv,
  options: { now?: () => number } = {},
): EdgeApp {
  env = textEnv(env);
  const endpoint = env.AZURE_OPENAI_ENDPOINT?.trim();
  const apiKey = env.AZURE_OPENAI_API_KEY?.trim();
  const entra = endpoint
    ? entraFromEnv((name) => {
      const value = env[name];
      return typeof value === "string" ? value : undefined;
    }, false)
    : undefined;
  if (!endpoint || !(apiKey || entra)) {
    throw new Error(
      "set AZURE_OPENAI_ENDPOINT (a var) and AZURE_OPENAI_API_KEY (`wrangler secret put " +
        "AZURE_OPENAI_API_KEY`); or, for Microsoft Entra ID instead of a key, " +
        "AZURE_OPENAI_ENDPOINT, AZURE_TENANT_ID and AZURE_CLIENT_ID (vars) and " +
        "AZURE_CLIENT_SECRET (`wrangler secret put AZURE_CLIENT_SECRET`) or, for a certificate " +
        "instead of the secret, AZURE_CLIENT_CERTIFICATE (`wrangler secret put " +
        "AZURE_CLIENT_CERTIFICATE < client.pem`: the private key and the certificate, PEM)",
    );
  }
  const problem = primaryProblem(endpoint, apiKey || undefined);
  if (problem) throw problem;
  const keys = list(env.AOAI_EDGE_KEYS);
  if (keys.length === 0) {
    throw new Error(
      "set AOAI_EDGE_KEYS (`wrangler secret put AOAI_EDGE_KEYS`, comma-separated client keys)",
    );
  }
  const clientKeys = clientKeysFromEnv(keys, {
    deployments: keyDeploymentsFromEnv(env.AOAI_EDGE_KEY_DEPLOYMENTS, keys.length),
    // Counted per isolate, like AOAI_EDGE_RATE_LIMIT_RPM (also beside AOAI_EDGE_RATE_LIMITER,
    // whose binding has one limit for every key).
    rpm: keyLimitsFromEnv(env.AOAI_EDGE_KEY_RPM, keys.length, "rpm"),
    tpm: keyLimitsFromEnv(env.AOAI_EDGE_KEY_TPM, keys.length, "tpm"),
    quota: keyTokenQuotasFromEnv(env.AOAI_EDGE_KEY_TOKEN_QUOTA, keys.length),
  });
  const deployments = list(env.AOAI_EDGE_DEPLOYMENTS);
  const origins = corsOriginsFromEnv(env.AOAI_EDGE_CORS_ORIGINS);
  const rateLimit = rateLimitOf(env);
  const tpm = tpmFromEnv(env.AOAI_EDGE_TOKEN_LIMIT_TPM);
  const tokenQuota = tokenQuotaFromEnv(env.AOAI_EDGE_TOKEN_QUOTA);
  const maxJsonBytes = maxBodyBytesFromEnv(MAX_JSON_BYTES, env.AOAI_EDGE_MAX_JSON_BYTES);
  const maxMultipartBytes = maxBodyBytesFromEnv(
    MAX_MULTIPART_BYTES,
    env.AOAI_EDGE_MAX_MULTIPART_BYTES,
  );
  const cache = env.AOAI_CACHE ? new WorkersKvCache(env.AOAI_CACHE) : undefined;
  const chatCache = flagFromEnv("AOAI_EDGE_CHAT_CACHE", env.AOAI_EDGE_CHAT_CACHE);
  const cacheScope = cacheScopeFromEnv(env.AOAI_EDGE_CACHE_SCOPE);
  const logRequests = flagFromEnv("AOAI_EDGE_LOG_REQUESTS", env.AOAI_EDGE_LOG_REQUESTS);
  const apiVersion = env.AZURE_OPENAI_API_VERSION?.trim() || undefined;
  const fallbacks = fallbacksFromEnv(
    env.AZURE_OPENAI_FALLBACK_ENDPOINTS,
    env.AZURE_OPENAI_FALLBACK_API_KEYS,
    env.AZURE_OPENAI_FALLBACK_DEPLOYMENTS,
    entra !== undefined,
  );
  // One provider for every upstream: they share its token.
  const token = entra ? { tokenProvider: entra.tokenProvider } : {};
  // Every upstream's: with fallbacks a stream's first byte is awaited before the headers go out.
  const streamIdleTimeoutMs = streamIdleFromEnv(env.AOAI_EDGE_STREAM_IDLE_TIMEOUT_MS);
  const primary = { endpoint, ...(entra ? token : { apiKey }), apiVersion, streamIdleTimeoutMs };
  const upstreamBalance = balanceFromEnv(env.AOAI_EDGE_UPSTREAM_BALANCE, fallbacks.length);
  // The certificate's expiry date, and a warning when it is near (logged at each build).
  const { info, warning } = certificateExpiryLines(
    entra?.certificateValidity?.(),
    (options.now ?? Date.now)(),
  );
  const weights = weightsFromEnv(
    env.AOAI_EDGE_UPSTREAM_WEIGHTS,
    fallbacks.length + 1,
    upstreamBalance,
  );
  const app = createEdgeApp({
    upstream: fallbacks.length
      ? [
        primary,
        ...fallbacks.map((f) => ({ ...f, ...token, apiVersion, streamIdleTimeoutMs })),
      ].map((u, i) => weights ? { ...u, weight: weights[i] } : u)
      : primary,
    clientKeys,
    deployments: deployments.length ? deployments : undefined,
    cors: origins.length ? { origins: origins.includes("*") ? "*" : origins } : undefined,
    cache,
    chatCache: cache !== undefined && chatCache,
    cacheScope,
    rateLimit,
    tokenLimit: tpm ? { tokensPerMinute: tpm } : undefined,
    tokenQuota,
    maxJsonBytes,
    maxMultipartBytes,
    upstreamBalance,
    onError: (message) => console.error(`aoai-edge: ${message}`),
    onRequest: logRequests ? (event) => console.log(JSON.stringify(event)) : undefined,
  });
  if (info) console.log(`aoai-edge: ${info}`);
  if (warning) console.warn(`aoai-edge: ${warning}`);
  // Served uncached, as embeddings are without the binding (a cache is no reason to refuse
  // requests); but the operator asked for it, so say why it is off.
  if (chatCache && !cache) {
    console.warn(
      "aoai-edge: warning: AOAI_EDGE_CHAT_CACHE is on, but the Worker has no AOAI_CACHE KV " +
        "binding, so nothing is cached; bind a KV namespace as AOAI_CACHE in wrangler.toml " +
        '([[kv_namespaces]] binding = "AOAI_CACHE") or turn AOAI_EDGE_CHAT_CACHE off',
    );
  }
  return app;
}

let current: { signature: string; kv: unknown; limiter: unknown; app: EdgeApp } | undefined;
/** The last configuration error logged: logged once, not on every request it answers. */
let logged: string | undefined;

function signatureOf(env: WorkerEnv): string {
  return JSON.stringify([
    env.AZURE_OPENAI_ENDPOINT,
    env.AZURE_OPENAI_API_KEY,
    env.AZURE_OPENAI_API_VERSION,
    env.AZURE_TENANT_ID,
    env.AZURE_CLIENT_ID,
    env.AZURE_CLIENT_SECRET,
    env.AZURE_CLIENT_CERTIFICATE,
    env.AZURE_CLIENT_CERTIFICATE_PATH,
    env.AZURE_CLIENT_CERTIFICATE_ALG,
    env.AZURE_AUTHORITY_HOST,
    env.AZURE_OPENAI_FALLBACK_ENDPOINTS,
    env.AZURE_OPENAI_FALLBACK_API_KEYS,
    env.AZURE_OPENAI_FALLBACK_DEPLOYMENTS,
    env.AOAI_EDGE_KEYS,
    env.AOAI_EDGE_DEPLOYMENTS,
    env.AOAI_EDGE_CORS_ORIGINS,
    env.AOAI_EDGE_CHAT_CACHE,
    env.AOAI_EDGE_LOG_REQUESTS,
    env.AOAI_EDGE_RATE_LIMIT_RPM,
    env.AOAI_EDGE_RATE_LIMITER,
    env.AOAI_EDGE_RATE_LIMITER_PERIOD,
    env.AOAI_EDGE_TOKEN_LIMIT_TPM,
    env.AOAI_EDGE_TOKEN_QUOTA,
    env.AOAI_EDGE_UPSTREAM_BALANCE,
    env.AOAI_EDGE_UPSTREAM_WEIGHTS,
    env.AOAI_EDGE_STREAM_IDLE_TIMEOUT_MS,
    env.AOAI_EDGE_KEY_DEPLOYMENTS,
    env.AOAI_EDGE_KEY_RPM,
    env.AOAI_EDGE_KEY_TPM,
    env.AOAI_EDGE_KEY_TOKEN_QUOTA,
    env.AOAI_EDGE_MAX_JSON_BYTES,
    env.AOAI_EDGE_MAX_MULTIPART_BYTES,
    env.AOAI_EDGE_CACHE_SCOPE,
  ]);
}

/**
 * The Worker: builds the app on the first request of an isolate (again if the bindings
 * change) and serves every request through it; a misconfigured Worker answers 500 saying
 * which binding to set, and never forwards anything.
 *
 * @example Re-export it from your own Worker module, then bundle that file
 * ```ts ignore
 * export { default } from "./edge/worker.ts";
 * ```
 */
const worker: {
  fetch(request: Request, env: WorkerEnv, ctx: EdgeExecutionContext): Promise<Response>;
} = {
  async fetch(request: Request, env: WorkerEnv, ctx: EdgeExecutionContext): Promise<Response> {
    const signature = signatureOf(env ?? {});
    const limiter = limiterBinding(env ?? {});
    if (
      current?.signature !== signature || current.kv !== env?.AOAI_CACHE ||
      current.limiter !== limiter
    ) {
      try {
        current = { signature, kv: env?.AOAI_CACHE, limiter, app: createWorkerApp(env ?? {}) };
        logged = undefined;
      } catch (err) {
        current = undefined;
        const message = misconfiguredMessage(err, env ?? {});
        // For the operator, who reads the logs (wrangler tail) rather than the answers.
        if (logged !== signature + message) console.error(`aoai-edge: ${message}`);
        logged = signature + message;
        return errorResponse(500, { code: "EdgeMisconfigured", message });
      }
    }
    try {
      const response = await current.app.fetch(request, env, ctx);
      // The client left (request.signal, with `enable_request_signal`) while the app made its
      // response: its body would fail at the first read (the calls under that signal were
      // aborted), which workerd logs as an uncaught error. No one reads it: cancelled, as a
      // disconnect once it streams cancels it.
      if (!request.signal?.aborted) return response;
      response.body?.cancel(request.signal.reason).catch(() => {});
      return new Response(null, { status: 499 });
    } catch (err) {
      // Thrown outside the app's router (which answers its own): a JSON 500, not workerd's page.
      console.error(
        `aoai-edge: edge app error: ${
          maskEnvValues(err instanceof Error ? err.message : String(err), env ?? {}, true)
        }`,
      );
      return errorResponse(500, {
        code: "EdgeError",
        message: "The edge app failed to handle this request; see the server log.",
      });
    }
  },
};

export default worker;
