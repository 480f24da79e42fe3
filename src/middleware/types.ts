/**
 * The context one call carries through the middleware pipeline. One object per call;
 * middleware may replace `request` and `signal` for the layers below them.
 *
 * @example Read what a call is about
 * ```ts
 * import { AzureOpenAI, type Middleware, type MiddlewareContext } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const describe = (ctx: MiddlewareContext) =>
 *   `${ctx.operation} ${ctx.deployment} attempt ${ctx.attempt}`;
 * const log: Middleware = (ctx, next) => (console.log(describe(ctx)), next());
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   middleware: [log],
 * });
 * await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" });
 * // logs "embeddings.create text-embedding-3-small attempt 1"
 * ```
 */
export interface MiddlewareContext {
  /** The request about to be sent. Replace it to rewrite the request for inner layers. */
  request: Request;
  /** Operation id, e.g. `"chat.completions.create"` or `"embeddings.create"`. */
  readonly operation: string;
  /** The deployment the call targets, when it is deployment-scoped. */
  readonly deployment: string | undefined;
  /** The api-version in use (`"v1"` for the v1 API). */
  readonly apiVersion: string;
  /** The params the caller passed to the method (read-only view). */
  readonly params: unknown;
  /** Attempt number, 1 for the first try; `retry()` increments it. */
  attempt: number;
  /** Abort signal for the layers below; `timeout()` replaces it with a linked one. */
  signal: AbortSignal | undefined;
  /** True when the caller asked for a stream: the response body must not be buffered. */
  readonly stream: boolean;
  /** False when the body cannot be sent twice (e.g. an upload from a ReadableStream). */
  readonly replayable: boolean;
  /** Per-call options after defaults were applied. */
  readonly options: Readonly<CallSettings>;
  /** A bag for middleware to share per-call state (e.g. cache status). */
  readonly state: Record<string, unknown>;
}

/**
 * Per-call settings visible to middleware.
 *
 * @example See a call's timeout and retries
 * ```ts
 * import { AzureOpenAI, type CallSettings, type Middleware } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const settings: CallSettings[] = [];
 * const spy: Middleware = (ctx, next) => (settings.push(ctx.options), next());
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   middleware: [spy],
 * });
 * const params = { model: "text-embedding-3-small", input: "hi" };
 * await client.embeddings.create(params, { timeoutMs: 5_000 });
 * console.log(settings[0]); // { timeoutMs: 5000, maxRetries: 2 }
 * ```
 */
export interface CallSettings {
  /** Per-attempt timeout in milliseconds (0 disables). */
  timeoutMs: number;
  /** How many times a failed attempt may be retried. */
  maxRetries: number;
}

/**
 * A middleware: gets the context and `next`, returns the response. Onion order: the first
 * registered is the outermost. Call `next()` to run the inner layers; call it again only after
 * the previous call settled (that is a retry).
 *
 * @example Add a client request id to every call
 * ```ts
 * import { AzureOpenAI, type Middleware } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const ids: string[] = [];
 * const requestId: Middleware = (ctx, next) => {
 *   ids.push(crypto.randomUUID());
 *   ctx.request.headers.set("x-ms-client-request-id", ids[ids.length - 1]);
 *   return next();
 * };
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   middleware: [requestId],
 * });
 * const { response } = await client.embeddings
 *   .create({ model: "text-embedding-3-small", input: "hi" })
 *   .withResponse();
 * console.log(response.headers.get("x-ms-client-request-id") === ids[0]); // true (echoed)
 * ```
 */
export type Middleware = (
  ctx: MiddlewareContext,
  next: () => Promise<Response>,
) => Promise<Response>;

/**
 * The innermost handler that actually sends the request.
 *
 * @example Test a middleware against a canned terminal
 * ```ts
 * import { compose, type Middleware, type MiddlewareContext, type Terminal } from "@aoai/edge";
 * const terminal: Terminal = () => Promise.resolve(Response.json({ ok: true }, { status: 503 }));
 * const tag: Middleware = async (_ctx, next) => {
 *   const res = await next();
 *   return new Response(res.body, { status: res.status, headers: { "x-seen": "1" } });
 * };
 * const res = await compose([tag], terminal)({ operation: "test" } as MiddlewareContext);
 * console.log(res.status, res.headers.get("x-seen"), await res.json()); // 503 "1" { ok: true }
 * ```
 */
export type Terminal = (ctx: MiddlewareContext) => Promise<Response>;
