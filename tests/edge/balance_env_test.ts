import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { edgeConfigFromEnv } from "../../edge/deno.ts";
import { balanceFromEnv } from "../../edge/_env.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import worker, { createWorkerApp, type WorkerEnv } from "../../edge/worker.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";
import { azurePath, errorOf } from "./_helpers.ts";

const CLIENT_KEY = "balance-test-client-key";
const KEYS = ["balance-upstream-key-zero", "balance-upstream-key-one"];
const ctx: EdgeExecutionContext = { waitUntil: () => {} };

/** Two emulators served on 127.0.0.1, stopped with the returned disposer. */
function twoServers() {
  const emulators = KEYS.map((key) => createEmulator({ apiKeys: [key] }));
  const servers = emulators.map((emulator) =>
    Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => emulator.fetch(req))
  );
  return {
    emulators,
    env: {
      AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${servers[0].addr.port}`,
      AZURE_OPENAI_API_KEY: KEYS[0],
      AZURE_OPENAI_FALLBACK_ENDPOINTS: `http://127.0.0.1:${servers[1].addr.port}`,
      AZURE_OPENAI_FALLBACK_API_KEYS: KEYS[1],
      AOAI_EDGE_KEYS: CLIENT_KEY,
    } as Record<string, string>,
    [Symbol.asyncDispose]: async () => {
      await Promise.all(servers.map((s) => s.shutdown()));
    },
  };
}

function chatRequest(): Request {
  return new Request(`https://edge.example${azurePath("gpt-4o", "chat/completions")}`, {
    method: "POST",
    headers: { "api-key": CLIENT_KEY, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
  });
}

/** Which upstream answered each of `n` chat requests sent through `send`. */
async function answeredBy(n: number, send: (req: Request) => Promise<Response>) {
  const seen = [];
  for (let i = 0; i < n; i++) {
    const res = await send(chatRequest());
    assert.equal(res.status, 200);
    seen.push(res.headers.get("x-aoai-upstream"));
    await res.body?.cancel();
  }
  return seen;
}

Deno.test("balanceFromEnv() reads AOAI_EDGE_UPSTREAM_BALANCE and names the variable when it is wrong", () => {
  assert.equal(balanceFromEnv(undefined), undefined);
  assert.equal(balanceFromEnv("  "), undefined);
  assert.equal(balanceFromEnv(" Round-Robin "), "round-robin");
  assert.equal(balanceFromEnv("primary-first"), "primary-first");
  assert.throws(
    () => balanceFromEnv("random"),
    /^Error: AOAI_EDGE_UPSTREAM_BALANCE must be "primary-first" .* or "round-robin" [^"]*$/,
  );
});

Deno.test("the Deno entry with AOAI_EDGE_UPSTREAM_BALANCE=round-robin sends requests to its upstreams in turn", async () => {
  await using up = twoServers();
  const config = edgeConfigFromEnv((name) =>
    ({ ...up.env, AOAI_EDGE_UPSTREAM_BALANCE: "round-robin" })[name]
  );
  assert.equal(config.options.upstreamBalance, "round-robin");
  assert.ok(config.banner.some((line) => line.includes("round-robin")), config.banner.join("\n"));
  const app = createEdgeApp(config.options);
  assert.deepEqual(await answeredBy(4, (req) => app.fetch(req)), ["0", "1", "0", "1"]);
  assert.deepEqual(up.emulators.map((e) => e.stats.requests), [2, 2]);
  // Unset: the primary takes every request.
  const primaryFirst = createEdgeApp(edgeConfigFromEnv((name) => up.env[name]).options);
  assert.deepEqual(await answeredBy(2, (req) => primaryFirst.fetch(req)), ["0", "0"]);
});

Deno.test("the Worker with AOAI_EDGE_UPSTREAM_BALANCE=round-robin sends requests to its upstreams in turn, and rebuilds when it changes", async () => {
  await using up = twoServers();
  const bindings: WorkerEnv = { ...up.env, AOAI_EDGE_UPSTREAM_BALANCE: "round-robin" };
  const app = createWorkerApp(bindings);
  assert.deepEqual(await answeredBy(2, (req) => app.fetch(req, undefined, ctx)), ["0", "1"]);
  const viaWorker = (req: Request) => worker.fetch(req, bindings, ctx);
  assert.deepEqual(await answeredBy(2, viaWorker), ["0", "1"]);
  bindings.AOAI_EDGE_UPSTREAM_BALANCE = "primary-first";
  assert.deepEqual(await answeredBy(2, viaWorker), ["0", "0"]);
  bindings.AOAI_EDGE_UPSTREAM_BALANCE = "sometimes";
  const res = await viaWorker(chatRequest());
  assert.equal(res.status, 500);
  assert.match((await errorOf(res)).message, /AOAI_EDGE_UPSTREAM_BALANCE must be/);
});
