import assert from "node:assert/strict";
import { cache, type CacheOptions } from "./cache.ts";
import { compose } from "./compose.ts";
import { bytesToBase64, floatsToBytes } from "./_float32.ts";
import { CACHE_STATE_KEY } from "./_state.ts";
import { CallContext, type CallFields } from "./_replay.ts";
import type { MiddlewareContext } from "./types.ts";
import { MemoryCache } from "../cache/memory_cache.ts";
import type { CacheStore } from "../cache/types.ts";
import { makeContext } from "../../tests/middleware/_context.ts";

const BASE =
  "https://res.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21";

/** A vector that is not exactly representable in Float32 (so rounding matters). */
function vector(item: unknown, dims: number): number[] {
  const seed = [...JSON.stringify(item)].reduce((a, c) => a + c.charCodeAt(0), 0);
  return Array.from({ length: dims }, (_, j) => Math.sin(seed + j) * 0.123456789);
}

interface Upstream {
  inputs: unknown[][];
  bodies: Record<string, unknown>[];
  respond: (ctx: MiddlewareContext) => Promise<Response>;
}

/** A fake embeddings service; `floats` makes it answer float arrays whatever was asked. */
function upstream(opts: { floats?: boolean; status?: number; dims?: number } = {}): Upstream {
  const inputs: unknown[][] = [];
  const bodies: Record<string, unknown>[] = [];
  return {
    inputs,
    bodies,
    async respond(ctx) {
      const body = await ctx.request.json();
      bodies.push(body);
      if (opts.status) {
        return Response.json({ error: { code: "x", message: "no" } }, { status: opts.status });
      }
      const list: unknown[] = typeof body.input === "string" ||
          (Array.isArray(body.input) && typeof body.input[0] === "number")
        ? [body.input]
        : body.input;
      inputs.push(list);
      const dims = body.dimensions ?? opts.dims ?? 4;
      const data = list.map((item, index) => {
        const v = vector(item, dims);
        return {
          object: "embedding",
          index,
          embedding: body.encoding_format === "base64" && !opts.floats
            ? bytesToBase64(floatsToBytes(v))
            : v,
        };
      }).reverse(); // the service does not promise order: merge must go by index
      const tokens = list.length * 3;
      return Response.json(
        {
          object: "list",
          data,
          model: "text-embedding-3-small",
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        },
        { headers: { "apim-request-id": "up-1" } },
      );
    },
  };
}

function embeddingsRequest(body: Record<string, unknown>, url = BASE, headers = {}): Request {
  return new Request(url, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...headers },
  });
}

async function call(
  options: CacheOptions,
  up: Upstream,
  request: Request,
  extra: Partial<MiddlewareContext> = {},
) {
  const ctx = makeContext({ operation: "embeddings.create", deployment: "emb", request, ...extra });
  const res = await compose([cache(options)], up.respond)(ctx);
  return { res, ctx, json: await res.clone().json() };
}

const f32 = (xs: number[]) => Array.from(new Float32Array(xs));

Deno.test("cache() misses then hits with bit-for-bit the same float vectors and usage 0", async () => {
  const store = new MemoryCache();
  const up = upstream();
  const body = { input: ["alpha", "beta"], encoding_format: "float" };
  const miss = await call({ store }, up, embeddingsRequest(body));
  assert.equal(miss.res.headers.get("x-aoai-cache"), "miss");
  assert.equal(miss.ctx.state[CACHE_STATE_KEY], "miss");
  assert.equal(miss.res.headers.get("apim-request-id"), "up-1");
  assert.deepEqual(miss.json.data[0].embedding, f32(vector("alpha", 4)));
  assert.deepEqual(miss.json.usage, { prompt_tokens: 6, total_tokens: 6 });
  const hit = await call({ store }, up, embeddingsRequest(body));
  assert.equal(hit.res.headers.get("x-aoai-cache"), "hit");
  assert.equal(up.inputs.length, 1, "the hit did not go upstream");
  assert.equal(JSON.stringify(hit.json.data), JSON.stringify(miss.json.data));
  assert.deepEqual(hit.json.usage, { prompt_tokens: 0, total_tokens: 0 });
  assert.equal(hit.json.model, "text-embedding-3-small");
  assert.equal(hit.json.object, "list");
});

Deno.test("cache() asks upstream for base64 and answers float when the caller asked nothing", async () => {
  const up = upstream();
  const { json } = await call({ store: new MemoryCache() }, up, embeddingsRequest({ input: "x" }));
  assert.equal(up.bodies[0].encoding_format, "base64");
  assert.ok(Array.isArray(json.data[0].embedding));
  assert.deepEqual(json.data[0].embedding, f32(vector("x", 4)));
});

Deno.test("cache() answers base64 as asked, identical on miss and hit", async () => {
  const store = new MemoryCache();
  const up = upstream();
  const body = { input: ["a", "b"], encoding_format: "base64", dimensions: 8 };
  const miss = await call({ store }, up, embeddingsRequest(body));
  const hit = await call({ store }, up, embeddingsRequest(body));
  assert.equal(typeof miss.json.data[1].embedding, "string");
  assert.equal(miss.json.data[1].embedding, bytesToBase64(floatsToBytes(vector("b", 8))));
  assert.equal(JSON.stringify(hit.json.data), JSON.stringify(miss.json.data));
});

Deno.test("cache() decodes float answers from upstream and rounds them through Float32", async () => {
  const store = new MemoryCache();
  const up = upstream({ floats: true });
  const body = { input: ["a"], encoding_format: "float" };
  const miss = await call({ store }, up, embeddingsRequest(body));
  assert.deepEqual(miss.json.data[0].embedding, f32(vector("a", 4)));
  assert.notDeepEqual(miss.json.data[0].embedding, vector("a", 4), "values were rounded");
  const asBase64 = await call(
    { store },
    up,
    embeddingsRequest({ ...body, encoding_format: "base64" }),
  );
  assert.equal(asBase64.res.headers.get("x-aoai-cache"), "hit");
  assert.equal(asBase64.json.data[0].embedding, bytesToBase64(floatsToBytes(vector("a", 4))));
});

Deno.test("cache() sends only the missing inputs of a partial batch and keeps order and usage", async () => {
  const store = new MemoryCache();
  const up = upstream();
  await call({ store }, up, embeddingsRequest({ input: ["b", "d", "e"] }));
  const { res, json } = await call(
    { store },
    up,
    embeddingsRequest({ input: ["a", "b", "c", "d", "e"] }),
  );
  assert.deepEqual(up.inputs[1], ["a", "c"]);
  assert.equal(res.headers.get("x-aoai-cache"), "partial");
  assert.deepEqual(json.data.map((d: { index: number }) => d.index), [0, 1, 2, 3, 4]);
  for (const [i, item] of ["a", "b", "c", "d", "e"].entries()) {
    assert.deepEqual(json.data[i].embedding, f32(vector(item, 4)), `item ${item}`);
  }
  assert.deepEqual(json.usage, { prompt_tokens: 6, total_tokens: 6 }, "usage of the upstream part");
});

Deno.test("cache() sends a repeated input upstream once and answers it at every index", async () => {
  const up = upstream();
  const { json } = await call(
    { store: new MemoryCache() },
    up,
    embeddingsRequest({ input: ["x", "y", "x"] }),
  );
  assert.deepEqual(up.inputs[0], ["x", "y"]);
  assert.equal(json.data.length, 3);
  assert.deepEqual(json.data[2].embedding, json.data[0].embedding);
  assert.equal(json.data[2].index, 2);
});

Deno.test("cache() keys do not depend on param key order, api-version, user or api key", async () => {
  const store = new MemoryCache();
  const up = upstream();
  await call(
    { store },
    up,
    embeddingsRequest({ input: ["q"], dimensions: 8, input_type: "query", user: "u1" }, BASE, {
      "api-key": "key-one-123",
    }),
  );
  const other = BASE.replace("2024-10-21", "2024-06-01");
  const again = await call(
    { store },
    up,
    embeddingsRequest({ user: "u2", input_type: "query", dimensions: 8, input: ["q"] }, other, {
      "api-key": "key-two-456",
    }),
  );
  assert.equal(again.res.headers.get("x-aoai-cache"), "hit");
  assert.equal(up.inputs.length, 1);
});

Deno.test("cache() keys depend on dimensions, input_type and the deployment", async () => {
  const store = new MemoryCache();
  const up = upstream();
  await call({ store }, up, embeddingsRequest({ input: ["q"], dimensions: 8 }));
  const variants = [
    embeddingsRequest({ input: ["q"], dimensions: 16 }),
    embeddingsRequest({ input: ["q"], dimensions: 8, input_type: "document" }),
    embeddingsRequest({ input: ["q"], dimensions: 8 }, BASE.replace("/emb/", "/emb2/")),
    embeddingsRequest({ input: [[1, 2]], dimensions: 8 }),
  ];
  for (const request of variants) {
    const { res } = await call({ store }, up, request);
    assert.equal(res.headers.get("x-aoai-cache"), "miss", request.url);
  }
  assert.equal(up.inputs.length, 5);
});

Deno.test("cache() uses the body model in keys on the v1 API", async () => {
  const store = new MemoryCache();
  const up = upstream();
  const v1 = "https://res.openai.azure.com/openai/v1/embeddings";
  await call({ store }, up, embeddingsRequest({ model: "emb-a", input: "t" }, v1), {
    deployment: undefined,
    apiVersion: "v1",
  });
  const b = await call({ store }, up, embeddingsRequest({ model: "emb-b", input: "t" }, v1));
  const a = await call({ store }, up, embeddingsRequest({ model: "emb-a", input: "t" }, v1));
  assert.equal(b.res.headers.get("x-aoai-cache"), "miss");
  assert.equal(a.res.headers.get("x-aoai-cache"), "hit");
});

Deno.test("cache() keeps the body model in keys on the v1 API behind a path with /deployments/", async () => {
  const store = new MemoryCache();
  const up = upstream();
  // A gateway whose own path holds "/deployments/": the model is still only in the body.
  const v1 = "https://apim.example.com/aoai/deployments/prod/openai/v1/embeddings";
  const context = { deployment: undefined, apiVersion: "v1" };
  await call({ store }, up, embeddingsRequest({ model: "emb-a", input: "t" }, v1), context);
  const b = await call(
    { store },
    up,
    embeddingsRequest({ model: "emb-b", input: "t" }, v1),
    context,
  );
  assert.equal(b.res.headers.get("x-aoai-cache"), "miss", "emb-b is not served emb-a's vector");
  assert.equal(up.inputs.length, 2);
});

Deno.test("cache() caches a single token-array input as one item", async () => {
  const store = new MemoryCache();
  const up = upstream();
  await call({ store }, up, embeddingsRequest({ input: [5, 6, 7] }));
  assert.deepEqual(up.inputs[0], [[5, 6, 7]]);
  const hit = await call({ store }, up, embeddingsRequest({ input: [[5, 6, 7]] }));
  assert.equal(hit.res.headers.get("x-aoai-cache"), "hit");
  assert.equal(hit.json.data.length, 1);
});

/** A store whose every method throws, synchronously or by rejecting. */
function brokenStore(sync: boolean): CacheStore {
  const fail = () => {
    if (sync) throw new Error("store down");
    return Promise.reject(new Error("store down"));
  };
  return { get: fail, getMany: fail, set: fail, delete: fail } as unknown as CacheStore;
}

for (const sync of [true, false]) {
  Deno.test(`cache() still answers correctly when every store method ${sync ? "throws" : "rejects"}`, async () => {
    const up = upstream();
    const errors: string[] = [];
    const options = {
      store: brokenStore(sync),
      onStoreError: (_: unknown, op: string) => errors.push(op),
    };
    for (let i = 0; i < 2; i++) {
      const { res, json } = await call(options, up, embeddingsRequest({ input: ["a", "b"] }));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("x-aoai-cache"), "miss");
      assert.deepEqual(json.data[1].embedding, f32(vector("b", 4)));
    }
    assert.equal(up.inputs.length, 2);
    assert.ok(errors.includes("get") && errors.includes("set"));
  });
}

Deno.test("cache() treats a store that does not answer in time as a miss", async () => {
  const never = () => new Promise<never>(() => {});
  const store = { get: never, set: never, delete: never } as unknown as CacheStore;
  const up = upstream();
  const { res } = await call({ store, storeTimeoutMs: 5 }, up, embeddingsRequest({ input: "a" }));
  assert.equal(res.headers.get("x-aoai-cache"), "miss");
  assert.equal(res.status, 200);
});

for (const storeTimeoutMs of [Infinity, 2 ** 31]) {
  Deno.test(`cache() with storeTimeoutMs ${storeTimeoutMs} waits for a store that answers after a macrotask`, async () => {
    const memory = new MemoryCache();
    // A remote store: every answer comes on a later timer turn.
    const later = () => new Promise((r) => setTimeout(r, 5));
    const store: CacheStore = {
      get: (k) => later().then(() => memory.get(k)),
      getMany: (ks) => later().then(() => memory.getMany(ks)),
      set: (k, v, o) => later().then(() => memory.set(k, v, o)),
      delete: (k) => memory.delete(k),
    };
    const errors: unknown[] = [];
    const options = { store, storeTimeoutMs, onStoreError: (e: unknown) => errors.push(e) };
    const up = upstream();
    await call(options, up, embeddingsRequest({ input: "a" }));
    const { res } = await call(options, up, embeddingsRequest({ input: "a" }));
    assert.deepEqual(errors, []);
    assert.equal(res.headers.get("x-aoai-cache"), "hit");
  });
}

Deno.test("cache() ignores stored values that are not Float32 vectors", async () => {
  const store = new MemoryCache();
  const up = upstream();
  await call({ store }, up, embeddingsRequest({ input: "a" }));
  const keys: string[] = [];
  const spy: CacheStore = {
    get: (k) => store.get(k),
    getMany: (ks) => {
      keys.push(...ks);
      return Promise.resolve(ks.map(() => new Uint8Array([1, 2, 3])));
    },
    set: (k, v, o) => store.set(k, v, o),
    delete: (k) => store.delete(k),
  };
  const { res } = await call({ store: spy }, up, embeddingsRequest({ input: "a" }));
  assert.equal(res.headers.get("x-aoai-cache"), "miss");
});

Deno.test("cache() never caches an error response and returns it untouched", async () => {
  const store = new MemoryCache();
  const up = upstream({ status: 429 });
  for (let i = 0; i < 2; i++) {
    const { res, json } = await call({ store }, up, embeddingsRequest({ input: "a" }));
    assert.equal(res.status, 429);
    assert.equal(json.error.code, "x");
    assert.equal(res.headers.get("x-aoai-cache"), null);
  }
  assert.equal(up.bodies.length, 2);
  assert.equal(store.size, 0);
});

Deno.test("cache() passes through requests it cannot parse", async () => {
  const up = upstream();
  const request = new Request(BASE, { method: "POST", body: "not json" });
  let reached = 0;
  const res = await compose([cache({ store: new MemoryCache() })], () => {
    reached++;
    return Promise.resolve(new Response("raw"));
  })(makeContext({ operation: "embeddings.create", request }));
  assert.equal(await res.text(), "raw");
  assert.equal(reached, 1);
  assert.equal(up.inputs.length, 0);
});

Deno.test("cache() hands writes to waitUntil and answers before they finish", async () => {
  const inner = new MemoryCache();
  let release!: () => void;
  const gate = new Promise<void>((r) => release = r);
  const store: CacheStore = {
    get: (k) => inner.get(k),
    async set(k, v, o) {
      await gate;
      await inner.set(k, v, o);
    },
    delete: (k) => inner.delete(k),
  };
  const handed: Promise<unknown>[] = [];
  const perCall: Promise<unknown>[] = [];
  const up = upstream();
  const options = { store, waitUntil: (p: Promise<unknown>) => handed.push(p) };
  const first = await call(options, up, embeddingsRequest({ input: "a" }));
  assert.equal(first.res.headers.get("x-aoai-cache"), "miss");
  assert.equal(handed.length, 1, "writes went to waitUntil");
  assert.equal(inner.size, 0, "the response came before the write finished");
  // A per-call ctx.state.waitUntil wins over the option.
  await call(options, up, embeddingsRequest({ input: "b" }), {
    state: { waitUntil: (p: Promise<unknown>) => perCall.push(p) },
  });
  assert.equal(perCall.length, 1);
  assert.equal(handed.length, 1);
  release();
  await Promise.all([...handed, ...perCall]);
  const hit = await call(options, up, embeddingsRequest({ input: ["a", "b"] }));
  assert.equal(hit.res.headers.get("x-aoai-cache"), "hit");
});

Deno.test("cache() stores keys that are hashes, never the input or a secret", async () => {
  const inner = new MemoryCache();
  const keys: string[] = [];
  const store: CacheStore = {
    get: (k) => (keys.push(k), inner.get(k)),
    set: (k, v, o) => (keys.push(k), inner.set(k, v, o)),
    delete: (k) => inner.delete(k),
  };
  await call(
    { store, namespace: "tenant-1" },
    upstream(),
    embeddingsRequest({ input: "secret text" }, BASE, { "api-key": "sk-live-123" }),
  );
  assert.ok(keys.length > 0);
  for (const key of keys) assert.match(key, /^aoai:emb(-model)?:[0-9a-f]{64}$/);
});

Deno.test("cache() separates namespaces", async () => {
  const store = new MemoryCache();
  const up = upstream();
  await call({ store, namespace: "a" }, up, embeddingsRequest({ input: "x" }));
  const other = await call({ store, namespace: "b" }, up, embeddingsRequest({ input: "x" }));
  assert.equal(other.res.headers.get("x-aoai-cache"), "miss");
});

Deno.test("cache() throws a TypeError without a usable store", () => {
  assert.throws(() => cache({} as CacheOptions), /pass \{ store \}/);
  assert.throws(() => cache({ store: {} as CacheStore }), /must implement get/);
  assert.throws(() => cache({ store: new MemoryCache(), ttlSeconds: -1 }), /ttlSeconds/);
});

Deno.test("cache() reads the client's request body without building the request", async () => {
  const body = JSON.stringify({ input: ["a"] });
  const { request, ...fields } = makeContext({ operation: "embeddings.create" });
  const ctx = new CallContext({
    url: embeddingsRequest(JSON.parse(body)).url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  }, { ...fields, state: {} } as CallFields);
  void request;
  const inputs: unknown[] = [];
  let sentBody = "";
  await compose([cache({ store: new MemoryCache() })], async (c) => {
    sentBody = await c.request.text();
    inputs.push(JSON.parse(sentBody).input);
    return Response.json({
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [1, 0] }],
      model: "m",
      usage: { prompt_tokens: 1, total_tokens: 1 },
    });
  })(ctx);
  assert.deepEqual(inputs, [["a"]]);
  assert.equal(ctx.parts.body, body, "the parts' body is the one sent, never a stream");
});

Deno.test("cache() leaves a non-JSON body alone", async () => {
  let seen = "";
  const form = new FormData();
  form.set("input", "a");
  const request = new Request(BASE, { method: "POST", body: form });
  await compose([cache({ store: new MemoryCache() })], async (ctx) => {
    seen = (await ctx.request.formData()).get("input") as string;
    return new Response("ok");
  })(makeContext({ operation: "embeddings.create", request }));
  assert.equal(seen, "a");
});

Deno.test("cache() counts both upstream calls in usage when cached vectors have another size", async () => {
  const store = new MemoryCache();
  await call({ store }, upstream({ dims: 4 }), embeddingsRequest({ input: ["a"] }));
  const up = upstream({ dims: 8 });
  const { res, json } = await call({ store }, up, embeddingsRequest({ input: ["a", "b"] }));
  assert.deepEqual(up.inputs, [["b"], ["a", "b"]], "the whole batch was fetched again");
  assert.equal(res.headers.get("x-aoai-cache"), "miss");
  assert.deepEqual(json.data[0].embedding, f32(vector("a", 8)));
  assert.deepEqual(json.usage, { prompt_tokens: 9, total_tokens: 9 }, "3 + 6 tokens");
});

/** Answers that a 200 to the missing-only request may carry and that do not answer it. */
const ODD_ANSWERS: [string, (inputs: unknown[]) => Response][] = [
  ["unparseable", () => new Response("<html>gateway</html>", { status: 200 })],
  ["too short", () =>
    Response.json({
      object: "list",
      data: [],
      model: "m",
      usage: { prompt_tokens: 2, total_tokens: 2 },
    })],
  ["repeated index", (inputs) =>
    Response.json({
      object: "list",
      data: inputs.map(() => ({ object: "embedding", index: 0, embedding: [0.5, 0.25] })),
      model: "m",
      usage: { prompt_tokens: 2, total_tokens: 2 },
    })],
];

for (const [name, odd] of ODD_ANSWERS) {
  Deno.test(`cache() answers the caller's whole batch when the partial answer is odd (${name})`, async () => {
    const store = new MemoryCache();
    const up = upstream();
    await call({ store }, up, embeddingsRequest({ input: ["a", "c"] }));
    let calls = 0;
    const flaky: Upstream = {
      ...up,
      async respond(ctx) {
        if (calls++ > 0) return up.respond(ctx);
        const body = await ctx.request.clone().json();
        up.bodies.push(body);
        return odd(body.input);
      },
    };
    const caller = { input: ["a", "b", "c", "d"], encoding_format: "float", user: "u" };
    const { res, json } = await call({ store }, flaky, embeddingsRequest(caller));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-aoai-cache"), "miss");
    assert.deepEqual(up.bodies[1].input, ["b", "d"], "the missing-only request");
    assert.deepEqual(up.bodies[2], caller, "then the caller's own request, as sent");
    assert.equal(json.data.length, 4);
    for (const [i, item] of caller.input.entries()) {
      assert.equal(json.data.find((d: { index: number }) => d.index === i).embedding.length, 4);
      assert.deepEqual(
        json.data.find((d: { index: number }) => d.index === i).embedding,
        vector(item, 4),
        `item ${item}`,
      );
    }
    const oddTokens = name === "unparseable" ? 0 : 2;
    assert.equal(json.usage.prompt_tokens, 12 + oddTokens, "every upstream call counts");
  });
}

Deno.test("cache() returns an odd answer to the caller's own request as is, without asking again", async () => {
  let calls = 0;
  const res = await compose([cache({ store: new MemoryCache() })], () => {
    calls++;
    return Promise.resolve(new Response("<html>gateway</html>", { status: 200 }));
  })(
    makeContext({
      operation: "embeddings.create",
      request: embeddingsRequest({ input: ["a", "b"], encoding_format: "base64" }),
    }),
  );
  assert.equal(calls, 1);
  assert.equal(await res.text(), "<html>gateway</html>");
  assert.equal(res.headers.get("x-aoai-cache"), "miss");
});

Deno.test("cache() does not send encoding_format on api-versions whose spec lacks it (2024-02-01)", async () => {
  const store = new MemoryCache();
  const up = upstream();
  const old = BASE.replace("2024-10-21", "2024-02-01");
  const miss = await call({ store }, up, embeddingsRequest({ input: ["a", "b"] }, old));
  assert.deepEqual(up.bodies[0], { input: ["a", "b"] }, "what the caller sent");
  assert.equal(miss.res.headers.get("x-aoai-cache"), "miss");
  assert.deepEqual(miss.json.data[1].embedding, f32(vector("b", 4)), "rounded through Float32");
  const partial = await call({ store }, up, embeddingsRequest({ input: ["b", "c"] }, old));
  assert.deepEqual(up.bodies[1], { input: ["c"] });
  assert.equal(partial.res.headers.get("x-aoai-cache"), "partial");
  const hit = await call({ store }, up, embeddingsRequest({ input: ["a", "b"] }, old));
  assert.equal(hit.res.headers.get("x-aoai-cache"), "hit");
  assert.equal(JSON.stringify(hit.json.data), JSON.stringify(miss.json.data), "bit for bit");
  // Entries are shared with newer api-versions, which ask for base64.
  const newer = await call({ store }, up, embeddingsRequest({ input: ["c", "d"] }));
  assert.equal(newer.res.headers.get("x-aoai-cache"), "partial");
  assert.equal(up.bodies[2].encoding_format, "base64");
  assert.deepEqual(newer.json.data[0].embedding, partial.json.data[1].embedding);
});

for (const version of ["2024-05-01-preview", "2024-10-21", "preview"]) {
  Deno.test(`cache() asks for base64 on api-version ${version}, whose spec defines encoding_format`, async () => {
    const up = upstream();
    const url = BASE.replace("2024-10-21", version);
    await call({ store: new MemoryCache() }, up, embeddingsRequest({ input: "x" }, url));
    assert.equal(up.bodies[0].encoding_format, "base64");
  });
}

Deno.test("cache() takes the api-version from the context when the url has none", async () => {
  const up = upstream();
  await call(
    { store: new MemoryCache() },
    up,
    embeddingsRequest({ input: "x" }, BASE.replace("?api-version=2024-10-21", "")),
    { apiVersion: "2024-02-01" },
  );
  assert.equal(up.bodies[0].encoding_format, undefined);
});

Deno.test("cache() writes an embeddings model key once, also where reads do not see writes yet", async () => {
  // Workers KV is eventually consistent and takes one write per key and second: a store whose
  // reads never see the writes stands in for the window before they show.
  const writes: string[] = [];
  const store: CacheStore = {
    get: () => Promise.resolve(null),
    set: (key) => {
      writes.push(key);
      return Promise.resolve();
    },
    delete: () => Promise.resolve(),
  };
  const up = upstream();
  for (const input of ["one", "two", "three"]) {
    const { res } = await call({ store }, up, embeddingsRequest({ input }));
    assert.equal(res.headers.get("x-aoai-cache"), "miss");
  }
  assert.equal(writes.filter((k) => k.startsWith("aoai:emb-model:")).length, 1);
  assert.equal(writes.filter((k) => k.startsWith("aoai:emb:")).length, 3);
});

Deno.test("cache() writes an embeddings model key again on a later miss when its write failed", async () => {
  const memory = new MemoryCache();
  let failModelWrite = true;
  const store: CacheStore = {
    get: (key) => memory.get(key),
    set: (key, value, options) => {
      if (key.startsWith("aoai:emb-model:") && failModelWrite) {
        failModelWrite = false;
        return Promise.reject(new Error("429 too many writes"));
      }
      return memory.set(key, value, options);
    },
    delete: (key) => memory.delete(key),
  };
  const up = upstream();
  await call({ store, onStoreError: () => {} }, up, embeddingsRequest({ input: "one" }));
  await call({ store }, up, embeddingsRequest({ input: "two" }));
  const hit = await call({ store }, up, embeddingsRequest({ input: "one" }));
  assert.equal(hit.res.headers.get("x-aoai-cache"), "hit");
  assert.equal(hit.json.model, "text-embedding-3-small");
});

Deno.test("cache() answers a 400 to its rewritten request with the answer to the caller's own", async () => {
  const store = new MemoryCache();
  const bodies: Record<string, unknown>[] = [];
  // Refuses base64 (as an api-version without encoding_format might) and names input indexes.
  const respond = async (ctx: MiddlewareContext) => {
    const body = await ctx.request.json();
    bodies.push(body);
    if (body.encoding_format === "base64") {
      return Response.json({ error: { code: "unknown_parameter", message: "encoding_format" } }, {
        status: 400,
      });
    }
    if (Array.isArray(body.input) && body.input.includes("bad")) {
      const at = body.input.indexOf("bad");
      return Response.json({ error: { code: "invalid", message: `input[${at}] is bad` } }, {
        status: 400,
      });
    }
    const list: unknown[] = Array.isArray(body.input) ? body.input : [body.input];
    return Response.json({
      object: "list",
      data: list.map((item, index) => ({ object: "embedding", index, embedding: vector(item, 4) })),
      model: "m",
      usage: { prompt_tokens: list.length, total_tokens: list.length },
    });
  };
  // The caller asked nothing: cache() asks for base64, is refused, sends the caller's own body.
  const ok = await call(
    { store },
    { inputs: [], bodies: [], respond },
    embeddingsRequest({
      input: ["a", "b"],
    }),
  );
  assert.equal(ok.res.status, 200);
  assert.equal(ok.res.headers.get("x-aoai-cache"), "miss");
  assert.equal(ok.json.data.length, 2);
  assert.deepEqual(bodies.map((b) => b.encoding_format), ["base64", undefined]);
});

Deno.test("cache() answers a 400 to the missing inputs with the caller's own batch, so indexes match", async () => {
  const store = new MemoryCache();
  const up = upstream();
  const respond = async (ctx: MiddlewareContext) => {
    const body = await ctx.request.clone().json();
    if (Array.isArray(body.input) && body.input.includes("bad")) {
      up.bodies.push(body);
      const at = body.input.indexOf("bad");
      return Response.json({ error: { code: "invalid", message: `input[${at}] is bad` } }, {
        status: 400,
      });
    }
    return up.respond(ctx);
  };
  await call({ store }, up, embeddingsRequest({ input: ["x"], encoding_format: "float" }));
  up.bodies.length = 0;
  const bad = await call(
    { store },
    { ...up, respond },
    embeddingsRequest({ input: ["x", "y", "bad"], encoding_format: "float" }),
  );
  assert.equal(bad.res.status, 400);
  // The missing-only request named input[1]; the caller's own batch has it at index 2.
  assert.match(bad.json.error.message, /input\[2\] is bad/);
  assert.deepEqual(up.bodies.map((b) => (b.input as unknown[]).length), [2, 3]);
});

for (const op of ["embeddings", "chat"] as const) {
  Deno.test(`cache() stops waiting for a pending store read when the caller aborts (${op})`, async () => {
    // A store that answers only when told: without the abort the call waits for it.
    let answer!: () => void;
    let reading!: () => void;
    const read = new Promise<void>((resolve) => reading = resolve);
    const store = {
      get: () => {
        reading();
        return new Promise<null>((resolve) => answer = () => resolve(null));
      },
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
    } as unknown as CacheStore;
    const controller = new AbortController();
    const errors: unknown[] = [];
    const request = op === "chat"
      ? new Request("https://res.openai.azure.com/openai/deployments/d/chat/completions", {
        method: "POST",
        body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], temperature: 0 }),
        headers: { "content-type": "application/json" },
      })
      : embeddingsRequest({ input: "a" });
    const ctx = makeContext({
      operation: op === "chat" ? "chat.completions.create" : "embeddings.create",
      deployment: "d",
      request,
      signal: controller.signal,
    });
    const order: string[] = [];
    const run = compose(
      [cache({
        store,
        chat: true,
        storeTimeoutMs: Infinity,
        onStoreError: (err) => errors.push(err),
      })],
      // As fetch does: an aborted signal rejects at once.
      (ctx) => Promise.reject(ctx.signal?.reason),
    )(ctx).then(() => order.push("resolved"), () => order.push("rejected"));
    await read;
    controller.abort(new DOMException("stop", "AbortError"));
    // The store answers one macrotask later; the aborted call must not have waited for it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    order.push("store answers");
    answer();
    await run;
    assert.deepEqual(order, ["rejected", "store answers"]);
    assert.deepEqual(errors, [], "an abort is not a store failure");
  });
}
