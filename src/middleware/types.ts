/**
 * The context one call carries through the middleware pipeline. One object per call;
 * middleware may replace `request` and `signal` for the layers below them.
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

/** Per-call settings visible to middleware. */
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
 */
export type Middleware = (
  ctx: MiddlewareContext,
  next: () => Promise<Response>,
) => Promise<Response>;

/** The innermost handler that actually sends the request. */
export type Terminal = (ctx: MiddlewareContext) => Promise<Response>;
