/**
 * Options of {@link createEdgeApp} and their normalisation (validated once, errors say what to
 * fix).
 *
 * @module
 */
import { AzureOpenAI } from "../src/client.ts";
import type { CacheStore } from "../src/cache/types.ts";
import type { AzureOpenAIOptions } from "../src/options.ts";
import { redactSecrets } from "../src/errors/redact.ts";
import type { CorsOptions } from "./cors.ts";
import type { PlaygroundOptions } from "./playground.ts";
import { ClientRateLimiter, type RateLimiter } from "./rate_limit.ts";
import { checkTokensPerMinute, ClientTokenLimiter, type TokenLimiter } from "./token_limit.ts";
import {
  checkTokenQuota,
  ClientTokenQuota,
  type TokenQuotaLimiter,
  type TokenQuotaPeriod,
} from "./token_quota.ts";
import {
  cycleLength,
  MAX_CYCLE,
  type UpstreamBalance,
  type UpstreamInit,
  Upstreams,
} from "./_upstreams.ts";

/**
 * The part of a Workers `ExecutionContext` the app uses: keeps cache writes alive.
 *
 * @example Collect the work the app hands to `waitUntil`, and wait for it
 * ```ts
 * import { createEdgeApp, type EdgeExecutionContext } from "@aoai/edge/edge";
 * const pending: Promise<unknown>[] = [];
 * const ctx: EdgeExecutionContext = { waitUntil: (promise) => void pending.push(promise) };
 * const app = createEdgeApp({
 *   upstream: { endpoint: "https://my-res.openai.azure.com", apiKey: "<azure key>" },
 *   clientKeys: ["a-long-client-key"],
 *   onRequest: (event) => console.log(event.route, event.status), // health 200
 * });
 * await (await app.fetch(new Request("https://edge.example/health"), undefined, ctx)).text();
 * await Promise.all(pending);
 * ```
 */
export interface EdgeExecutionContext {
  /** Extends the request's lifetime until `promise` settles. */
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * Options of opt-in chat completion caching.
 *
 * @example Answer a repeated temperature-0 chat from the cache
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { type ChatCacheOptions, createEdgeApp, MemoryCache } from "@aoai/edge/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // stands in for the Azure OpenAI resource
 * const chatCache: ChatCacheOptions = { ttlSeconds: 600 };
 * const app = createEdgeApp({
 *   upstream: { endpoint: "http://emulator.local", apiKey: emulator.apiKey, fetch: emulator.fetch },
 *   clientKeys: ["a-long-client-key"],
 *   cache: new MemoryCache(),
 *   chatCache,
 * });
 * const client = new AzureOpenAI({
 *   endpoint: "https://edge.example",
 *   apiKey: "a-long-client-key",
 *   fetch: (input, init) => app.fetch(new Request(input, init)),
 * });
 * const ask = () =>
 *   client.chat.completions
 *     .create({ model: "gpt-4o", temperature: 0, messages: [{ role: "user", content: "hi" }] })
 *     .withResponse();
 * console.log((await ask()).response.headers.get("x-aoai-cache")); // miss
 * console.log((await ask()).response.headers.get("x-aoai-cache")); // hit
 * ```
 */
export interface ChatCacheOptions {
  /** Seconds a cached completion lives (default 3600). */
  ttlSeconds?: number;
}

/**
 * The per-client-key rate limit: set exactly one of `requestsPerMinute` (counted in this
 * isolate's memory) or `limiter` (e.g. a `DenoKvRateLimiter` or `WorkersRateLimiter`, which
 * count across isolates).
 *
 * @example A custom limiter: refused requests get 429 with `retry-after`
 * ```ts
 * import { createEdgeApp, type EdgeRateLimitOptions } from "@aoai/edge/edge";
 * const rateLimit: EdgeRateLimitOptions = {
 *   limiter: { take: () => ({ ok: false, retryAfterSeconds: 30 }) }, // refuses everyone
 *   timeoutMs: 500,
 * };
 * const app = createEdgeApp({
 *   upstream: { endpoint: "https://my-res.openai.azure.com", apiKey: "<azure key>" },
 *   clientKeys: ["a-long-client-key"],
 *   rateLimit,
 * });
 * const res = await app.fetch(new Request("https://edge.example/openai/v1/embeddings", {
 *   method: "POST",
 *   headers: { "api-key": "a-long-client-key", "content-type": "application/json" },
 *   body: JSON.stringify({ model: "text-embedding-3-small", input: "hello" }),
 * }));
 * console.log(res.status, res.headers.get("retry-after")); // 429 30
 * await res.body?.cancel();
 * ```
 */
export interface EdgeRateLimitOptions {
  /** Requests per minute per client key, counted in this isolate's memory (a token bucket). */
  requestsPerMinute?: number;
  /**
   * The limiter to ask on every request, with a stable hash of the matched key as client id
   * (`clientIdOf(key)`: never the key, nor its position in `clientKeys`). A limiter that fails lets the request through and is reported through `onError`.
   */
  limiter?: RateLimiter;
  /**
   * How long a request waits for the limiter's answer, in ms (default 1 000); past it the request
   * goes through and `onError` reports it, as for a failing limiter.
   */
  timeoutMs?: number;
}

/**
 * The per-client-key token budget: set exactly one of `tokensPerMinute` (counted in this isolate's
 * memory) or `limiter` (e.g. a `DenoKvTokenLimiter`, one budget across isolates). A request is let
 * through while its client's budget is not used up and charged afterwards with what it used: the
 * reply's `usage.total_tokens` (nothing for a full cache hit or an error). A streamed chat whose
 * client did not ask for usage is sent asking for it (api-versions `v1` and from 2024-08 on; on the
 * `/v1/` routes, when every upstream's takes it), and the usage event is taken out of what the
 * client gets. A stream that carried no usage all the same (an older api-version, or cancelled
 * before it) is charged an estimate over the request's JSON and the streamed text: 4 characters a
 * token of Latin text (U+0000 to U+024F, OpenAI's rule of thumb for English), a whole token for any
 * other character (CJK takes a token a character or more; a few scripts, such as Cyrillic, are
 * counted over rather than any under). A request whose client goes away before the upstream
 * answered (its upstream call is then aborted) is charged the estimate of its prompt below.
 *
 * Requests in flight: from its check until it is charged, each request holds an estimate of its
 * prompt against its client's budget in this isolate (4 bytes a token of the body's declared
 * `content-length`; while a limiter whose `charge()` returns a promise writes the charge, the
 * tokens charged), and a request is let through only while the budget less what this isolate holds
 * is positive (with a limiter whose `check()` reports `remaining`, as both built-in ones do). A
 * body that declares no length holds nothing until read: then its JSON's estimate above is held (a
 * stream's too) and it is checked again against what the others hold by then (refused with the same
 * 429 when they use up what its check left, plus what refilled since; `rateLimit`, asked before,
 * has counted it). Concurrent requests of one isolate then overrun the budget by at most their
 * completions (and the estimates' error) plus one request's prompt. Completions are not held: their
 * size is not known before the reply (`max_tokens` is a cap, not an estimate), as Azure API
 * Management's token limit also only estimates prompt tokens ahead. Requests in flight in other
 * isolates count only once charged.
 *
 * @example 20 000 tokens a minute per client key
 * ```ts
 * import { createEdgeApp, type EdgeTokenLimitOptions } from "@aoai/edge/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator();
 * const tokenLimit: EdgeTokenLimitOptions = { tokensPerMinute: 20_000 };
 * const app = createEdgeApp({
 *   upstream: { endpoint: "http://emulator.local", apiKey: emulator.apiKey, fetch: emulator.fetch },
 *   clientKeys: ["a-long-client-key"],
 *   tokenLimit,
 * });
 * const res = await app.fetch(new Request("https://edge.example/openai/v1/embeddings", {
 *   method: "POST",
 *   headers: { "api-key": "a-long-client-key", "content-type": "application/json" },
 *   body: JSON.stringify({ model: "text-embedding-3-small", input: "hello" }),
 * }));
 * console.log(res.status, (await res.json()).usage.total_tokens); // 200 1
 * ```
 */
export interface EdgeTokenLimitOptions {
  /** Tokens per minute per client key, counted in this isolate's memory (refilled evenly). */
  tokensPerMinute?: number;
  /**
   * The budget to ask on every chat, completions and embeddings request and token-billed
   * (gpt-4o-transcribe) transcription and to charge after it, with a stable hash of the matched
   * key as client id (`clientIdOf(key)`). A limiter that fails lets the request through; a failed
   * check or charge is reported through `onError`.
   */
  limiter?: TokenLimiter;
  /**
   * How long a request waits for the limiter's `check()`, and a delivery for its `charge()`, in ms
   * (default 1 000); past it the request goes through, or the charge is given up, and `onError`
   * reports it.
   */
  timeoutMs?: number;
}

/**
 * The per-client-key token quota: `tokens` a key may use per window of `period`, as Azure API
 * Management's `token-quota` / `token-quota-period`, to cap what each key spends. Windows are
 * fixed and aligned to UTC (on the app's `now`): the hour; the day from 00:00 UTC; the ISO week
 * from Monday 00:00 UTC; the calendar month from the 1st 00:00 UTC.
 *
 * Requests are checked and charged as for `tokenLimit` (see {@link EdgeTokenLimitOptions}): only
 * chat, completions, embeddings and token-billed (gpt-4o-transcribe) transcriptions; checked
 * before anything goes upstream, with the same estimates of the prompts of the key's requests in
 * flight in this isolate counted as spent (a key with a little quota left cannot send many
 * requests at once past it); charged afterwards with the reply's `usage.total_tokens`, or the
 * same estimates for a stream without usage and a request whose client went away. A request goes through while its key has tokens left, so the last one
 * can overrun the quota by its completion.
 *
 * A key whose quota is used up gets 403 (code `TokenQuotaExceeded`, as API Management answers an
 * exceeded quota: SDKs do not retry a 403, where they would retry a 429 over and over until the
 * window ends) with a message giving the time (ISO 8601, UTC) the quota resets, and no
 * `retry-after`. A key that has tokens left but whose own requests in flight hold them gets 429
 * with `retry-after: 1` instead: it goes through once they are charged (often less than held),
 * unless they use the quota up. `onRequest` events of requests refused for the quota have
 * `error: "TokenQuotaExceeded"`.
 *
 * Stores: by default a {@link ClientTokenQuota} in this isolate's memory (each isolate counts on
 * its own: on Workers a quota is then approximate, up to the quota per isolate); pass `limiter`
 * for one quota across isolates: a `DenoKvTokenQuota` (Deno Deploy; what `serveEdge` uses), or
 * your own {@link TokenQuotaLimiter} on a shared store (e.g. a Durable Object on Workers). A store
 * that fails, or does not answer within `timeoutMs`, lets the request through and is reported
 * through `onError` (fail open), like the token limit.
 *
 * @example 1 million tokens a day per client key
 * ```ts
 * import { createEdgeApp, type EdgeTokenQuotaOptions } from "@aoai/edge/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator();
 * const tokenQuota: EdgeTokenQuotaOptions = { tokens: 1_000_000, period: "day" };
 * const app = createEdgeApp({
 *   upstream: { endpoint: "http://emulator.local", apiKey: emulator.apiKey, fetch: emulator.fetch },
 *   clientKeys: ["a-long-client-key", { key: "a-key-with-a-small-quota", tokenQuota: { tokens: 1, period: "month" } }],
 *   tokenQuota,
 * });
 * const pending: Promise<unknown>[] = []; // the charges, made once each reply was read
 * const embed = (key: string) =>
 *   app.fetch(
 *     new Request("https://edge.example/openai/v1/embeddings", {
 *       method: "POST",
 *       headers: { "api-key": key, "content-type": "application/json" },
 *       body: JSON.stringify({ model: "text-embedding-3-small", input: "hello" }),
 *     }),
 *     undefined,
 *     { waitUntil: (promise) => void pending.push(promise) },
 *   );
 * const first = await embed("a-key-with-a-small-quota");
 * console.log(first.status, (await first.json()).usage.total_tokens); // 200 1
 * await Promise.all(pending);
 * const refused = await embed("a-key-with-a-small-quota");
 * console.log(refused.status, (await refused.json()).error.code); // 403 TokenQuotaExceeded
 * ```
 */
export interface EdgeTokenQuotaOptions {
  /** Tokens per client key per window (a whole number of at least 1). */
  tokens: number;
  /** The window: `"hour"`, `"day"`, `"week"` (ISO, from Monday) or `"month"`, aligned to UTC. */
  period: TokenQuotaPeriod;
  /**
   * The store to ask and charge instead of this isolate's memory (`tokens` and `period` then only
   * describe it: the store keeps its own count), with a stable hash of the matched key as client
   * id (`clientIdOf(key)`).
   */
  limiter?: TokenQuotaLimiter;
  /**
   * How long a request waits for the store's `check()`, and a delivery for its `charge()`, in ms
   * (default 1 000); past it the request goes through, or the charge is given up, and `onError`
   * reports it.
   */
  timeoutMs?: number;
}

/**
 * The kind of route a request went to: the operation for the API routes (`audio` for speech,
 * transcriptions and translations; `images` for DALL-E 3 and the DALL-E 2 operations), else
 * `health`, `playground` or `other` (unknown paths, OPTIONS of them).
 *
 * @example Count requests per route
 * ```ts
 * import { createEdgeApp, type EdgeRequestRoute } from "@aoai/edge/edge";
 * const counts = new Map<EdgeRequestRoute, number>();
 * const pending: Promise<unknown>[] = [];
 * const app = createEdgeApp({
 *   upstream: { endpoint: "https://my-res.openai.azure.com", apiKey: "<azure key>" },
 *   clientKeys: ["a-long-client-key"],
 *   onRequest: ({ route }) => void counts.set(route, (counts.get(route) ?? 0) + 1),
 * });
 * for (const path of ["/health", "/health", "/"]) {
 *   const res = await app.fetch(new Request("https://edge.example" + path), undefined, {
 *     waitUntil: (promise) => void pending.push(promise),
 *   });
 *   await res.text();
 * }
 * await Promise.all(pending);
 * console.log(counts); // Map(2) { "health" => 2, "playground" => 1 }
 * ```
 */
export type EdgeRequestRoute =
  | "chat"
  | "completions"
  | "embeddings"
  | "images"
  | "audio"
  | "health"
  | "playground"
  | "other";

/**
 * Token counts of one request, as the upstream or the cache reported them.
 *
 * @example Price a request from its usage
 * ```ts
 * import type { EdgeRequestUsage } from "@aoai/edge/edge";
 * const usage: EdgeRequestUsage = { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29 };
 * // USD per 1M tokens: 2.50 input, 10.00 output
 * const cost = (usage.prompt_tokens * 2.5 + (usage.completion_tokens ?? 0) * 10) / 1e6;
 * console.log(cost.toFixed(6)); // 0.000148
 * ```
 */
export interface EdgeRequestUsage {
  /** Tokens of the prompt or input. */
  prompt_tokens: number;
  /** Tokens of the reply (none for embeddings). */
  completion_tokens?: number;
  /** Prompt and reply tokens together. */
  total_tokens: number;
}

/**
 * One request the app answered, for cost tracking and access logs: plain data, never a key,
 * token, prompt, input or reply text (see `EdgeAppOptions.onRequest`).
 *
 * @example Log one line per request
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEdgeApp, type EdgeRequestEvent } from "@aoai/edge/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // stands in for the Azure OpenAI resource
 * // Prints "POST chat gpt-4o 200 11" once the reply was sent
 * const log = (e: EdgeRequestEvent) =>
 *   console.log(e.method, e.route, e.deployment, e.status, e.usage?.total_tokens);
 * const app = createEdgeApp({
 *   upstream: { endpoint: "http://emulator.local", apiKey: emulator.apiKey, fetch: emulator.fetch },
 *   clientKeys: ["a-long-client-key"],
 *   onRequest: log,
 * });
 * const pending: Promise<unknown>[] = [];
 * const client = new AzureOpenAI({
 *   endpoint: "https://edge.example",
 *   apiKey: "a-long-client-key",
 *   fetch: (input, init) =>
 *     app.fetch(new Request(input, init), undefined, { waitUntil: (p) => void pending.push(p) }),
 * });
 * await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
 * await Promise.all(pending);
 * ```
 */
export interface EdgeRequestEvent {
  /** When the request arrived (ISO 8601, from the `now` clock). */
  time: string;
  /** HTTP method. */
  method: string;
  /** What kind of request it was (the app's route). */
  route: EdgeRequestRoute;
  /**
   * The deployment the request was sent to, once it passed validation (none when the upstream
   * answered 404: a name it does not know is the client's text, not a deployment; none when the
   * name holds a client key). It is the app's name (after `models` / `deployments`), also when a
   * fallback with `deploymentNames` answered under its own name.
   */
  deployment?: string;
  /** HTTP status the client got. */
  status: number;
  /** From the request's arrival until its response body ended (or was cancelled), in ms. */
  durationMs: number;
  /**
   * From the request's arrival until the first byte of the response body went to the client, in
   * ms: for a stream, the time to its first event (the first token, or an Azure
   * `prompt_filter_results` event before it). None for an answer without a body, or whose client
   * got none of it.
   */
  firstByteMs?: number;
  /** `clientIdOf(key)` of the client key that matched: a hash, never the key. */
  client?: string;
  /** The `name` of the client key that matched, when it was given one ({@link EdgeClientKey}). */
  clientName?: string;
  /** `x-aoai-cache` of the answer, when the app's cache answered or was consulted. */
  cache?: "hit" | "miss" | "partial";
  /** Index of the upstream that answered (`x-aoai-upstream`; none on a cache hit). */
  upstream?: number;
  /** True when the client asked for a stream (`stream: true`). */
  stream: boolean;
  /**
   * Usage as the client got it: the `usage` of a JSON reply, or of the SSE chunk that carries it
   * (`stream_options: { include_usage: true }`; under a token limit, also the usage the app asked
   * for in a chat stream and took out of it); 0 on a full cache hit.
   */
  usage?: EdgeRequestUsage;
  /**
   * A short code, never a message: the `error.code` of an error answer (`"401"`, `"429"`,
   * `"DeploymentNotFound"`, ...; the status when the body names none), `"ClientClosedRequest"`
   * when the client cancelled the body (not an event stream it stopped at `[DONE]`, as this
   * package's client does: that was read whole), `"UpstreamStreamError"` when the upstream body
   * broke.
   */
  error?: string;
}

/**
 * An upstream given by its client options, plus the names its resource gives the deployments:
 * `deploymentNames` maps the deployment name the app resolved (after `models` / `deployments`)
 * to this resource's own (e.g. `{ "gpt-4o": "gpt-4o-swc" }`); names not in it are sent as they
 * are. The upstream gets its own name in the URL, or in the JSON or form `model` on the v1 API.
 * Cache keys, `onRequest` events and client-facing names stay the app's. Give upstreams a
 * `streamIdleTimeoutMs`: with another upstream left, a stream's first byte is awaited before
 * anything is relayed, and without one an upstream that answers 200 and then sends nothing holds
 * the client with no limit (the entry points give theirs `AOAI_EDGE_STREAM_IDLE_TIMEOUT_MS`,
 * default 600000).
 *
 * @example A fallback in another region whose deployment has another name
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEdgeApp, type EdgeUpstreamOptions } from "@aoai/edge/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const primary = createEmulator(); // has a "gpt-4o" deployment
 * const sweden = createEmulator({ deployments: [{ name: "gpt-4o-swc", model: "gpt-4o" }] });
 * const fallback: EdgeUpstreamOptions = {
 *   endpoint: "http://sweden.local",
 *   apiKey: sweden.apiKey,
 *   fetch: sweden.fetch,
 *   deploymentNames: { "gpt-4o": "gpt-4o-swc" },
 * };
 * const app = createEdgeApp({
 *   upstream: [
 *     { endpoint: "http://primary.local", apiKey: primary.apiKey, fetch: primary.fetch },
 *     fallback,
 *   ],
 *   clientKeys: ["a-long-client-key"],
 * });
 * primary.failNext(1, 503); // the primary is in trouble for one request
 * const client = new AzureOpenAI({
 *   endpoint: "https://edge.example",
 *   apiKey: "a-long-client-key",
 *   fetch: (input, init) => app.fetch(new Request(input, init)),
 * });
 * const { response } = await client.chat.completions
 *   .create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
 *   .withResponse();
 * console.log(response.headers.get("x-aoai-upstream")); // "1": gpt-4o-swc answered
 * ```
 */
export interface EdgeUpstreamOptions extends AzureOpenAIOptions {
  /**
   * The app's deployment name → this resource's name for it. Keys and values are non-empty
   * deployment names; a name not listed is sent unchanged.
   */
  deploymentNames?: Readonly<Record<string, string>>;
  /**
   * With `upstreamBalance: "round-robin"`: this upstream's share of the turns, a positive whole
   * number (default 1), e.g. 3 for a resource with 300K TPM beside one of 100K with weight 1. See
   * {@link EdgeAppOptions.upstreamBalance}; refused with `"primary-first"`, where it would do
   * nothing.
   */
  weight?: number;
}

/**
 * A ready {@link AzureOpenAI} client as an upstream, with the names its resource gives the
 * deployments (see {@link EdgeUpstreamOptions.deploymentNames}).
 *
 * @example A ready client whose resource names the embeddings deployment differently
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEdgeApp, type EdgeUpstreamClient } from "@aoai/edge/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const primary = createEmulator();
 * const second = createEmulator({
 *   deployments: [{ name: "emb-small-2", model: "text-embedding-3-small" }],
 * });
 * const fallback: EdgeUpstreamClient = {
 *   client: new AzureOpenAI({
 *     endpoint: "http://second.local",
 *     apiKey: second.apiKey,
 *     fetch: second.fetch,
 *   }),
 *   deploymentNames: { "text-embedding-3-small": "emb-small-2" },
 * };
 * const app = createEdgeApp({
 *   upstream: [
 *     { endpoint: "http://primary.local", apiKey: primary.apiKey, fetch: primary.fetch },
 *     fallback,
 *   ],
 *   clientKeys: ["a-long-client-key"],
 * });
 * primary.failNext(1, 429);
 * const res = await app.fetch(new Request("https://edge.example/openai/v1/embeddings", {
 *   method: "POST",
 *   headers: { "api-key": "a-long-client-key", "content-type": "application/json" },
 *   body: JSON.stringify({ model: "text-embedding-3-small", input: "hello" }),
 * }));
 * console.log(res.status, res.headers.get("x-aoai-upstream")); // 200 "1"
 * await res.body?.cancel();
 * ```
 */
export interface EdgeUpstreamClient {
  /** The upstream's client. */
  client: AzureOpenAI;
  /** The app's deployment name → this resource's name for it (names not listed: unchanged). */
  deploymentNames?: Readonly<Record<string, string>>;
  /**
   * With `upstreamBalance: "round-robin"`: this upstream's share of the turns, a positive whole
   * number (default 1); see {@link EdgeUpstreamOptions.weight}.
   */
  weight?: number;
}

/**
 * Options of {@link createEdgeApp}.
 *
 * @example Only some deployments, under the model names clients know
 * ```ts
 * import { createEdgeApp, type EdgeAppOptions } from "@aoai/edge/edge";
 * const options: EdgeAppOptions = {
 *   upstream: { endpoint: "https://my-res.openai.azure.com", apiKey: "<azure key>" },
 *   clientKeys: ["a-long-client-key"],
 *   models: { "gpt-4o": "prod-gpt4o" }, // other names get 404
 *   maxJsonBytes: 256 * 1024,
 *   playground: false,
 *   onError: (message) => console.error(message),
 * };
 * const app = createEdgeApp(options);
 * const res = await app.fetch(new Request("https://edge.example/openai/v1/chat/completions", {
 *   method: "POST",
 *   headers: { "api-key": "a-long-client-key", "content-type": "application/json" },
 *   body: JSON.stringify({ model: "gpt-35-turbo", messages: [{ role: "user", content: "hi" }] }),
 * }));
 * console.log(res.status, (await res.json()).error.code); // 404 DeploymentNotFound
 * ```
 */
export interface EdgeAppOptions {
  /**
   * The Azure OpenAI upstream: a ready {@link AzureOpenAI} client, or its options. The upstream
   * key stays on the server; clients authenticate with `clientKeys`.
   *
   * An array (primary first) of resources gives failover: a request answered 401 (the app's
   * credential refused there), 429, 500, 502, 503 or 504, that cannot reach its upstream or
   * times out, or whose sign-in to it fails (its `tokenProvider`), goes to the next one before
   * anything is relayed; the last one's answer is the client's. An
   * upstream that answered 429 for a deployment cools down for it until its `retry-after` passes
   * (at most 60 s); one that could not be reached, timed out, answered 401 or failed the sign-in
   * cools down for every deployment for 5 s (in this isolate's memory). Upstreams cooling down
   * are tried after the others, as a last resort (the soonest cooldown end first), once per
   * cooldown: one that answers is no
   * longer cooling down, one that fails again is not contacted before its new cooldown ends.
   * When every upstream cools down and had that try, the app answers 429
   * (`UpstreamsCoolingDown`) itself, with `retry-after` / `retry-after-ms` set to the soonest
   * cooldown end (cache hits are still served); when each cools down for the app's credential, it
   * answers their 401 `UpstreamAuthenticationFailed` (or 502 `UpstreamSignInFailed`) instead,
   * which no wait mends. The DALL-E 2 image operations stay on the
   * primary (an operation id belongs to the resource that made it). All upstreams must be on
   * the v1 API, or all on dated api-versions.
   *
   * Resources that name a deployment differently: give such an upstream as its options with
   * `deploymentNames` ({@link EdgeUpstreamOptions}) or as `{ client, deploymentNames }`
   * ({@link EdgeUpstreamClient}), mapping the name the app resolved (after `models` /
   * `deployments`) to the resource's own, e.g. `{ "gpt-4o": "gpt-4o-swc" }`; names not in the
   * map are sent unchanged. That upstream is sent its own name (in the URL; in the JSON or form
   * `model` on the v1 API) and keeps its 429 cooldowns under it: a 429 is about the resource's
   * quota for its own deployment, so app names mapped to one deployment cool down together there.
   * Cache keys are the primary's (its endpoint and its name of the deployment) whichever upstream
   * answered, and `onRequest` events name the app's deployment. A map is checked when the app is
   * created (`createEdgeApp: upstream[1].deploymentNames["gpt-4o"] must be ...`).
   *
   * With `upstreamBalance: "round-robin"`, an upstream may have a `weight`, its share of the turns
   * (see `upstreamBalance`).
   */
  upstream:
    | AzureOpenAI
    | EdgeUpstreamOptions
    | EdgeUpstreamClient
    | readonly (AzureOpenAI | EdgeUpstreamOptions | EdgeUpstreamClient)[];
  /**
   * Keys clients must present (`api-key` header or `Authorization: Bearer`). At least one:
   * the app is never an open relay. A key given as {@link EdgeClientKey} may be limited to some
   * deployments (env `AOAI_EDGE_KEY_DEPLOYMENTS`) and have its own limits (env
   * `AOAI_EDGE_KEY_RPM`, `AOAI_EDGE_KEY_TPM`). Each key once: a repeated key throws.
   */
  clientKeys: readonly (string | EdgeClientKey)[];
  /** Deployments clients may use (default: any, unless `models` is given). */
  deployments?: readonly string[];
  /**
   * Model name → deployment map (e.g. `{ "gpt-4o": "prod-gpt4o" }`), applied to body `model` and
   * to path deployments. When given (or `deployments` is), other names get 404.
   */
  models?: Readonly<Record<string, string>>;
  /** Cache store for embeddings (and, with `chatCache`, deterministic chat). None: no caching. */
  cache?: CacheStore;
  /** Seconds an embedding lives in the cache (default 7 days). */
  embeddingsTtlSeconds?: number;
  /**
   * Namespace of the cache keys (default `"aoai-edge"`); change it to drop all entries. A string
   * without NUL characters (`\0` separates a client's own namespace under `cacheScope: "client"`).
   */
  cacheNamespace?: string;
  /**
   * Who shares the embeddings and chat caches: `"app"` (default) every client key, so a text one
   * key sent is a hit (usage 0) for any other; `"client"` each client key has its own entries
   * (its hashed id, as `clientIdOf()` makes it, is part of every cache key, never the key), so a client
   * cannot learn whether another sent a text (from a hit, or its timing), and identical misses
   * of two keys in flight at once both go upstream. Use `"client"` when keys go to separate
   * tenants; it stores a text once per key that sends it.
   */
  cacheScope?: "app" | "client";
  /**
   * Opt-in caching of deterministic chat completions (temperature 0 or a `seed`): a streamed
   * miss is stored once its stream completed, and a cached completion asked for with
   * `stream: true` is replayed as SSE.
   */
  chatCache?: boolean | ChatCacheOptions;
  /** CORS allowlist; default: no CORS headers (same-origin only). */
  cors?: CorsOptions;
  /**
   * Largest JSON body accepted, in bytes (default 1 MiB; at most 16 MiB, 16777216: a body is held
   * several times while read, as bytes, text and parsed value, and a Worker has 128 MB).
   */
  maxJsonBytes?: number;
  /**
   * Largest multipart (audio upload) body accepted, in bytes (default 26214400, 25 MiB: Azure's
   * own limit, counted over the whole request as the client's `MAX_AUDIO_BYTES` is, and the
   * most: a larger upload Azure refuses).
   */
  maxMultipartBytes?: number;
  /**
   * Per-client-key limit: `{ requestsPerMinute }` counts in this isolate's memory (each isolate
   * on its own); `{ limiter }` asks a shared limiter. Refused requests get 429 with
   * `retry-after`. A key given as {@link EdgeClientKey} may have its own.
   */
  rateLimit?: EdgeRateLimitOptions;
  /**
   * Per-client-key token budget (`{ tokensPerMinute }` in this isolate's memory, or
   * `{ limiter }`): a client whose budget is used up gets 429 with `retry-after` until it has
   * refilled. See {@link EdgeTokenLimitOptions} for how requests are charged. A key given as
   * {@link EdgeClientKey} may have its own.
   */
  tokenLimit?: EdgeTokenLimitOptions;
  /**
   * Per-client-key token quota per hour, day, ISO week or calendar month (UTC windows): a key
   * that used up its quota gets 403 until the next window. See {@link EdgeTokenQuotaOptions}. A
   * key given as {@link EdgeClientKey} may have its own.
   */
  tokenQuota?: EdgeTokenQuotaOptions;
  /**
   * Retries the app makes upstream (default 0: a 429 goes straight back to the client with its
   * `retry-after`, and the client's SDK decides). With several upstreams, a 429 fails over at
   * once while an upstream not cooling down is left; it is waited out (up to a minute) on the
   * same upstream only when none is.
   */
  upstreamMaxRetries?: number;
  /**
   * How requests are spread over several upstreams (env `AOAI_EDGE_UPSTREAM_BALANCE`):
   * `"primary-first"` (default) sends each to the primary, the others taking over on its 429s
   * and failures (e.g. a provisioned-throughput resource that spills over to pay-as-you-go ones);
   * `"round-robin"` starts each request at the next upstream in turn (turns are kept per
   * deployment; a request the cache answered takes none), so resources in several regions share
   * the traffic and their quotas. Either way a failed request moves on to the next
   * upstream, and upstreams cooling down are skipped until the others are tried (the cooldowns
   * are those described under `upstream`). Caching is unchanged: keys are the primary's
   * whichever upstream answered, so a value stored from one upstream is a hit through any.
   *
   * Weighted round-robin: an upstream given with a `weight` (a positive whole number, default 1;
   * env `AOAI_EDGE_UPSTREAM_WEIGHTS`) takes that many turns in every cycle of turns, for
   * resources with unequal quotas. The turns are spread out, not bunched (a smooth weighted
   * round-robin): weights 3 and 1 give the cycle 0, 0, 1, 0; weights 1, 2 and 1 give 1, 0, 2, 1;
   * equal weights give 0, 1, 2, ... as without weights. The weights are divided by their
   * greatest common divisor (300 and 100 are 3 and 1), and what is left may add up to at most
   * 10 000 turns. The turns of an upstream cooling down are skipped (its request starts at the
   * next turn's upstream), so the others share the traffic in proportion to their weights until
   * it is back in the cycle. A weight with `"primary-first"` throws (it would do nothing).
   *
   * @example Weights 3 and 1: three requests go to upstream 0 for every one to upstream 1
   * ```ts
   * import { createEdgeApp } from "@aoai/edge/edge";
   * import { createEmulator } from "@aoai/edge/emulator";
   * const [east, west] = [createEmulator(), createEmulator()]; // 300K and 100K TPM, say
   * const app = createEdgeApp({
   *   upstream: [
   *     { endpoint: "http://east.local", apiKey: east.apiKey, fetch: east.fetch, weight: 3 },
   *     { endpoint: "http://west.local", apiKey: west.apiKey, fetch: west.fetch, weight: 1 },
   *   ],
   *   upstreamBalance: "round-robin",
   *   clientKeys: ["a-long-client-key"],
   * });
   * const answered: (string | null)[] = [];
   * for (let i = 0; i < 8; i++) {
   *   const res = await app.fetch(
   *     new Request("http://edge.local/openai/v1/embeddings", {
   *       method: "POST",
   *       headers: { "api-key": "a-long-client-key", "content-type": "application/json" },
   *       body: JSON.stringify({ model: "text-embedding-3-small", input: "hi" }),
   *     }),
   *   );
   *   answered.push(res.headers.get("x-aoai-upstream"));
   *   await res.body?.cancel();
   * }
   * console.log(answered.join(",")); // 0,0,1,0,0,0,1,0
   * ```
   */
  upstreamBalance?: UpstreamBalance;
  /** Serve the playground page at `/` (default true); an object sets its default deployments. */
  playground?: boolean | PlaygroundOptions;
  /**
   * Called with a one-line, secret-free description of upstream failures and failovers (default:
   * none).
   */
  onError?: (message: string) => void;
  /**
   * Called once per request the app answers, with an {@link EdgeRequestEvent} (status, route,
   * deployment, hashed client id, cache, upstream, usage, duration), after the response body
   * ended or the client went away (default: none). Usage is read from a copy of what the client
   * gets, as it passes, without holding any of it back (JSON replies up to 1 MiB are parsed
   * whole; past that, only their last 64 KiB is kept and searched for `usage`). A throwing or
   * rejecting `onRequest` is reported through `onError` and changes nothing else. Pass the
   * Workers `ctx` to `fetch()` so the event is delivered inside `ctx.waitUntil`. Without
   * `onRequest`, responses are not observed at all.
   */
  onRequest?: (event: EdgeRequestEvent) => void | Promise<void>;
  /**
   * Clock in ms since the epoch (default `Date.now`): upstream cooldowns, the in-memory
   * `rateLimit.requestsPerMinute` and `tokenLimit.tokensPerMinute`, the windows of `tokenQuota`
   * (in memory), and the `time` /
   * `durationMs` of `onRequest` events count with it. For tests.
   */
  now?: () => number;
}

/**
 * A client key with the deployments it may use, for keys handed to different apps or teams:
 * one may call the chat deployments, another only embeddings. A request of this key for another
 * deployment gets 403 (`DeploymentNotAllowedForKey`) before anything goes upstream, cache hits
 * included; the other keys are not affected.
 *
 * @example A key for embeddings only
 * ```ts
 * import { createEdgeApp } from "@aoai/edge/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const app = createEdgeApp({
 *   upstream: { endpoint: "http://emulator.local", apiKey: emulator.apiKey, fetch: emulator.fetch },
 *   clientKeys: [
 *     "key-of-the-chat-app",
 *     { key: "key-of-the-indexer", deployments: ["text-embedding-3-small"] },
 *   ],
 * });
 * const res = await app.fetch(
 *   new Request("http://edge.local/openai/v1/chat/completions", {
 *     method: "POST",
 *     headers: { "api-key": "key-of-the-indexer", "content-type": "application/json" },
 *     body: JSON.stringify({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
 *   }),
 * );
 * console.log(res.status); // 403
 * ```
 */
export interface EdgeClientKey {
  /** The key (at least 8 printable ASCII characters, no spaces). */
  key: string;
  /**
   * A label for this key in `onRequest` events (`clientName`), e.g. the app or team it was
   * handed to, for cost reports: 1 to 64 printable ASCII characters. Never a client key, nor 16
   * characters in a row of one (the app refuses such a name at creation).
   */
  name?: string;
  /**
   * Deployments this key may use: the app's names (`deployments`, or `models` targets) or
   * `models` aliases (which stand for their targets). Default: every deployment the app allows.
   * An empty list allows none.
   */
  deployments?: readonly string[];
  /**
   * This key's own request rate limit, instead of the app's `rateLimit` (`false`: none for this
   * key). Same shape and behaviour as the app's. From the environment: `AOAI_EDGE_KEY_RPM`, one
   * entry per key of `AOAI_EDGE_KEYS` (same order, comma-separated): a number of requests per
   * minute, `-` for the app's limit, `off` for none (e.g. `-,600,off`).
   */
  rateLimit?: EdgeRateLimitOptions | false;
  /**
   * This key's own token budget, instead of the app's `tokenLimit` (`false`: none for this key).
   * Same shape and behaviour as the app's. From the environment: `AOAI_EDGE_KEY_TPM`, one entry
   * per key of `AOAI_EDGE_KEYS` (same order, comma-separated): a whole number of tokens per
   * minute, `-` for the app's budget, `off` for none.
   */
  tokenLimit?: EdgeTokenLimitOptions | false;
  /**
   * This key's own token quota, instead of the app's `tokenQuota` (`false`: none for this key).
   * Same shape and behaviour as the app's. From the environment: `AOAI_EDGE_KEY_TOKEN_QUOTA`, one
   * entry per key of `AOAI_EDGE_KEYS` (same order, comma-separated): tokens and period such as
   * `1000000/day`, `-` for the app's quota, `off` for none.
   */
  tokenQuota?: EdgeTokenQuotaOptions | false;
}

/** The limiters that apply to one client key (its own, else the app's). */
export interface KeyLimits {
  rateLimiter: RateLimiter | undefined;
  /** How long the app waits for `rateLimiter` before letting the request through. */
  rateLimitTimeoutMs: number;
  tokenLimiter: TokenLimiter | undefined;
  /** How long the app waits for `tokenLimiter` before letting the request through. */
  tokenLimitTimeoutMs: number;
  tokenQuota: TokenQuotaLimiter | undefined;
  /** How long the app waits for `tokenQuota` before letting the request through. */
  tokenQuotaTimeoutMs: number;
}

/** Normalised options. */
export interface ResolvedOptions {
  /** The primary upstream's client. */
  client: AzureOpenAI;
  /** Every upstream, primary first, with their cooldowns. */
  upstreams: Upstreams;
  clientKeys: string[];
  /**
   * Per client key (same order): the deployments it may use (after `models`), or undefined for
   * every deployment the app allows.
   */
  keyDeployments: (ReadonlySet<string> | undefined)[];
  /** Per client key (same order): the limiters that apply to it. */
  keyLimits: KeyLimits[];
  /** Per client key (same order): its `name` for events, if given. */
  keyNames: (string | undefined)[];
  /** Resolves a requested name to a deployment, or undefined when not allowed. */
  resolveDeployment(name: string): string | undefined;
  cache: CacheStore | undefined;
  embeddingsTtlSeconds: number;
  cacheNamespace: string;
  cacheScope: "app" | "client";
  chatCacheTtlSeconds: number | undefined;
  cors: CorsOptions | undefined;
  maxJsonBytes: number;
  maxMultipartBytes: number;
  rateLimiter: RateLimiter | undefined;
  /** How long a request waits for the limiter (ms). */
  rateLimitTimeoutMs: number;
  tokenLimiter: TokenLimiter | undefined;
  /** How long a request waits for the token limiter's check, and a delivery for its charge (ms). */
  tokenLimitTimeoutMs: number;
  upstreamMaxRetries: number;
  playground: PlaygroundOptions | false;
  onError: (message: string) => void;
  /** The `onRequest` option, as given. */
  onRequest: ((event: EdgeRequestEvent) => void | Promise<void>) | undefined;
  /** Clock in ms since the epoch. */
  now: () => number;
}

const WHERE = "createEdgeApp";
/** Azure's limit of an audio upload, the whole multipart request (files up to 25 MB). */
export const UPLOAD_BYTES = 25 * 1024 * 1024;
/** The most `maxJsonBytes` may be: a JSON body is held as bytes, text and parsed value. */
export const JSON_BYTES_CAP = 16 * 1024 * 1024;

function positiveInt(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    // A string is quoted when it reads as a number (so "30000" shows it is a string), else
    // masked: it may be a key pasted into the wrong option (a client key has 8 characters or more).
    const shown = typeof value === "string"
      ? /^\s*[-+]?[\d._]*(e[-+]?\d+)?\s*$/i.test(value) && value.length <= 20
        ? JSON.stringify(value)
        : '"***"'
      : typeof value === "number"
      ? String(value)
      : typeof value;
    throw new TypeError(`${WHERE}: ${name} must be a positive integer; got ${shown}`);
  }
  return value;
}

/** A body limit: a positive integer up to `cap` bytes (see {@link JSON_BYTES_CAP}). */
function bodyLimit(value: unknown, name: string, fallback: number, cap: number): number {
  const bytes = positiveInt(value, name, fallback);
  if (bytes > cap) {
    throw new TypeError(
      `${WHERE}: ${name} must be at most ${cap} bytes (${cap / 1048576} MiB` +
        (cap === UPLOAD_BYTES
          ? ", Azure's own upload limit)"
          : ": a body is held several times while read, and a Worker has 128 MB)") +
        `; got ${bytes}`,
    );
  }
  return bytes;
}

function isClient(value: unknown): value is AzureOpenAI {
  return value instanceof AzureOpenAI ||
    (typeof value === "object" && value !== null &&
      typeof (value as { request?: unknown }).request === "function" &&
      typeof (value as { endpoint?: unknown }).endpoint === "string");
}

/**
 * The upstreams, primary first, with their own deployment names. An array is checked element by
 * element, and every error names the element (`upstream[1]: ...`); a single upstream is used as
 * before.
 */
function resolveUpstreams(upstream: EdgeAppOptions["upstream"]): UpstreamInit[] {
  if (!Array.isArray(upstream)) {
    if (isClient(upstream)) return [{ client: upstream }];
    const item = upstream as Record<string, unknown>;
    // Plain options: the client's own errors, as before.
    if (
      typeof item !== "object" || item === null ||
      !("client" in item || "deploymentNames" in item || "weight" in item)
    ) {
      return [{ client: new AzureOpenAI(upstream as AzureOpenAIOptions) }];
    }
    return [resolveUpstream(item, "upstream")];
  }
  if (upstream.length === 0) {
    throw new TypeError(
      `${WHERE}: upstream is an empty array; list at least one upstream (an AzureOpenAI client ` +
        "or its options: endpoint + apiKey), primary first",
    );
  }
  const list = upstream.map((item: unknown, i) => resolveUpstream(item, `upstream[${i}]`));
  const clients = list.map((u) => u.client);
  const v1 = clients[0].apiVersion === "v1";
  const odd = clients.findIndex((c) => (c.apiVersion === "v1") !== v1);
  if (odd !== -1) {
    throw new TypeError(
      `${WHERE}: upstream[${odd}] uses api-version ${
        JSON.stringify(clients[odd].apiVersion)
      } but upstream[0] uses ${
        JSON.stringify(clients[0].apiVersion)
      }; put every upstream on the v1 API (apiVersion "v1") or every one on a dated api-version`,
    );
  }
  return list;
}

/** One upstream: a client, `{ client, deploymentNames }`, or options (`where` names it). */
function resolveUpstream(item: unknown, where: string): UpstreamInit {
  if (isClient(item)) return { client: item };
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    throw new TypeError(
      `${WHERE}: ${where} must be an AzureOpenAI client or its options (endpoint + apiKey)`,
    );
  }
  const { deploymentNames, weight, ...rest } = item as EdgeUpstreamOptions & { client?: unknown };
  const names = namesOf(deploymentNames, where);
  if (
    weight !== undefined &&
    (typeof weight !== "number" || !Number.isSafeInteger(weight) || weight < 1)
  ) {
    throw new TypeError(
      `${WHERE}: ${where}.weight must be a positive whole number (its share of the round-robin ` +
        `turns, default 1); got ${
          typeof weight === "number" ? weight : `a ${weight === null ? "null" : typeof weight}`
        }`,
    );
  }
  if ("client" in rest) {
    const { client, ...others } = rest;
    if (!isClient(client)) {
      throw new TypeError(
        `${WHERE}: ${where}.client must be an AzureOpenAI client (or give the client's options, ` +
          "endpoint + apiKey, instead of { client })",
      );
    }
    const extra = Object.keys(others);
    if (extra.length) {
      throw new TypeError(
        `${WHERE}: ${where} has a client and client options (${extra.join(", ")}); give ` +
          "{ client, deploymentNames, weight } or the options with deploymentNames and weight, " +
          "not both",
      );
    }
    return { client, names, weight };
  }
  try {
    return { client: new AzureOpenAI(rest as AzureOpenAIOptions), names, weight };
  } catch (err) {
    throw new TypeError(
      `${WHERE}: ${where}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}

/**
 * An upstream's `deploymentNames` as a map of the names that differ, or a TypeError naming
 * `where` and what to fix. Values are never quoted (only their kind): a misplaced key must not
 * reach a log.
 */
function namesOf(value: unknown, where: string): Map<string, string> | undefined {
  if (value === undefined) return undefined;
  const field = `${where}.deploymentNames`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(
      `${WHERE}: ${field} must map the app's deployment names to this upstream's own, e.g. ` +
        '{ "gpt-4o": "gpt-4o-swc" }',
    );
  }
  const names = new Map<string, string>();
  for (const [name, own] of Object.entries(value)) {
    if (name.trim() === "") {
      throw new TypeError(
        `${WHERE}: ${field} has an empty name as a key; use the deployment name the app ` +
          "resolves (after models / deployments)",
      );
    }
    const what = typeof own !== "string"
      ? `a ${own === null ? "null" : typeof own}`
      : own.trim() === ""
      ? "an empty string"
      : own === "." || own === ".."
      ? "a dot segment"
      : own.trim() !== own
      ? "a name with spaces around it"
      : undefined;
    if (what !== undefined) {
      throw new TypeError(
        `${WHERE}: ${field}[${
          JSON.stringify(name)
        }] must be this upstream's deployment name (a non-empty string); got ${what}`,
      );
    }
    if (own !== name) names.set(name, own as string);
  }
  return names;
}

function resolveRateLimiter(
  rateLimit: EdgeRateLimitOptions | undefined,
  now: (() => number) | undefined,
  name = "rateLimit",
): RateLimiter | undefined {
  if (rateLimit === undefined) return undefined;
  if (typeof rateLimit !== "object" || rateLimit === null) {
    throw new TypeError(`${WHERE}: ${name} must be { requestsPerMinute } or { limiter }`);
  }
  const { requestsPerMinute: rpm, limiter } = rateLimit;
  if (limiter !== undefined) {
    if (rpm !== undefined) {
      throw new TypeError(
        `${WHERE}: set ${name}.requestsPerMinute or ${name}.limiter, not both (a limiter ` +
          "has its own limit)",
      );
    }
    if (typeof limiter !== "object" || limiter === null || typeof limiter.take !== "function") {
      throw new TypeError(`${WHERE}: ${name}.limiter must have a take(client) method`);
    }
    return limiter;
  }
  if (typeof rpm !== "number" || !(rpm > 0) || !Number.isFinite(rpm)) {
    throw new TypeError(`${WHERE}: ${name}.requestsPerMinute must be a positive number`);
  }
  return new ClientRateLimiter({ requestsPerMinute: rpm, now });
}

function resolveTokenLimiter(
  tokenLimit: EdgeTokenLimitOptions | undefined,
  now: (() => number) | undefined,
  name = "tokenLimit",
): TokenLimiter | undefined {
  if (tokenLimit === undefined) return undefined;
  if (typeof tokenLimit !== "object" || tokenLimit === null) {
    throw new TypeError(`${WHERE}: ${name} must be { tokensPerMinute } or { limiter }`);
  }
  const { tokensPerMinute, limiter } = tokenLimit;
  if (limiter === undefined) {
    const tpm = checkTokensPerMinute(tokensPerMinute, `${WHERE}: ${name}.tokensPerMinute`);
    return new ClientTokenLimiter({ tokensPerMinute: tpm, now });
  }
  if (tokensPerMinute !== undefined) {
    throw new TypeError(
      `${WHERE}: set ${name}.tokensPerMinute or ${name}.limiter, not both (a limiter has ` +
        "its own budget)",
    );
  }
  return chargeableLimiter(limiter, name);
}

/** `limiter` when it has `check(client)` and `charge(client, tokens)`; a TypeError otherwise. */
function chargeableLimiter<L extends { check: unknown; charge: unknown }>(
  limiter: L,
  name: string,
): L {
  if (
    typeof limiter !== "object" || limiter === null || typeof limiter.check !== "function" ||
    typeof limiter.charge !== "function"
  ) {
    throw new TypeError(
      `${WHERE}: ${name}.limiter must have check(client) and charge(client, tokens) methods`,
    );
  }
  return limiter;
}

function resolveTokenQuota(
  tokenQuota: EdgeTokenQuotaOptions | undefined,
  now: (() => number) | undefined,
  name = "tokenQuota",
): TokenQuotaLimiter | undefined {
  if (tokenQuota === undefined) return undefined;
  if (typeof tokenQuota !== "object" || tokenQuota === null) {
    throw new TypeError(`${WHERE}: ${name} must be { tokens, period } (and optionally limiter)`);
  }
  const { tokens, period } = checkTokenQuota(
    tokenQuota.tokens,
    tokenQuota.period,
    `${WHERE}: ${name}`,
  );
  const limiter = tokenQuota.limiter;
  if (limiter === undefined) return new ClientTokenQuota({ tokens, period, now });
  return chargeableLimiter(limiter, name);
}

/** A limiter's wait in ms (default 1000), or a TypeError naming `name`. */
function limiterTimeout(value: unknown, name: string): number {
  const ms = value ?? 1000;
  // A timer longer than 2^31 - 1 ms (Infinity too) fires at once: every limiter would be given
  // 1 ms, and requests let through over their limits.
  if (typeof ms !== "number" || !(ms > 0 && ms < 2 ** 31)) {
    throw new TypeError(
      `${WHERE}: ${name}.timeoutMs must be a positive number of milliseconds up to 2147483647 ` +
        "(default 1000)",
    );
  }
  return ms;
}

/** The error for the `name` of `clientKeys[i]` (never quoted: it may hold a key). */
function badName(i: number): TypeError {
  return new TypeError(
    `${WHERE}: clientKeys[${i}].name must be 1 to 64 printable ASCII characters (a label such ` +
      "as the app or team the key was handed to), never a client key or 16 characters in a row " +
      "of one",
  );
}

/** Validates and normalises {@link EdgeAppOptions}; throws a TypeError saying what to fix. */
export function resolveOptions(options: EdgeAppOptions): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${WHERE}: pass an options object with upstream and clientKeys`);
  }
  if (options.upstream === undefined) {
    throw new TypeError(
      `${WHERE}: set upstream (an AzureOpenAI client or its options: endpoint + apiKey)`,
    );
  }
  const now = options.now;
  if (now !== undefined && typeof now !== "function") {
    throw new TypeError(`${WHERE}: now must be a function returning ms since the epoch`);
  }
  const upstreams = resolveUpstreams(options.upstream);
  const keys = options.clientKeys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new TypeError(
      `${WHERE}: clientKeys must list at least one key clients will send (the app is never ` +
        "an open relay); e.g. set AOAI_EDGE_KEYS",
    );
  }
  const keyStrings: string[] = [];
  const keyEntries: (EdgeClientKey | undefined)[] = [];
  keys.forEach((entry: string | EdgeClientKey, i: number) => {
    const key = typeof entry === "object" && entry !== null ? entry.key : entry;
    // Printable ASCII only: a header's bytes are not read back as UTF-8, so any other key could
    // never match.
    if (typeof key !== "string" || key.trim().length < 8 || !/^[\x21-\x7e]+$/.test(key.trim())) {
      throw new TypeError(
        `${WHERE}: every client key must be a string of at least 8 printable ASCII characters ` +
          `without spaces (clientKeys[${i}]${typeof entry === "object" ? ".key" : ""})`,
      );
    }
    const name = typeof entry === "object" ? entry.name : undefined;
    if (name !== undefined && (typeof name !== "string" || !/^[\x20-\x7e]{1,64}$/.test(name))) {
      throw badName(i);
    }
    const scope = typeof entry === "object" ? entry.deployments : undefined;
    if (
      scope !== undefined &&
      (!Array.isArray(scope) || scope.some((d) => typeof d !== "string" || d === ""))
    ) {
      throw new TypeError(
        `${WHERE}: clientKeys[${i}].deployments must be an array of deployment names`,
      );
    }
    // Only the first of two equal keys would ever match: the other's scope and limits would be
    // ignored, unnoticed (an unscoped entry first gave a key meant to be scoped every deployment).
    const first = keyStrings.indexOf(key.trim());
    if (first !== -1) {
      throw new TypeError(
        `${WHERE}: clientKeys[${i}]${
          typeof entry === "object" ? ".key" : ""
        } repeats clientKeys[${first}]; list each key once, with its deployments and limits`,
      );
    }
    keyStrings.push(key.trim());
    keyEntries.push(typeof entry === "object" ? entry : undefined);
  });
  // A name goes into every event of its key: it holds no client key (its own or another's, which
  // may come later in the list), nor a piece of one long enough to give most of it away.
  keyEntries.forEach((entry, i) => {
    const name = entry?.name;
    if (name === undefined) return;
    const pieces = Array.from(
      { length: Math.max(0, name.length - 15) },
      (_, at) => name.slice(at, at + 16),
    );
    if (keyStrings.some((key) => name.includes(key) || pieces.some((p) => key.includes(p)))) {
      throw badName(i);
    }
  });
  const models = options.models ?? {};
  if (typeof models !== "object" || models === null) {
    throw new TypeError(`${WHERE}: models must map model names to deployment names`);
  }
  for (const [model, deployment] of Object.entries(models)) {
    if (typeof deployment !== "string" || deployment === "") {
      throw new TypeError(`${WHERE}: models[${JSON.stringify(model)}] must be a deployment name`);
    }
  }
  const list = options.deployments;
  if (list !== undefined && (!Array.isArray(list) || list.some((d) => typeof d !== "string"))) {
    throw new TypeError(`${WHERE}: deployments must be an array of deployment names`);
  }
  const restricted = list !== undefined || Object.keys(models).length > 0;
  const allowed = new Set<string>([...(list ?? []), ...Object.values(models)]);
  const mapped = new Map(Object.entries(models));
  const chat = options.chatCache;
  let chatCacheTtlSeconds: number | undefined;
  if (chat) {
    chatCacheTtlSeconds = positiveInt(
      typeof chat === "object" ? chat.ttlSeconds : undefined,
      "chatCache.ttlSeconds",
      3600,
    );
    if (!options.cache) throw new TypeError(`${WHERE}: chatCache needs a cache store (cache)`);
  }
  const cache = options.cache;
  if (cache !== undefined && (typeof cache !== "object" || typeof cache.get !== "function")) {
    throw new TypeError(`${WHERE}: cache must be a CacheStore (MemoryCache, DenoKvCache, ...)`);
  }
  const cacheNamespace = options.cacheNamespace ?? "aoai-edge";
  // A client's namespace is `{cacheNamespace}\0client\0{id}`: no other app's may spell it out.
  if (typeof cacheNamespace !== "string" || cacheNamespace.includes("\0")) {
    throw new TypeError(
      `${WHERE}: cacheNamespace must be a string without NUL characters (\\0 separates a ` +
        'client\'s own namespace, cacheScope: "client")',
    );
  }
  const cacheScope = options.cacheScope ?? "app";
  if (cacheScope !== "app" && cacheScope !== "client") {
    throw new TypeError(
      `${WHERE}: cacheScope must be "app" (one cache for every client key) or "client" (a cache ` +
        "per client key)",
    );
  }
  const rateLimiter = resolveRateLimiter(options.rateLimit, now);
  const rateLimitTimeoutMs = limiterTimeout(options.rateLimit?.timeoutMs, "rateLimit");
  const tokenLimiter = resolveTokenLimiter(options.tokenLimit, now);
  const tokenLimitTimeoutMs = limiterTimeout(options.tokenLimit?.timeoutMs, "tokenLimit");
  const tokenQuota = resolveTokenQuota(options.tokenQuota, now);
  const tokenQuotaTimeoutMs = limiterTimeout(options.tokenQuota?.timeoutMs, "tokenQuota");
  // A key's own limits replace the app's; `false` turns them off for it.
  const keyLimits = keyEntries.map((entry, i): KeyLimits => {
    const rate = entry?.rateLimit;
    const token = entry?.tokenLimit;
    const quota = entry?.tokenQuota;
    const where = `clientKeys[${i}]`;
    return {
      rateLimiter: rate === undefined
        ? rateLimiter
        : rate === false
        ? undefined
        : resolveRateLimiter(rate, now, `${where}.rateLimit`),
      rateLimitTimeoutMs: rate
        ? limiterTimeout(rate.timeoutMs, `${where}.rateLimit`)
        : rateLimitTimeoutMs,
      tokenLimiter: token === undefined
        ? tokenLimiter
        : token === false
        ? undefined
        : resolveTokenLimiter(token, now, `${where}.tokenLimit`),
      tokenLimitTimeoutMs: token
        ? limiterTimeout(token.timeoutMs, `${where}.tokenLimit`)
        : tokenLimitTimeoutMs,
      tokenQuota: quota === undefined
        ? tokenQuota
        : quota === false
        ? undefined
        : resolveTokenQuota(quota, now, `${where}.tokenQuota`),
      tokenQuotaTimeoutMs: quota
        ? limiterTimeout(quota.timeoutMs, `${where}.tokenQuota`)
        : tokenQuotaTimeoutMs,
    };
  });
  const onRequest = options.onRequest;
  if (onRequest !== undefined && typeof onRequest !== "function") {
    throw new TypeError(`${WHERE}: onRequest must be a function taking one request event`);
  }
  const balance = options.upstreamBalance ?? "primary-first";
  if (balance !== "primary-first" && balance !== "round-robin") {
    throw new TypeError(`${WHERE}: upstreamBalance must be "primary-first" or "round-robin"`);
  }
  const weighted = upstreams.findIndex((u) => u.weight !== undefined);
  if (weighted !== -1) {
    const where = Array.isArray(options.upstream) ? `upstream[${weighted}]` : "upstream";
    if (balance !== "round-robin") {
      throw new TypeError(
        `${WHERE}: ${where}.weight is a share of the round-robin turns, but upstreamBalance is ` +
          '"primary-first" (where it would do nothing); set upstreamBalance: "round-robin" or ' +
          "leave the weights out",
      );
    }
    const turns = cycleLength(upstreams.map((u) => u.weight ?? 1));
    if (turns > MAX_CYCLE) {
      throw new TypeError(
        `${WHERE}: the upstream weights make a round-robin cycle of ${turns} turns (their sum, ` +
          `once divided by their greatest common divisor); keep it at most ${MAX_CYCLE}, e.g. ` +
          "weights 3 and 1 rather than 300001 and 100000",
      );
    }
  }
  const retries = options.upstreamMaxRetries ?? 0;
  if (!Number.isInteger(retries) || retries < 0) {
    throw new TypeError(`${WHERE}: upstreamMaxRetries must be a non-negative integer`);
  }
  return {
    client: upstreams[0].client,
    upstreams: new Upstreams(upstreams, now ?? Date.now, balance),
    clientKeys: keyStrings,
    // An alias in `models` stands for its target.
    keyDeployments: keyEntries.map((entry) => entry?.deployments).map((scope) =>
      scope &&
      new Set(
        scope.flatMap((name) => [name, ...(Object.hasOwn(models, name) ? [models[name]] : [])]),
      )
    ),
    resolveDeployment(name: string): string | undefined {
      const target = mapped.get(name) ?? name;
      if (!restricted || allowed.has(target)) return target;
      return undefined;
    },
    cache,
    embeddingsTtlSeconds: positiveInt(options.embeddingsTtlSeconds, "embeddingsTtlSeconds", 604800),
    cacheNamespace,
    cacheScope,
    chatCacheTtlSeconds,
    cors: options.cors,
    maxJsonBytes: bodyLimit(options.maxJsonBytes, "maxJsonBytes", 1024 * 1024, JSON_BYTES_CAP),
    maxMultipartBytes: bodyLimit(
      options.maxMultipartBytes,
      "maxMultipartBytes",
      UPLOAD_BYTES,
      UPLOAD_BYTES,
    ),
    rateLimiter,
    rateLimitTimeoutMs,
    tokenLimiter,
    tokenLimitTimeoutMs,
    keyLimits,
    keyNames: keyEntries.map((entry) => entry?.name),
    upstreamMaxRetries: retries,
    playground: options.playground === false
      ? false
      : typeof options.playground === "object" && options.playground !== null
      ? options.playground
      : {},
    onError: reportSafely(options.onError, keyStrings),
    onRequest,
    now: now ?? Date.now,
  };
}

/**
 * `onError` made safe to call anywhere: a reporter that throws (a full log pipe, a bug) must not
 * turn a request the app lets through (a failing limiter or cache, fail open) into a 500, nor cut
 * a stream it observes. An async one that rejects is dropped too: unhandled, the rejection would
 * end a Deno process. Client keys are masked in every message.
 */
export function reportSafely(
  onError: ((message: string) => void) | undefined,
  clientKeys: readonly string[],
): (message: string) => void {
  return (message) => {
    // A client key sent as a deployment name is in the upstream URL an error quotes, encoded
    // there (`+` as %2B), and in an upstream's answer echoing it (lower-cased, JSON-escaped).
    message = redactSecrets(message, clientKeys);
    try {
      const done: unknown = onError?.(message);
      if (done instanceof Promise) done.catch(() => {});
    } catch {
      // Nowhere left to report it.
    }
  };
}
