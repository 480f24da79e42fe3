// The Workers entry point with a Rate Limiting binding. The binding here is a stand-in with the
// binding's shape (`limit({ key }) => Promise<{ success }>`); compat/tests/worker_ratelimit.test.mjs
// runs the real one in workerd (miniflare).
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import worker, { createWorkerApp, type WorkerEnv } from "../../edge/worker.ts";
import { clientIdOf, type WorkersRateLimitBinding } from "../../edge/mod.ts";

const CLIENT = "worker-client-key-1";
const SECOND = "worker-client-key-2";

/** A stand-in binding allowing `limit` requests per key, recording the keys it is asked. */
function fakeBinding(limit: number) {
  const keys: string[] = [];
  const binding: WorkersRateLimitBinding = {
    limit({ key }) {
      keys.push(key);
      return Promise.resolve({ success: keys.filter((k) => k === key).length <= limit });
    },
  };
  return { binding, keys };
}

async function withUpstream(run: (env: WorkerEnv) => Promise<void>): Promise<void> {
  const emulator = createEmulator({ apiKeys: ["azure-upstream-key"] });
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => emulator.fetch(request),
  );
  await run({
    AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${server.addr.port}`,
    AZURE_OPENAI_API_KEY: "azure-upstream-key",
    AOAI_EDGE_KEYS: `${CLIENT},${SECOND}`,
  });
}

function embed(key: string): Request {
  return new Request("https://w.example/v1/embeddings", {
    method: "POST",
    headers: { "api-key": key, "content-type": "application/json" },
    body: JSON.stringify({ model: "text-embedding-3-small", input: "x" }),
  });
}

async function send(app: { fetch(r: Request): Promise<Response> }, key = CLIENT) {
  const res = await app.fetch(embed(key));
  const body = await res.text();
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body };
}

Deno.test("createWorkerApp() limits each client key with the binding AOAI_EDGE_RATE_LIMITER names", async () => {
  await withUpstream(async (base) => {
    const { binding, keys } = fakeBinding(1);
    const app = createWorkerApp({ ...base, AOAI_EDGE_RATE_LIMITER: "LIMITER", LIMITER: binding });
    assert.equal((await send(app)).status, 200);
    const refused = await send(app);
    assert.equal(refused.status, 429);
    assert.equal(refused.retryAfter, "60", "the default period");
    assert.match(refused.body, /over its rate limit/);
    assert.equal((await send(app, SECOND)).status, 200);
    const [first, second] = [await clientIdOf(CLIENT), await clientIdOf(SECOND)];
    assert.deepEqual(
      keys,
      [`aoai-edge:${first}`, `aoai-edge:${first}`, `aoai-edge:${second}`],
      "the keys' hashed ids only",
    );
  });
});

Deno.test("createWorkerApp() sends AOAI_EDGE_RATE_LIMITER_PERIOD as retry-after", async () => {
  const { binding } = fakeBinding(0);
  const app = createWorkerApp({
    AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com",
    AZURE_OPENAI_API_KEY: "k",
    AOAI_EDGE_KEYS: CLIENT,
    AOAI_EDGE_RATE_LIMITER: "LIMITER",
    AOAI_EDGE_RATE_LIMITER_PERIOD: "10",
    LIMITER: binding,
  });
  const refused = await send(app);
  assert.equal(refused.status, 429);
  assert.equal(refused.retryAfter, "10");
});

Deno.test("createWorkerApp() lets requests through when the binding fails, and logs it", async () => {
  await withUpstream(async (base) => {
    const logged: unknown[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => logged.push(args.join(" "));
    try {
      const app = createWorkerApp({
        ...base,
        AOAI_EDGE_RATE_LIMITER: "LIMITER",
        LIMITER: { limit: () => Promise.reject(new Error("binding unavailable")) },
      });
      assert.equal((await send(app)).status, 200);
    } finally {
      console.error = error;
    }
    assert.deepEqual(logged, [
      "aoai-edge: rate limiter failed, request let through: binding unavailable",
    ]);
  });
});

Deno.test("createWorkerApp() says what to fix for a rate limiter it cannot use", () => {
  const base: WorkerEnv = {
    AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com",
    AZURE_OPENAI_API_KEY: "k",
    AOAI_EDGE_KEYS: CLIENT,
    AOAI_EDGE_RATE_LIMITER: "LIMITER",
  };
  assert.throws(
    () => createWorkerApp(base),
    /AOAI_EDGE_RATE_LIMITER names "LIMITER", but the Worker has no Rate Limiting binding .*\[\[ratelimits\]\] name = "LIMITER"/,
  );
  assert.throws(
    () => createWorkerApp({ ...base, LIMITER: "not a binding" }),
    /no Rate Limiting binding/,
  );
  const binding = fakeBinding(1).binding;
  assert.throws(
    () => createWorkerApp({ ...base, LIMITER: binding, AOAI_EDGE_RATE_LIMIT_RPM: "60" }),
    /AOAI_EDGE_RATE_LIMITER .* or AOAI_EDGE_RATE_LIMIT_RPM .*, not both/,
  );
  assert.throws(
    () => createWorkerApp({ ...base, LIMITER: binding, AOAI_EDGE_RATE_LIMITER_PERIOD: "30" }),
    /AOAI_EDGE_RATE_LIMITER_PERIOD must be "10" or "60"/,
  );
  const { AOAI_EDGE_RATE_LIMITER: _, ...noLimiter } = base;
  assert.throws(
    () => createWorkerApp({ ...noLimiter, AOAI_EDGE_RATE_LIMIT_RPM: "sixty" }),
    /^Error: AOAI_EDGE_RATE_LIMIT_RPM must be a positive number [^"]*$/,
  );
});

Deno.test("the Worker answers 500 EdgeMisconfigured for a missing binding and rebuilds when it appears", async () => {
  const base: WorkerEnv = {
    AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com",
    AZURE_OPENAI_API_KEY: "k",
    AOAI_EDGE_KEYS: CLIENT,
    AOAI_EDGE_RATE_LIMITER: "LIMITER",
  };
  const ctx = { waitUntil: () => {} };
  const missing = await worker.fetch(embed(CLIENT), base, ctx);
  assert.equal(missing.status, 500);
  const body = await missing.json();
  assert.equal(body.error.code, "EdgeMisconfigured");
  assert.match(body.error.message, /no Rate Limiting binding/);
  const refuseAll = fakeBinding(0);
  const limited = await worker.fetch(embed(CLIENT), { ...base, LIMITER: refuseAll.binding }, ctx);
  await limited.body?.cancel();
  assert.equal(limited.status, 429);
  const id = `aoai-edge:${await clientIdOf(CLIENT)}`;
  assert.deepEqual(refuseAll.keys, [id]);
  const other = fakeBinding(0);
  const again = await worker.fetch(embed(CLIENT), { ...base, LIMITER: other.binding }, ctx);
  await again.body?.cancel();
  assert.deepEqual(other.keys, [id], "a new binding object rebuilds the app");
});
