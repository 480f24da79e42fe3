import { cacheKey } from "./_cache_key.ts";
import {
  awaitPending,
  type CacheConfig,
  claim,
  isPending,
  readJsonBody,
  readMany,
  readText,
  writeMany,
} from "./_cache_store.ts";
import type { MiddlewareContext } from "./types.ts";

type Json = Record<string, unknown>;

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();
/** Body members that do not change the completion. */
const IGNORED = new Set(["stream", "stream_options", "user"]);
/** Body members that carry JSON schemas (structured outputs, function calling). */
const SCHEMAS = new Set(["response_format", "tools", "functions"]);
/**
 * Completions whose store write is in flight, by key: a call meanwhile is served them (the store
 * may not hold them yet) rather than asking upstream again.
 */
const WRITING = new Map<string, Uint8Array>();
const STALE_HEADERS = ["content-length", "content-encoding", "transfer-encoding", "etag"];
/**
 * Finish reasons of a complete answer. Not `length` (cut at max_tokens or the context, e.g. all
 * of a reasoning model's budget spent thinking) nor `content_filter` (the filter and its policy
 * change): replaying those for the whole TTL would keep a caller from ever getting the answer.
 * Not a missing or `null` one (unfinished) nor one this code does not know.
 */
const FINISHED: Set<unknown> = new Set(["stop", "tool_calls", "function_call"]);

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** True for a filter verdict that blocked something (`filtered: true`; blocklists: arrays). */
const blocked = (v: unknown): boolean =>
  Array.isArray(v) ? v.some(blocked) : isRecord(v) && v.filtered === true;

/**
 * True for content filter results that flag something or report that the filter did not run
 * (`error`: the service then answers unfiltered). Like `content_filter`, that verdict is the
 * filter's of the moment (Azure's asynchronous filter flags a streamed answer after its `stop`).
 */
function flagged(results: unknown): boolean {
  return isRecord(results) && (results.error != null || Object.values(results).some(blocked));
}

/**
 * True for a completion worth replaying: as many choices as the request's `n` (default 1), each
 * with a message, finished and not flagged by the content filter, nor the prompt.
 */
function isComplete(reply: unknown, request: Json): reply is Json {
  return isRecord(reply) && Array.isArray(reply.choices) && reply.choices.length > 0 &&
    reply.choices.length === (typeof request.n === "number" ? request.n : 1) &&
    reply.choices.every((c) =>
      isRecord(c) && isRecord(c.message) && FINISHED.has(c.finish_reason) &&
      !flagged(c.content_filter_results)
    ) &&
    !(Array.isArray(reply.prompt_filter_results) &&
      reply.prompt_filter_results.some((p) => isRecord(p) && flagged(p.content_filter_results)));
}

/**
 * `value` with every JSON schema `properties` object as a list of [name, schema] pairs: the model
 * writes an object's members in that order, so it is part of the key (other key orders are not).
 */
function ordered(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => ordered(v));
  if (!isRecord(value)) return value;
  const entries = Object.entries(value).map(([k, v]) => [k, ordered(v, k)]);
  return key === "properties" ? entries : Object.fromEntries(entries);
}

/**
 * `ctx.state` key a layer outside `cache()` sets to `true` on a call that stores an answer it
 * already has (the edge app's streamed miss): its miss does not wait for an identical call in
 * flight.
 */
export const STORE_ONLY_STATE_KEY = "aoai-edge.chatStoreOnly";

/**
 * `ctx.state` key under which `cache()` leaves a deterministic chat call's cache key for the
 * layers inside it (the edge app's streamed lookup, which registers its completion with
 * {@link holdWriting} at its `[DONE]`).
 */
export const CHAT_KEY_STATE_KEY = "aoai-edge.chatKey";

/**
 * Serves `bytes` (a complete answer's JSON) as `key`'s completion being written, from now until
 * the returned function is called: its store work (hashing, the store read, the write) is async,
 * and an identical call meanwhile would miss. The store write itself registers its own bytes.
 */
export function holdWriting(key: string, bytes: Uint8Array): () => void {
  WRITING.set(key, bytes);
  return () => {
    if (WRITING.get(key) === bytes) WRITING.delete(key);
  };
}

/** True when a request is a non-streaming chat completion call. */
export function isChatCall(ctx: MiddlewareContext, url: URL): boolean {
  return ctx.request.method === "POST" && !ctx.stream &&
    (ctx.operation === "chat.completions.create" || /\/chat\/completions\/?$/.test(url.pathname));
}

/** The key of a deterministic chat request, or undefined when it must not be cached. */
export async function chatCacheKey(
  body: unknown,
  url: URL,
  apiVersion: string,
  namespace: string,
): Promise<string | undefined> {
  if (!isRecord(body) || body.stream === true) return undefined;
  // A seed past 2^53 may have been rounded by JSON.parse (keys are made of the parse): the
  // service, reading int64, tells apart seeds that would share its key.
  if (body.seed != null && !Number.isSafeInteger(body.seed)) return undefined;
  if (body.temperature !== 0 && body.seed == null) return undefined;
  const params: Json = {};
  for (const [k, v] of Object.entries(body)) {
    if (!IGNORED.has(k)) params[k] = SCHEMAS.has(k) ? ordered(v) : v;
  }
  const target = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  const version = url.searchParams.get("api-version") ?? apiVersion;
  return `aoai:chat:${await cacheKey(["aoai-edge/chat/1", namespace, target, version, params])}`;
}

/**
 * Serves a deterministic (temperature 0 or seeded) non-streaming chat completion from the cache;
 * a miss stores the JSON reply. A hit reports usage 0.
 */
export async function chatThroughCache(
  ctx: MiddlewareContext,
  next: () => Promise<Response>,
  url: URL,
  config: CacheConfig,
): Promise<Response> {
  const body = await readJsonBody(ctx);
  if (body === undefined) return next();
  const key = await chatCacheKey(body, url, ctx.apiVersion, config.namespace);
  if (!key) return next();
  ctx.state[CHAT_KEY_STATE_KEY] = key;
  // The store-only call's own completion is held as being written (see holdWriting): only the
  // store tells whether it is stored.
  const wait = ctx.state[STORE_ONLY_STATE_KEY] !== true;
  /** The answer another call is asking upstream for now, when it stores one. */
  const asked = () => wait && isPending(key) ? awaitPending([key], ctx.signal) : undefined;
  const written = () => wait ? WRITING.get(key) : undefined;
  // Taken before the read, which may answer from before a write that lands meanwhile: the answer
  // being written, and the one being asked for (whose write may be done before the read answers).
  const writing = written();
  const asking = asked();
  let [cached]: (Uint8Array | null | undefined)[] = await readMany(
    config.access,
    [key],
    ctx.signal,
  );
  cached ??= writing ?? written();
  // Claimed right after the read when no call is asking: no tick for an identical call to miss too.
  const pending = cached ? undefined : asking ?? asked();
  if (pending) [cached] = await pending;
  if (cached) {
    let reply: unknown;
    try {
      reply = JSON.parse(DECODER.decode(cached));
    } catch {
      reply = undefined;
    }
    // An entry that is not a complete answer (stored by an older version) is a miss.
    if (isComplete(reply, body as Json)) {
      // Usage 0, in the shape the miss had (prompt_tokens_details.cached_tokens and the like).
      if (isRecord(reply.usage)) {
        reply.usage = JSON.parse(
          JSON.stringify(
            { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, ...reply.usage },
            (_, v) => typeof v === "number" ? 0 : v,
          ),
        );
      }
      config.mark(ctx, "hit");
      return new Response(JSON.stringify(reply), {
        headers: { "content-type": "application/json", "x-aoai-cache": "hit" },
      });
    }
  }
  // Concurrent misses of this key wait for this call's answer (see `claim`).
  const release = claim([key]);
  let stored: Map<string, Uint8Array> | undefined;
  try {
    const response = await next();
    config.mark(ctx, "miss");
    if (!response.ok || !/json/i.test(response.headers.get("content-type") ?? "")) return response;
    const text = await readText(response);
    // Cut mid-way: the caller meets the failure as without a cache (nothing to store).
    if (typeof text !== "string") return text;
    let reply: unknown;
    try {
      reply = JSON.parse(text);
    } catch {
      reply = undefined;
    }
    // The service answers 200; another 2xx (a proxy's 203, a 206) is not its answer.
    if (response.status === 200 && isComplete(reply, body as Json)) {
      const bytes = ENCODER.encode(text);
      stored = new Map([[key, bytes]]);
      WRITING.set(key, bytes);
      await config.persist(
        ctx,
        writeMany(config.access, [[key, bytes]], config.ttlSeconds).then(() => {
          if (WRITING.get(key) === bytes) WRITING.delete(key);
        }),
      );
    }
    const headers = new Headers(response.headers);
    for (const name of STALE_HEADERS) headers.delete(name);
    headers.set("x-aoai-cache", "miss");
    return new Response(text, {
      status: response.status,
      statusText: response.statusText,
      headers,
    });
  } finally {
    release(stored);
  }
}
