import { cacheKey } from "./_cache_key.ts";
import {
  awaitPending,
  type CacheConfig,
  claim,
  isPending,
  readJsonText,
  readMany,
  readText,
  writeMany,
} from "./_cache_store.ts";
import { allFinite, base64ToBytes, bytesToBase64, floatsToBytes } from "./_float32.ts";
import { FloatJsonMemo } from "./_float_json_memo.ts";
import { takesEncodingFormat } from "../resources/_encoding_format.ts";
import { MAX_EMBEDDING_INPUTS } from "../resources/embeddings.ts";
import { SENT_PARAMS_STATE_KEY } from "./_state.ts";

/** JSON text of hot vectors (per isolate/process): 4 M characters (~4 MiB) at most. */
/** Per store: model keys this isolate has written, with the model (see `store` below). */
const MODELS_WRITTEN = new WeakMap<object, Map<string, { model: string; renewAt: number }>>();

const FLOAT_JSON = new FloatJsonMemo(4 * 1024 * 1024);
/**
 * Vectors this isolate is writing now (a write handed to `waitUntil` outlives its response), by
 * key: a call meanwhile is served them, rather than asking upstream and writing the key again
 * (Workers KV: one write a second per key).
 */
const WRITING = new Map<string, Uint8Array>();
import type { MiddlewareContext } from "./types.ts";

type Item = string | number[];
type Json = Record<string, unknown>;

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();
/** The fixed pieces of a response written from the cache. */
const OPEN = ENCODER.encode('{"object":"list","data":[');
const CLOSE = ENCODER.encode("}");

/** `parts` one after another in one new array. */
function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let size = 0;
  for (const part of parts) size += part.byteLength;
  const out = new Uint8Array(size);
  size = 0;
  for (const part of parts) out.set(part, (size += part.byteLength) - part.byteLength);
  return out;
}
/** Headers that no longer describe a body we rebuild. */
const STALE_HEADERS = ["content-length", "content-encoding", "transfer-encoding", "etag"];

/** JSON strings, skipped when looking for numbers. */
const STRINGS = /"[^"\\]*(?:\\.[^"\\]*)*"/g;
/** 16 digits in a row (spelt out: `\d{16}` scans token ids 4 times slower). */
const LONG_DIGITS = new RegExp("\\d".repeat(16));
/** A fraction or an exponent (outside strings: "true" and "false" have no digit after "e"). */
const FRACTION = /[.eE][-+\d]/;

/**
 * Whether JSON text holds, outside strings, a number JSON.parse may not keep as written: 16
 * digits or more (past Number.MAX_SAFE_INTEGER it is rounded), a fraction or an exponent.
 */
function mayRound(text: string): boolean {
  const found = (t: string) => LONG_DIGITS.test(t) || FRACTION.test(t);
  return found(text) && found(text.replace(STRINGS, '""'));
}

/**
 * A stored vector: its Float32 bytes, then the UTF-8 name of the model that made it and that
 * name's length (1 byte); undefined for a name longer than 255 bytes (not stored).
 */
export function vectorEntry(bytes: Uint8Array, model: string): Uint8Array | undefined {
  const name = ENCODER.encode(model);
  if (name.length > 255) return undefined;
  const entry = new Uint8Array(bytes.length + name.length + 1);
  entry.set(bytes);
  entry.set(name, bytes.length);
  entry[entry.length - 1] = name.length;
  return entry;
}

/** The vector bytes and model name of a stored entry (see `vectorEntry`), if it parses. */
function readEntry(entry: Uint8Array | null): [Uint8Array, string] | undefined {
  const end = entry ? entry.length - 1 - entry[entry.length - 1] : 0;
  return end > 0 ? [entry!.subarray(0, end), DECODER.decode(entry!.subarray(end, -1))] : undefined;
}

/** The model an answer names ("" when it names none). */
const modelOf = (model: unknown): string => typeof model === "string" ? model : "";

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The sum of two usage objects (member by member); either alone when the other is unknown. */
function addUsage(a: unknown, b: unknown): unknown {
  if (!isRecord(a)) return b;
  if (!isRecord(b)) return a;
  const sum: Json = { ...b };
  for (const [k, v] of Object.entries(a)) {
    if (typeof v === "number") sum[k] = typeof sum[k] === "number" ? (sum[k] as number) + v : v;
  }
  return sum;
}

/**
 * The input as a list of items, or undefined when it is not a shape we cache. Nor is one the
 * service refuses (more than 2,048 items, strings mixed with token arrays): cached, it would
 * succeed only while its items are.
 */
function itemsOf(input: unknown): Item[] | undefined {
  if (typeof input === "string") return input === "" ? undefined : [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  if (input.every((x) => typeof x === "number")) return [input as number[]];
  if (input.length > MAX_EMBEDDING_INPUTS) return undefined;
  const ok = typeof input[0] === "string"
    ? input.every((x) => typeof x === "string" && x !== "")
    : input.every((x) => Array.isArray(x) && x.length > 0 && x.every((t) => typeof t === "number"));
  return ok ? input as Item[] : undefined;
}

/** True when a request is an embeddings call this cache handles. */
export function isEmbeddingsCall(ctx: MiddlewareContext, url: URL): boolean {
  return ctx.request.method === "POST" && !ctx.stream &&
    (ctx.operation === "embeddings.create" || /\/embeddings\/?$/.test(url.pathname));
}

interface Upstream {
  /** Bytes per fetched key. */
  vectors: Map<string, Uint8Array>;
  model: unknown;
  usage: unknown;
  headers: Headers;
}

/**
 * Serves an embeddings request from the cache where it can, sending only the missing inputs
 * upstream. See `cache()` for the contract.
 */
export async function embeddingsThroughCache(
  ctx: MiddlewareContext,
  next: () => Promise<Response>,
  url: URL,
  config: CacheConfig,
): Promise<Response> {
  let text: string | undefined;
  let body: unknown;
  try {
    text = await readJsonText(ctx);
    // (No JSON text: parsing "undefined" throws.)
    body = JSON.parse(text as string);
  } catch {
    // unreadable or not JSON: as is
  }
  const original = ctx.request;
  // Keys are made of the parse and a miss sends a serialisation of it: such a number would be
  // changed, or two bodies differing in it share entries. Embeddings params need none.
  if (!isRecord(body) || mayRound(text as string)) return next();
  const items = itemsOf(body.input);
  const format = body.encoding_format ?? "float";
  if (!items || (format !== "float" && format !== "base64")) return next();
  // Specs before 2024-05-01 define neither encoding_format nor dimensions: the service ignores
  // dimensions there, so those vectors must not share keys with versions that honour it.
  const current = takesEncodingFormat(url.searchParams.get("api-version") ?? ctx.apiVersion);
  if (!current && body.dimensions != null) return next();

  // Vectors depend on the deployment (path) and params, not on api-version, user or format.
  const params: Json = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === "input" || k === "encoding_format" || k === "user") continue;
    // The path names the deployment (not a gateway path that merely holds "/deployments/").
    if (k === "model" && /\/deployments\/[^/]+\/embeddings\/?$/.test(url.pathname)) continue;
    params[k] = v;
  }
  const target = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  const { namespace } = config;
  const keys = await Promise.all(
    items.map(async (item) =>
      `aoai:emb:${await cacheKey(["aoai-edge/embeddings/2", namespace, target, params, item])}`
    ),
  );
  const modelKey = `aoai:emb-model:${await cacheKey([
    "aoai-edge/embeddings-model/1",
    namespace,
    target,
    params,
  ])}`;
  const bytesWanted = typeof body.dimensions === "number" ? body.dimensions * 4 : undefined;
  /** True for a whole vector: finite Float32 values, as many as `dimensions` asks. */
  const isVector = (bytes: Uint8Array) =>
    bytes.byteLength > 0 && bytes.byteLength % 4 === 0 && allFinite(bytes) &&
    (bytesWanted === undefined || bytes.byteLength === bytesWanted);
  /** The input of each key (a repeated input has one key). */
  const itemOf = new Map(keys.map((key, i) => [key, items[i]]));
  const unique = [...itemOf.keys()];
  /** Usage of upstream answers this request got that the response would not show. */
  let spent: unknown;
  /** Answers the caller with `res`, an answer to its own request, marked as a miss. */
  const uncached = async (res: Response): Promise<Response> => {
    config.mark(ctx, "miss");
    const headers = new Headers(res.headers);
    headers.set("x-aoai-cache", "miss");
    let out: BodyInit | null = res.body;
    if (spent !== undefined && res.ok) {
      const text = await readText(res);
      if (typeof text !== "string") return text;
      out = text;
      try {
        const parsed = JSON.parse(out);
        if (isRecord(parsed)) {
          parsed.usage = addUsage(spent, parsed.usage);
          out = JSON.stringify(parsed);
          for (const name of STALE_HEADERS) headers.delete(name);
        }
      } catch {
        // not JSON: as is
      }
    }
    return new Response(out, { status: res.status, statusText: res.statusText, headers });
  };
  if (unique.length > config.maxItems) {
    // More store operations than the platform allows one request: serve upstream, uncached.
    return uncached(await next());
  }
  // Entries being written, taken before the read: a write that lands while the store is read
  // leaves WRITING once done, and the read may answer from before it.
  const writing = unique.map((key) => WRITING.get(key));
  const [cachedModel, ...found] = await readMany(
    config.access,
    [modelKey, ...unique],
    ctx.signal,
  );
  unique.forEach((key, i) => found[i] ??= writing[i] ?? WRITING.get(key) ?? null);
  // Inputs another call is fetching now: wait for its vectors rather than ask for them again.
  const fetching = unique.flatMap((key, i) => !found[i] && isPending(key) ? [i] : []);
  if (fetching.length > 0) {
    const fetched = await awaitPending(fetching.map((i) => unique[i]), ctx.signal);
    fetching.forEach((i, j) => found[i] = fetched[j] ?? null);
  }
  const modelName = cachedModel ? DECODER.decode(cachedModel) : undefined;
  /**
   * The model of the vectors served: the one the deployment last answered with (its model key),
   * else the first hit's. A vector another model made (before the deployment was re-pointed) is
   * a miss: vectors of two models live in two spaces.
   */
  let hitModel = modelName;
  const hits = new Map<string, Uint8Array>();
  unique.forEach((key, i) => {
    const entry = readEntry(found[i]);
    // Entries may be cut or hold NaN/Infinity (served as null): misses.
    if (!entry || !isVector(entry[0])) return;
    hitModel ??= entry[1];
    if (entry[1] === hitModel) hits.set(key, entry[0]);
  });
  // Mixed vector sizes mean the deployment changed under the cache: trust nothing.
  if (new Set([...hits.values()].map((v) => v.byteLength)).size > 1) hits.clear();

  const respond = (vectors: Map<string, Uint8Array>, up: Upstream | undefined, status: string) => {
    // The JSON is written by hand: vectors go straight from Float32 bytes to text, without an
    // intermediate number[] per vector, and a float vector's text joins the body as the memo's
    // UTF-8 bytes, copied once into the body (megabytes of numbers are not encoded again per hit;
    // a Blob of the parts cost more: Deno copies each part in and reads it out again).
    const parts: Uint8Array[] = [];
    keys.forEach((key, index) => {
      const bytes = vectors.get(key) as Uint8Array;
      const head = `${index ? "," : ""}{"object":"embedding","index":${index},"embedding":`;
      if (format === "base64") parts.push(ENCODER.encode(`${head}"${bytesToBase64(bytes)}"}`));
      else parts.push(ENCODER.encode(head), FLOAT_JSON.json(key, bytes), CLOSE);
    });
    const headers = new Headers(up?.headers);
    for (const name of STALE_HEADERS) headers.delete(name);
    headers.set("content-type", "application/json");
    headers.set("x-aoai-cache", status);
    const model = up ? up.model : hitModel || (body.model ?? ctx.deployment ?? "");
    const usage = up ? up.usage : { prompt_tokens: 0, total_tokens: 0 };
    // No usage upstream: none here either (not `null`).
    const tail = `],"model":${JSON.stringify(model ?? null)}${
      usage === undefined ? "" : `,"usage":${JSON.stringify(usage)}`
    }}`;
    // (Status 200: an upstream answer is used only when it is 200.)
    return new Response(concat([OPEN, ...parts, ENCODER.encode(tail)]), { headers });
  };

  if (hits.size === unique.length) {
    config.mark(ctx, "hit");
    return respond(hits, undefined, "hit");
  }

  // Old api-versions (2024-02-01) do not define encoding_format: send what the caller sent.
  const sent: Json = current ? { ...body, encoding_format: "base64" } : { ...body };
  /**
   * Sends the `wanted` inputs upstream: their vectors, or an error response (as is), or, when a
   * 2xx does not answer the request, the answer to the caller's own request.
   */
  const send = (json: Json) => {
    ctx.state[SENT_PARAMS_STATE_KEY] = json;
    const headers = new Headers(original.headers);
    headers.delete("content-length");
    ctx.request = new Request(original.url, {
      method: original.method,
      headers,
      body: JSON.stringify(json),
      // The client's "manual": a followed redirect would take the key along.
      redirect: original.redirect,
    });
    return next();
  };
  const fetchMissing = async (wanted: string[]): Promise<Upstream | Response> => {
    const input = wanted.map((key) => itemOf.get(key));
    const response = await send({ ...sent, input });
    if (!response.ok) {
      // A 400 to another request than the caller's (fewer inputs, another format) would name
      // the wrong inputs, or refuse what the caller did not send: answer the caller's own.
      if (
        response.status !== 400 ||
        (wanted.length === items.length && sent.encoding_format === body.encoding_format)
      ) return response;
      await response.body?.cancel();
      return send(body).then(uncached);
    }
    const text = await readText(response);
    // Cut mid-way: the caller meets the failure as without a cache (nothing to store).
    if (typeof text !== "string") return text;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: no vectors
    }
    const data = isRecord(parsed) && Array.isArray(parsed.data) ? parsed.data : undefined;
    const rebuilt = () => {
      // The same inputs, and the same format or no vectors at all (an error object, a gateway's
      // page): this is the answer to the caller's own request.
      if (
        wanted.length === items.length && (sent.encoding_format === body.encoding_format || !data)
      ) {
        return uncached(
          new Response(text, {
            status: response.status,
            statusText: response.statusText,
            headers: response.headers,
          }),
        );
      }
      // Never hand the caller an answer to another request: send its own, uncached.
      spent = addUsage(spent, isRecord(parsed) ? parsed.usage : undefined);
      return send(body).then(uncached);
    };
    // The service answers 200; another 2xx (a proxy's 203, a 206) is not its answer.
    if (!data || data.length !== wanted.length || response.status !== 200) return rebuilt();
    const vectors = new Map<string, Uint8Array>();
    let size: number | undefined;
    for (const entry of data) {
      if (!isRecord(entry)) return rebuilt();
      const { index, embedding } = entry;
      if (typeof index !== "number" || !Number.isInteger(index) || index < 0) return rebuilt();
      if (index >= wanted.length) return rebuilt();
      let bytes: Uint8Array;
      try {
        if (typeof embedding === "string") bytes = base64ToBytes(embedding);
        else if (Array.isArray(embedding) && embedding.every((x) => typeof x === "number")) {
          bytes = floatsToBytes(embedding);
        } else return rebuilt();
      } catch {
        return rebuilt();
      }
      // Empty, not whole Float32 values, NaN/Infinity (JSON would turn them into null), or
      // another length than `dimensions` (base64 cut where it still decodes to whole floats).
      if (!isVector(bytes)) return rebuilt();
      if (size !== undefined && bytes.byteLength !== size) return rebuilt();
      size = bytes.byteLength;
      vectors.set(wanted[index], bytes);
    }
    if (vectors.size !== wanted.length) return rebuilt();
    return {
      vectors,
      // (`data` came from a record.)
      model: (parsed as Json).model,
      usage: (parsed as Json).usage,
      headers: response.headers,
    };
  };

  /** Entries this call stores, handed to concurrent misses waiting for them. */
  let stored: Map<string, Uint8Array> | undefined;
  const store = async (up: Upstream) => {
    const model = modelOf(up.model);
    stored = new Map();
    for (const [key, bytes] of up.vectors) {
      const entry = vectorEntry(bytes, model);
      if (entry) stored.set(key, entry);
    }
    const writes: [string, Uint8Array][] = [...stored];
    // Written once per isolate: on an eventually consistent store (Workers KV, one write per
    // key and second) every concurrent miss would rewrite it until a read sees it.
    // Rewritten after half its TTL, so a long-lived process renews it before it expires.
    const kv = config.access.store;
    let written = MODELS_WRITTEN.get(kv);
    if (!written) MODELS_WRITTEN.set(kv, written = new Map());
    const now = Date.now();
    const last = written.get(modelKey);
    if (
      typeof up.model === "string" && up.model !== modelName &&
      !(last?.model === up.model && now < last.renewAt)
    ) {
      writes.push([modelKey, ENCODER.encode(up.model)]);
      if (written.size >= 1_000) written.clear();
      written.set(modelKey, { model: up.model, renewAt: now + config.ttlSeconds * 500 });
    }
    const entries = stored;
    for (const [key, entry] of entries) WRITING.set(key, entry);
    await config.persist(
      ctx,
      writeMany(config.access, writes, config.ttlSeconds).then((failed) => {
        // Not written after all: a later miss tries again.
        if (failed.includes(modelKey)) written.delete(modelKey);
        for (const [key, entry] of entries) if (WRITING.get(key) === entry) WRITING.delete(key);
      }),
    );
  };

  const missing = unique.filter((key) => !hits.has(key));
  // Concurrent misses of these inputs wait for this call's vectors (see `pending`).
  const release = claim(missing);
  let up: Upstream | Response | undefined;
  try {
    up = await fetchMissing(missing);
    if (up instanceof Response) {
      ctx.request = original;
      config.mark(ctx, "miss");
      return up;
    }
    const size = [...up.vectors.values()][0].byteLength;
    const firstHit = hits.values().next();
    if (
      !firstHit.done && (firstHit.value.byteLength !== size || modelOf(up.model) !== hitModel)
    ) {
      // The cached vectors have another size than today's, or another model made them (the
      // deployment was re-pointed: same size, another vector space): fetch everything afresh.
      hits.clear();
      spent = up.usage;
      up = await fetchMissing(unique);
      if (up instanceof Response) {
        ctx.request = original;
        config.mark(ctx, "miss");
        return up;
      }
    }
    ctx.request = original;
    await store(up);
    const merged = new Map([...hits, ...up.vectors]);
    const status = hits.size > 0 ? "partial" : "miss";
    config.mark(ctx, status);
    return respond(merged, { ...up, usage: addUsage(spent, up.usage) }, status);
  } finally {
    release(stored);
  }
}
