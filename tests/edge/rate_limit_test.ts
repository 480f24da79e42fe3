import assert from "node:assert/strict";
import { clientIdOf, DenoKvRateLimiter, type RateLimiter } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, testApp } from "./_helpers.ts";

const CHAT = { messages: [{ role: "user", content: "hi" }] };
const OTHER = "other-client-key-2";

function chat(t: ReturnType<typeof testApp>, key = KEY): Promise<Response> {
  return t.call(azurePath("gpt-4o", "chat/completions"), {
    headers: { "api-key": key },
    json: CHAT,
  });
}

async function status(response: Promise<Response>): Promise<number> {
  const res = await response;
  await res.body?.cancel();
  return res.status;
}

Deno.test("two apps (two isolates) with DenoKvRateLimiter on one KV share one budget per key", async () => {
  using kv = await Deno.openKv(":memory:");
  const now = () => 30_000;
  const isolate = () =>
    testApp({
      clientKeys: [KEY, OTHER],
      rateLimit: { limiter: new DenoKvRateLimiter(kv, { requestsPerMinute: 2, now }) },
    });
  const a = isolate();
  const b = isolate();
  assert.equal(await status(chat(a)), 200);
  assert.equal(await status(chat(b)), 200);
  const limited = await chat(a);
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("retry-after"), "30");
  const error = await errorOf(limited);
  assert.equal(error.code, "429");
  assert.match(error.message, /more than 2 requests per minute.*retry after 30 seconds/);
  assert.equal(await status(chat(b)), 429);
  assert.equal(await status(chat(b, OTHER)), 200, "the other key has its own budget");
  assert.equal(a.upstream.length + b.upstream.length, 3, "refused requests never go upstream");
});

Deno.test("app asks the limiter with a stable hash of the matched key, never the key nor its index", async () => {
  const seen: string[] = [];
  const limiter: RateLimiter = {
    take(client) {
      seen.push(client);
      return { ok: true, retryAfterSeconds: 0 };
    },
  };
  const t = testApp({ clientKeys: [KEY, OTHER], rateLimit: { limiter } });
  assert.equal(await status(chat(t, OTHER)), 200);
  assert.equal(await status(chat(t)), 200);
  assert.equal(await status(chat(t, OTHER)), 200);
  assert.equal(await status(chat(t, "wrong-client-key-9")), 401);
  const [other, key] = [await clientIdOf(OTHER), await clientIdOf(KEY)];
  assert.deepEqual(seen, [other, key, other], "unauthenticated requests are not counted");
  for (const id of seen) assert.match(id, /^[0-9a-f]{32}$/);
  assert.notEqual(other, key);
});

Deno.test("a client keeps its own Deno KV bucket when the keys are reordered or one is removed", async () => {
  // One KV shared by deployments (or a redeploy) listing the keys in different orders.
  using kv = await Deno.openKv(":memory:");
  const now = () => 30_000;
  const deployment = (clientKeys: string[]) =>
    testApp({
      clientKeys,
      rateLimit: { limiter: new DenoKvRateLimiter(kv, { requestsPerMinute: 1, now }) },
    });
  const THIRD = "third-client-key-3";
  assert.equal(await status(chat(deployment([KEY, OTHER, THIRD]))), 200, "KEY spends its budget");
  const reordered = deployment([OTHER, KEY, THIRD]);
  assert.equal(await status(chat(reordered, OTHER)), 200, "OTHER does not get KEY's spent bucket");
  assert.equal(await status(chat(reordered)), 429, "KEY keeps its spent bucket");
  assert.equal(await status(chat(reordered, OTHER)), 429, "OTHER's own bucket is spent now");
  // KEY removed: THIRD moves up to its position and must not inherit its bucket.
  const rotated = deployment([THIRD, OTHER]);
  assert.equal(await status(chat(rotated, THIRD)), 200, "THIRD has a fresh bucket of its own");
  assert.equal(await status(chat(rotated, THIRD)), 429);
});

Deno.test("the Deno KV rate limit entries hold no client key, only the keys' hashed ids", async () => {
  using kv = await Deno.openKv(":memory:");
  const keys = [KEY, OTHER];
  const t = testApp({
    clientKeys: keys,
    rateLimit: { limiter: new DenoKvRateLimiter(kv, { requestsPerMinute: 5, now: () => 0 }) },
  });
  for (const key of keys) assert.equal(await status(chat(t, key)), 200);
  const entries = await Array.fromAsync(kv.list({ prefix: [] }));
  assert.equal(entries.length, 2);
  const dump = JSON.stringify(entries.map((e) => [e.key, e.value]));
  for (const key of keys) {
    for (let i = 0; i + 6 <= key.length; i++) {
      assert.ok(!dump.includes(key.slice(i, i + 6)), `a piece of ${key} in ${dump}`);
    }
  }
  const ids = entries.map((e) => e.key.at(-1)).sort();
  assert.deepEqual(ids, (await Promise.all(keys.map(clientIdOf))).sort());
  for (const entry of entries) assert.equal(entry.key[0], "aoai-edge-rate");
});

Deno.test("clientIdOf() is 32 hex characters, stable, distinct per key and not the key's bare SHA-256", async () => {
  const id = await clientIdOf(KEY);
  assert.match(id, /^[0-9a-f]{32}$/);
  assert.equal(await clientIdOf(KEY), id);
  assert.notEqual(await clientIdOf(OTHER), id);
  const bare = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(KEY)));
  const bareHex = Array.from(bare, (b) => b.toString(16).padStart(2, "0")).join("");
  assert.ok(!bareHex.startsWith(id), "a domain prefix keeps it apart from other hashes of the key");
});

Deno.test("app answers a refusal of a limiter without a known limit with 429 and a whole retry-after", async () => {
  const limiter: RateLimiter = {
    take: () => Promise.resolve({ ok: false, retryAfterSeconds: 2.2 }),
  };
  const t = testApp({ rateLimit: { limiter } });
  const res = await chat(t);
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "3");
  assert.match((await errorOf(res)).message, /over its rate limit.*retry after 3 seconds/);
  assert.equal(t.upstream.length, 0);
});

Deno.test("app lets the request through and reports it through onError when Deno KV fails", async () => {
  const kv = await Deno.openKv(":memory:");
  const errors: string[] = [];
  const t = testApp({
    rateLimit: { limiter: new DenoKvRateLimiter(kv, { requestsPerMinute: 1 }) },
    onError: (message) => errors.push(message),
  });
  kv.close();
  assert.equal(await status(chat(t)), 200);
  assert.equal(await status(chat(t)), 200, "fail open: no limit while the KV is down");
  assert.equal(errors.length, 2);
  assert.match(errors[0], /^rate limiter failed, request let through: /);
  assert.ok(!errors.join("\n").includes(KEY), "the client key is never reported");
  assert.equal(t.upstream.length, 2);
});

Deno.test("app fails open when a limiter answers something that is not a decision", async () => {
  const errors: string[] = [];
  const t = testApp({
    rateLimit: { limiter: { take: () => undefined as never } },
    onError: (message) => errors.push(message),
  });
  assert.equal(await status(chat(t)), 200);
  assert.match(errors[0], /rate limiter failed.*boolean `ok`/);
});

Deno.test("createEdgeApp() throws a TypeError for a rateLimit it cannot use", () => {
  const limiter: RateLimiter = { take: () => ({ ok: true, retryAfterSeconds: 0 }) };
  assert.throws(
    () => testApp({ rateLimit: { requestsPerMinute: 5, limiter } }),
    /rateLimit.requestsPerMinute or rateLimit.limiter, not both/,
  );
  assert.throws(
    () => testApp({ rateLimit: { limiter: {} as RateLimiter } }),
    /rateLimit.limiter must have a take\(client\) method/,
  );
  for (const rpm of [0, Infinity, Number("abc")]) {
    assert.throws(
      () => testApp({ rateLimit: { requestsPerMinute: rpm } }),
      /rateLimit.requestsPerMinute must be a positive number$/,
    );
  }
  assert.throws(() => testApp({ rateLimit: {} }), /requestsPerMinute must be a positive number/);
});

Deno.test("app sends a whole-number retry-after for a limiter's infinite or huge wait", async () => {
  for (const retryAfterSeconds of [Infinity, 1e22]) {
    const t = testApp({
      rateLimit: { limiter: { take: () => ({ ok: false, retryAfterSeconds }) } },
    });
    const res = await chat(t);
    assert.equal(res.status, 429);
    const header = res.headers.get("retry-after") ?? "";
    assert.match(header, /^[1-9][0-9]*$/, `retry-after for ${retryAfterSeconds}: ${header}`);
    assert.match((await errorOf(res)).message, new RegExp(`retry after ${header} seconds`));
  }
});

Deno.test("app lets the request through when the limiter does not answer within rateLimit.timeoutMs", async () => {
  const errors: string[] = [];
  const t = testApp({
    rateLimit: { limiter: { take: () => new Promise(() => {}) }, timeoutMs: 5 },
    onError: (message) => errors.push(message),
  });
  assert.equal(await status(chat(t)), 200);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /rate limiter failed, request let through: .*no answer within 5 ms/);
  assert.equal(t.upstream.length, 1);
});

Deno.test("createEdgeApp() refuses a rateLimit.timeoutMs that is not a positive number", () => {
  for (const timeoutMs of [0, -1, Number.NaN, "5"]) {
    assert.throws(
      () => testApp({ rateLimit: { requestsPerMinute: 5, timeoutMs: timeoutMs as number } }),
      /rateLimit\.timeoutMs must be a positive number of milliseconds/,
    );
  }
});

Deno.test("app fails open even when its onError throws (a failing limiter and a failing cache)", async () => {
  const reported: string[] = [];
  const t = testApp({
    rateLimit: { limiter: { take: () => Promise.reject(new Error("KV down")) } },
    cache: {
      get: () => Promise.reject(new Error("cache down")),
      set: () => Promise.reject(new Error("cache down")),
      delete: () => Promise.resolve(),
    },
    onError: (message) => {
      reported.push(message);
      throw new Error("log pipe broken");
    },
  });
  assert.equal(await status(chat(t)), 200);
  const res = await t.call(azurePath("text-embedding-3-small", "embeddings"), {
    headers: { "api-key": KEY },
    json: { input: ["a", "b"] },
  });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).data.length, 2);
  assert.ok(reported.some((m) => /^rate limiter failed, request let through: KV down/.test(m)));
  assert.ok(reported.some((m) => /^cache store get failed/.test(m)));
});
