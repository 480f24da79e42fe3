/**
 * The upstreams the entry points build from the environment (the primary and
 * `AZURE_OPENAI_FALLBACK_ENDPOINTS`) get a stream idle timeout: `AOAI_EDGE_STREAM_IDLE_TIMEOUT_MS`
 * (default 600000, the upstreams' own `timeoutMs`). Without one, an upstream that answered 200
 * `text/event-stream` and then went silent held the client with no limit: with a fallback, the
 * app awaits a stream's first byte before relaying headers (so the client got no headers at
 * all); without one, after the headers.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { edgeConfigFromEnv } from "../../edge/deno.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import worker, { createWorkerApp, type WorkerEnv } from "../../edge/worker.ts";
import { streamIdleFromEnv } from "../../edge/_env.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";
import { azurePath, errorOf, sseData } from "./_helpers.ts";

const VAR = "AOAI_EDGE_STREAM_IDLE_TIMEOUT_MS";
const CLIENT_KEY = "stream-idle-client-key";
const PRIMARY_KEY = "primary-azure-secret-key";
const FALLBACK_KEY = "fallback-azure-secret-key";
const ctx: EdgeExecutionContext = { waitUntil: () => {} };
const env = (vars: Record<string, string>) => (name: string) => vars[name];

/**
 * On 127.0.0.1: an upstream that answers 200 `text/event-stream` and then sends nothing
 * (`silent`), and an emulator taking `FALLBACK_KEY` (`fallback`); both stopped on dispose (once
 * the silent body was cancelled: a graceful shutdown waits for the responses).
 */
function localUpstreams() {
  const emulator = createEmulator({ apiKeys: [FALLBACK_KEY] });
  const quiet = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () =>
      new Response(
        new ReadableStream(),
        { headers: { "content-type": "text/event-stream" } },
      ),
  );
  const em = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => emulator.fetch(req),
  );
  return {
    emulator,
    silent: `http://127.0.0.1:${quiet.addr.port}`,
    fallback: `http://127.0.0.1:${em.addr.port}`,
    [Symbol.asyncDispose]: async () => {
      await quiet.shutdown();
      await em.shutdown();
    },
  };
}

/**
 * A streamed chat request. Its signal is only a guard against a hang (the upstream idle timeout
 * of these tests is 5 ms): it turns a test that would wait forever into a failed one.
 */
function streamed(): Request {
  return new Request(`https://edge.example${azurePath("gpt-4o", "chat/completions")}`, {
    method: "POST",
    headers: { "api-key": CLIENT_KEY, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], stream: true }),
    signal: AbortSignal.timeout(20_000),
  });
}

Deno.test(`the Deno entry's upstreams: one silent after its 200 headers fails over once ${VAR} passes`, async () => {
  await using up = localUpstreams();
  const errors: string[] = [];
  const config = edgeConfigFromEnv(env({
    AZURE_OPENAI_ENDPOINT: up.silent,
    AZURE_OPENAI_API_KEY: PRIMARY_KEY,
    AZURE_OPENAI_FALLBACK_ENDPOINTS: up.fallback,
    AZURE_OPENAI_FALLBACK_API_KEYS: FALLBACK_KEY,
    AOAI_EDGE_KEYS: CLIENT_KEY,
    // The fallback's stream runs under it too: 5 ms cut it between chunks on a loaded machine.
    [VAR]: "300",
  }));
  const app = createEdgeApp({ ...config.options, onError: (line) => void errors.push(line) });
  const res = await app.fetch(streamed());
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  assert.equal(sseData(await res.text()).at(-1), "[DONE]");
  assert.equal(up.emulator.stats.requests, 1);
  assert.equal(errors.length, 1);
  assert.match(
    errors[0],
    /^chat\.completions\.create: upstream 127\.0\.0\.1:\d+ timed out before the first byte; trying upstream 1$/,
  );
});

Deno.test(`createWorkerApp(): an upstream silent after its 200 headers fails over once ${VAR} passes`, async () => {
  await using up = localUpstreams();
  const app = createWorkerApp({
    AZURE_OPENAI_ENDPOINT: up.silent,
    AZURE_OPENAI_API_KEY: PRIMARY_KEY,
    AZURE_OPENAI_FALLBACK_ENDPOINTS: up.fallback,
    AZURE_OPENAI_FALLBACK_API_KEYS: FALLBACK_KEY,
    AOAI_EDGE_KEYS: CLIENT_KEY,
    // The fallback's stream runs under it too: 5 ms cut it between chunks on a loaded machine.
    [VAR]: "300",
  });
  const res = await app.fetch(streamed(), undefined, ctx);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  assert.equal(sseData(await res.text()).at(-1), "[DONE]");
  assert.equal(up.emulator.stats.requests, 1);
});

Deno.test(`createWorkerApp(): a single upstream silent after its 200 headers ends the stream once ${VAR} passes`, async () => {
  await using up = localUpstreams();
  const app = createWorkerApp({
    AZURE_OPENAI_ENDPOINT: up.silent,
    AZURE_OPENAI_API_KEY: PRIMARY_KEY,
    AOAI_EDGE_KEYS: CLIENT_KEY,
    [VAR]: "5",
  });
  const res = await app.fetch(streamed(), undefined, ctx);
  assert.equal(res.status, 200);
  const events = sseData(await res.text());
  assert.equal(JSON.parse(events.at(-1)!).error.code, "UpstreamStreamError");
});

Deno.test(`edgeConfigFromEnv() gives every upstream ${VAR}, 600000 ms by default`, () => {
  const vars = {
    AZURE_OPENAI_ENDPOINT: "https://primary.openai.azure.com",
    AZURE_OPENAI_API_KEY: PRIMARY_KEY,
    AZURE_OPENAI_FALLBACK_ENDPOINTS: "https://second.openai.azure.com",
    AZURE_OPENAI_FALLBACK_API_KEYS: FALLBACK_KEY,
    AOAI_EDGE_KEYS: CLIENT_KEY,
  };
  const idle = (config: ReturnType<typeof edgeConfigFromEnv>) =>
    (config.options.upstream as { streamIdleTimeoutMs?: number }[]).map((u) =>
      u.streamIdleTimeoutMs
    );
  assert.deepEqual(idle(edgeConfigFromEnv(env(vars))), [600_000, 600_000]);
  assert.deepEqual(idle(edgeConfigFromEnv(env({ ...vars, [VAR]: " " }))), [600_000, 600_000]);
  assert.deepEqual(idle(edgeConfigFromEnv(env({ ...vars, [VAR]: " 90000 " }))), [90_000, 90_000]);
  const single = edgeConfigFromEnv(
    env({ ...vars, AZURE_OPENAI_FALLBACK_ENDPOINTS: "", AZURE_OPENAI_FALLBACK_API_KEYS: "" }),
  );
  assert.deepEqual(
    (single.options.upstream as { streamIdleTimeoutMs?: number }).streamIdleTimeoutMs,
    600_000,
  );
});

Deno.test(`${VAR}: anything but a whole number of milliseconds from 1 to 2147483647 stops the app, naming it without quoting the value`, async () => {
  assert.equal(streamIdleFromEnv(undefined), 600_000);
  assert.equal(streamIdleFromEnv("2147483647"), 2_147_483_647);
  const bad = ["0", "-5", "1.5", "0x10", "1e3", "Infinity", "2147483648", PRIMARY_KEY];
  for (const value of bad) {
    const check = (err: Error) => {
      // The Worker's answer begins "The Worker is not configured: ".
      assert.match(err.message, new RegExp(`(^|: )${VAR} must be a whole number of milliseconds`));
      assert.ok(!err.message.includes(PRIMARY_KEY), err.message);
      return true;
    };
    assert.throws(() => streamIdleFromEnv(value), check, value);
    assert.throws(
      () =>
        edgeConfigFromEnv(env({
          AZURE_OPENAI_ENDPOINT: "https://primary.openai.azure.com",
          AZURE_OPENAI_API_KEY: PRIMARY_KEY,
          AOAI_EDGE_KEYS: CLIENT_KEY,
          [VAR]: value,
        })),
      check,
      value,
    );
    const bindings: WorkerEnv = {
      AZURE_OPENAI_ENDPOINT: "https://primary.openai.azure.com",
      AZURE_OPENAI_API_KEY: PRIMARY_KEY,
      AOAI_EDGE_KEYS: CLIENT_KEY,
      [VAR]: value,
    };
    const res = await worker.fetch(streamed(), bindings, ctx);
    assert.equal(res.status, 500, value);
    check(new Error((await errorOf(res)).message));
  }
});
