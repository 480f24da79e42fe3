import type { CacheStore } from "../cache/types.ts";
import { onAbort } from "./_abort.ts";
import { sourceText } from "./_replay.ts";
import type { MiddlewareContext } from "./types.ts";

/** How `cache()` talks to a store: batched, time-boxed, failing open. */
export interface StoreAccess {
  store: CacheStore;
  /** Keys per `getMany` call. */
  batchSize: number;
  /** A store call slower than this counts as failed (ms). */
  timeoutMs: number;
  /** Observer of store failures. */
  onError: ((error: unknown, operation: "get" | "set") => void) | undefined;
}

/** What the per-operation caches need from `cache()`. */
export interface CacheConfig {
  access: StoreAccess;
  namespace: string;
  ttlSeconds: number;
  /** Most distinct embeddings inputs one request looks up; larger batches bypass the cache. */
  maxItems: number;
  /** Runs the store writes: hands them to `waitUntil` when there is one, else awaits them. */
  persist: (ctx: MiddlewareContext, work: Promise<unknown>) => Promise<unknown>;
  /** Records the cache status on the context. */
  mark: (ctx: MiddlewareContext, status: "hit" | "miss" | "partial") => void;
}

/**
 * Keys some call is fetching from upstream now (in this isolate or process), with the value it
 * will store (undefined when it stores none): a concurrent miss of a key waits for it instead of
 * asking upstream again. Keys name the whole request (namespace, target, params), so calls of
 * different `cache()` instances share the answer, as they would share the service's.
 */
const PENDING = new Map<string, Promise<Uint8Array | undefined>>();

/** True when some call is fetching `key` now. */
export function isPending(key: string): boolean {
  return PENDING.has(key);
}

/**
 * Marks `keys` as being fetched (those no other call is fetching): returns the function that
 * hands each its fetched value (undefined: none) and unmarks them. Call it in a `finally`.
 */
export function claim(keys: readonly string[]): (values?: Map<string, Uint8Array>) => void {
  const mine = new Map<string, (value: Uint8Array | undefined) => void>();
  for (const key of keys) {
    if (!PENDING.has(key)) PENDING.set(key, new Promise((resolve) => mine.set(key, resolve)));
  }
  return (values) => {
    for (const [key, resolve] of mine) {
      PENDING.delete(key);
      resolve(values?.get(key));
    }
  };
}

/**
 * The values other calls are fetching for `keys` (undefined where none is, where it got none,
 * or once `signal` aborts).
 */
export function awaitPending(
  keys: readonly string[],
  signal?: AbortSignal,
): Promise<(Uint8Array | undefined)[]> {
  const work = Promise.all(keys.map((key) => PENDING.get(key)));
  if (!keys.some((key) => PENDING.has(key))) return work;
  let stop: (() => void) | undefined;
  const aborted = new Promise<undefined[]>((resolve) => {
    stop = onAbort(signal, () => resolve(keys.map(() => undefined)));
  });
  return Promise.race([work, aborted]).finally(() => stop?.());
}

/**
 * Runs a store call, giving up on it after `ms` or when `signal` aborts (the caller stopped
 * waiting for the answer; the store call itself goes on).
 */
function withTimeout<T>(work: () => Promise<T>, ms: number, signal?: AbortSignal): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stop: (() => void) | undefined;
  const givenUp = new Promise<never>((_, reject) => {
    // Timers take at most 2^31 - 1 ms (longer ones fire at once): longer means no time limit.
    if (ms <= 0x7fffffff) {
      timer = setTimeout(
        () => reject(new Error(`cache store did not answer within ${ms} ms`)),
        ms,
      );
    }
    stop = onAbort(signal, () => reject(signal?.reason));
  });
  let run: Promise<T>;
  try {
    run = Promise.resolve(work());
  } catch (err) {
    run = Promise.reject(err);
  }
  return Promise.race([run, givenUp]).finally(() => {
    clearTimeout(timer);
    stop?.();
  });
}

function report(access: StoreAccess, err: unknown, op: "get" | "set", signal?: AbortSignal): void {
  // The caller's abort is not a failure of the store.
  if (signal?.aborted && err === signal.reason) return;
  try {
    access.onError?.(err, op);
  } catch {
    // observers must not fail the call
  }
}

/**
 * Reads keys in groups (`getMany` when the store has it, else parallel `get`s). A failing or
 * slow group, or a value that is not a Uint8Array, reads as a miss; so does every group still
 * pending when `signal` aborts (the call then goes on and fails as aborted).
 */
export async function readMany(
  access: StoreAccess,
  keys: readonly string[],
  signal?: AbortSignal,
): Promise<(Uint8Array | null)[]> {
  const { store, batchSize, timeoutMs } = access;
  const groups: string[][] = [];
  for (let i = 0; i < keys.length; i += batchSize) groups.push(keys.slice(i, i + batchSize));
  const results = await Promise.all(groups.map(async (group) => {
    try {
      const values = await withTimeout(
        () =>
          typeof store.getMany === "function"
            ? store.getMany(group)
            : Promise.all(group.map((key) => store.get(key))),
        timeoutMs,
        signal,
      );
      if (!Array.isArray(values) || values.length !== group.length) {
        throw new TypeError("cache store getMany() returned the wrong number of values");
      }
      return values.map((v) => (v instanceof Uint8Array ? v : null));
    } catch (err) {
      report(access, err, "get", signal);
      return group.map(() => null);
    }
  }));
  return results.flat();
}

/**
 * Writes entries in parallel; failures are reported and resolve to the keys that failed. Not
 * tied to the caller's signal: writes handed to `waitUntil` must keep the platform waiting.
 */
export async function writeMany(
  access: StoreAccess,
  entries: readonly [string, Uint8Array][],
  ttlSeconds: number,
): Promise<string[]> {
  const failed: string[] = [];
  await Promise.all(entries.map(async ([key, value]) => {
    try {
      await withTimeout(() => access.store.set(key, value, { ttlSeconds }), access.timeoutMs);
    } catch (err) {
      failed.push(key);
      report(access, err, "set");
    }
  }));
  return failed;
}

/**
 * The body of `response` as text; when reading it fails (the connection dropped mid-way), a
 * response like it, marked a miss, whose body fails with the same error: the caller meets the
 * failure where it would without a cache (the client turns it into its typed connection,
 * timeout or abort error; the edge app relays a cut body).
 */
export async function readText(response: Response): Promise<string | Response> {
  try {
    return await response.text();
  } catch (err) {
    const headers = new Headers(response.headers);
    // The upstream's length stays (a relay then fails the body short of it, also on workerd),
    // unless fetch decoded the body: that length was the encoded one.
    if (headers.has("content-encoding")) headers.delete("content-length");
    headers.set("x-aoai-cache", "miss");
    const body = new ReadableStream({ start: (controller) => controller.error(err) });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  }
}

/**
 * Reads a JSON request body as text without leaving a streamed body behind: uses the body the
 * client built the request from when there is one, else reads the request and puts an equivalent request with
 * a ready (string) body in its place. (`Request.clone()` would tee the body into a stream, which
 * fetch uploads chunked, about twice as slow.) Undefined for non-JSON bodies.
 */
export async function readJsonText(ctx: MiddlewareContext): Promise<string | undefined> {
  const original = ctx.request;
  if (!/json/i.test(original.headers.get("content-type") ?? "")) return undefined;
  const recorded = sourceText(ctx);
  if (recorded !== undefined) return recorded;
  if (original.bodyUsed) return undefined;
  const text = await original.text();
  const copy = new Request(original.url, {
    method: original.method,
    headers: original.headers,
    body: text,
    redirect: original.redirect,
  });
  ctx.request = copy;
  return text;
}

/** The parsed JSON request body, or undefined when the body is not JSON or cannot be read. */
export async function readJsonBody(ctx: MiddlewareContext): Promise<unknown> {
  try {
    const text = await readJsonText(ctx);
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}
