/**
 * `ctx.state` key where `cache()` records `"hit" | "miss" | "partial"` for outer layers.
 *
 * @example Report hits and misses from an outer layer
 * ```ts
 * import { AzureOpenAI, type Middleware } from "@aoai/edge";
 * import { cache, CACHE_STATE_KEY, MemoryCache } from "@aoai/edge/middleware";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const report: Middleware = async (ctx, next) => {
 *   const res = await next();
 *   console.log(ctx.state[CACHE_STATE_KEY]); // "miss", then "hit"
 *   return res;
 * };
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   middleware: [report, cache({ store: new MemoryCache() })],
 * });
 * const params = { model: "text-embedding-3-small", input: "hi" };
 * for (let i = 0; i < 2; i++) await client.embeddings.create(params);
 * ```
 */
export const CACHE_STATE_KEY = "aoai-edge.cache";

/**
 * `ctx.state` key where a layer that sends other params than the caller's (`cache()` sending
 * only the uncached embeddings inputs) puts them, for inner layers such as `rateLimit()`.
 */
export const SENT_PARAMS_STATE_KEY = "aoai-edge.sentParams";

/**
 * `ctx.state` key the edge app (or you) may set to the platform's `waitUntil` function.
 *
 * @example Hand cache writes to the platform per call
 * ```ts
 * import { AzureOpenAI, type Middleware } from "@aoai/edge";
 * import { cache, MemoryCache, WAIT_UNTIL_STATE_KEY } from "@aoai/edge/middleware";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const pending: Promise<unknown>[] = [];
 * const background: Middleware = (ctx, next) => {
 *   // On Workers: ctx.state[WAIT_UNTIL_STATE_KEY] = executionCtx.waitUntil.bind(executionCtx)
 *   ctx.state[WAIT_UNTIL_STATE_KEY] = (p: Promise<unknown>) => pending.push(p);
 *   return next();
 * };
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 *   middleware: [background, cache({ store: new MemoryCache() })],
 * });
 * await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" });
 * await Promise.all(pending);
 * console.log(pending.length > 0); // true
 * ```
 */
export const WAIT_UNTIL_STATE_KEY = "waitUntil";

/**
 * `ctx.state` key of an array of functions `retry()` calls with each attempt's response, so
 * outer layers (e.g. `rateLimit()`) can learn from responses retry() consumes.
 */
export const ATTEMPT_OBSERVERS_STATE_KEY = "aoai-edge.attemptObservers";

/** Calls the attempt observers registered on a context; their errors are ignored. */
export function notifyAttempt(state: Record<string, unknown>, response: Response): void {
  const observers = state[ATTEMPT_OBSERVERS_STATE_KEY];
  if (!Array.isArray(observers)) return;
  for (const observer of observers) {
    try {
      observer(response);
    } catch {
      // observers must not fail the call (nor one that is not a function)
    }
  }
}

/** Registers an attempt observer on a context. */
export function observeAttempts(
  state: Record<string, unknown>,
  observer: (response: Response) => void,
): void {
  pushState(state, ATTEMPT_OBSERVERS_STATE_KEY, observer);
}

/** Appends `value` to the array under `key` in a context's state (made on first use). */
export function pushState(state: Record<string, unknown>, key: string, value: unknown): void {
  const list = state[key];
  if (Array.isArray(list)) list.push(value);
  else state[key] = [value];
}

/**
 * `ctx.state` key where the client puts its credentials, as lists (its key or token, and those of
 * its auth layers, which grow as tokens are fetched): `logger()` scrubs a request body it logs at
 * `start`, before the innermost auth layer has set the credential, with them.
 */
export const SECRETS_STATE_KEY = "aoai-edge.secrets";

/**
 * `ctx.state` key where the client puts the `timeoutMs` and `maxRetries` the call itself set
 * (`Partial<CallSettings>`, checked in `ctx.options`): they win over the options of `retry()` /
 * `timeout()`, as in the openai SDK a call's options win over its client's.
 */
export const CALL_OPTIONS_STATE_KEY = "aoai-edge.callOptions";
