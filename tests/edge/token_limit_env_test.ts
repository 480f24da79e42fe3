// AOAI_EDGE_TOKEN_LIMIT_TPM in both entry points: Deno counts in its Deno KV (one budget for
// every instance on it), Workers per isolate.
import assert from "node:assert/strict";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";
import { createWorkerApp } from "../../edge/worker.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { keyText } from "./_helpers.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];
const EMBED = { model: "text-embedding-3-small", input: ["alpha beta gamma delta"] };

Deno.test("edgeConfigFromEnv() reads AOAI_EDGE_TOKEN_LIMIT_TPM, naming it when it is not a whole number", () => {
  const config = edgeConfigFromEnv(env({ AOAI_EDGE_TOKEN_LIMIT_TPM: " 60000 " }));
  assert.deepEqual(config.options.tokenLimit, { tokensPerMinute: 60_000 });
  assert.ok(config.banner.some((line) => line.startsWith("token limit: 60000 tokens per minute")));
  assert.equal(edgeConfigFromEnv(env({})).options.tokenLimit, undefined);
  for (const bad of ["0", "-5", "1.5", "lots", "1e400"]) {
    assert.throws(
      () => edgeConfigFromEnv(env({ AOAI_EDGE_TOKEN_LIMIT_TPM: bad })),
      /^Error: AOAI_EDGE_TOKEN_LIMIT_TPM must be a whole number [^"]*$/,
    );
  }
});

Deno.test("serveEdge() counts AOAI_EDGE_TOKEN_LIMIT_TPM in its Deno KV: two servers on one file share the budget", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // The emulator's usage for EMBED is a few tokens; a budget of 1 is used up by one request.
    const config = edgeConfigFromEnv(
      env({ PORT: "0", AOAI_EDGE_KV_PATH: `${dir}/edge.kv`, AOAI_EDGE_TOKEN_LIMIT_TPM: "1" }),
    );
    const key = keyText(config.options.clientKeys[0]);
    const send = (url: string) =>
      fetch(`${url}/v1/embeddings`, {
        method: "POST",
        headers: { "api-key": key, "content-type": "application/json" },
        body: JSON.stringify(EMBED),
      });
    {
      await using server = await serveEdge(config);
      const first = await send(server.url);
      assert.equal(first.status, 200);
      const used = (await first.json()).usage.total_tokens;
      assert.ok(used > 1);
      // The charge lands in Deno KV after the body was read: wait for it (bounded).
      using kv = await Deno.openKv(`${dir}/edge.kv`);
      for (let i = 0; i < 200; i++) {
        const entries = await Array.fromAsync(kv.list({ prefix: ["aoai-edge-tokens"] }));
        if (entries.length) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const entries = await Array.fromAsync(kv.list<number>({ prefix: ["aoai-edge-tokens"] }));
      assert.equal(entries.length, 1, "one budget entry, under the client's hashed id");
      assert.match(String(entries[0].key[1]), /^[0-9a-f]{32}$/);
    }
    await using other = await serveEdge(config);
    const refused = await send(other.url);
    assert.equal(refused.status, 429, "another server on the same KV sees the spent budget");
    assert.ok(Number(refused.headers.get("retry-after")) >= 1);
    const error = (await refused.json()).error;
    assert.match(error.message, /used more than 1 tokens per minute/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("createWorkerApp() reads AOAI_EDGE_TOKEN_LIMIT_TPM and refuses a client over it", async () => {
  const emulator = createEmulator({ apiKeys: ["azure-upstream-key"] });
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => emulator.fetch(request),
  );
  const base = {
    AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${server.addr.port}`,
    AZURE_OPENAI_API_KEY: "azure-upstream-key",
    AOAI_EDGE_KEYS: "worker-client-key-1",
  };
  assert.throws(
    () => createWorkerApp({ ...base, AOAI_EDGE_TOKEN_LIMIT_TPM: "many" }),
    /AOAI_EDGE_TOKEN_LIMIT_TPM must be a whole number/,
  );
  const app = createWorkerApp({ ...base, AOAI_EDGE_TOKEN_LIMIT_TPM: "1" });
  const waits: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => void waits.push(p) };
  const send = () =>
    app.fetch(
      new Request("https://w.example/v1/embeddings", {
        method: "POST",
        headers: { "api-key": "worker-client-key-1", "content-type": "application/json" },
        body: JSON.stringify(EMBED),
      }),
      undefined,
      ctx,
    );
  const first = await send();
  assert.equal(first.status, 200);
  await first.body?.cancel(); // dropped after the headers: still charged, in ctx.waitUntil
  await Promise.all(waits);
  const refused = await send();
  assert.equal(refused.status, 429);
  await refused.body?.cancel();
});

Deno.test("the Worker rebuilds its app when AOAI_EDGE_TOKEN_LIMIT_TPM changes", async () => {
  const { default: worker } = await import("../../edge/worker.ts");
  const emulator = createEmulator({ apiKeys: ["azure-upstream-key"] });
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => emulator.fetch(request),
  );
  const env: Record<string, string> = {
    AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${server.addr.port}`,
    AZURE_OPENAI_API_KEY: "azure-upstream-key",
    AOAI_EDGE_KEYS: "worker-client-key-1",
    AOAI_EDGE_TOKEN_LIMIT_TPM: "1",
  };
  const waits: Promise<unknown>[] = [];
  const ctx = {
    waitUntil: (p: Promise<unknown>) => void waits.push(p),
    passThroughOnException() {},
  };
  const send = async () => {
    const res = await worker.fetch(
      new Request("https://w.example/v1/embeddings", {
        method: "POST",
        headers: { "api-key": "worker-client-key-1", "content-type": "application/json" },
        body: JSON.stringify(EMBED),
      }),
      env,
      ctx,
    );
    await res.body?.cancel();
    await Promise.all(waits);
    return res.status;
  };
  assert.equal(await send(), 200);
  assert.equal(await send(), 429, "the 1-token budget is spent");
  env.AOAI_EDGE_TOKEN_LIMIT_TPM = "1000000";
  assert.equal(await send(), 200, "a new budget once the binding changed");
});
