/**
 * Boolean variables (AOAI_EDGE_CHAT_CACHE, AOAI_EDGE_LOG_REQUESTS) read the same way in both entry
 * points: 1 / true / yes / on turn them on and 0 / false / no / off off, in any case and with
 * spaces around; anything else stops the app naming the variable, never quoting the value. Only
 * exactly "1" was read as on: " 1", "true" and "yes" were silently off.
 */
import assert from "node:assert/strict";
import { edgeConfigFromEnv } from "../../edge/deno.ts";
import { flagFromEnv } from "../../edge/_env.ts";
import worker, { type WorkerEnv } from "../../edge/worker.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";

const ON = ["1", " 1", "true", "TRUE", "Yes", "on", " On "];
const OFF = ["0", "false", "No", "OFF", " off"];
const BAD = ["2", "enabled", "y", "t", "1 1", "secret-looking-value-xyz"];
const FLAGS = ["AOAI_EDGE_CHAT_CACHE", "AOAI_EDGE_LOG_REQUESTS"] as const;

Deno.test("flagFromEnv(): 1/true/yes/on and 0/false/no/off in any case; unset or blank is off; else an Error naming the variable, not the value", () => {
  for (const value of ON) assert.equal(flagFromEnv("AOAI_EDGE_CHAT_CACHE", value), true, value);
  for (const value of [...OFF, undefined, "", "  "]) {
    assert.equal(flagFromEnv("AOAI_EDGE_CHAT_CACHE", value), false, String(value));
  }
  for (const value of BAD) {
    assert.throws(
      () => flagFromEnv("AOAI_EDGE_LOG_REQUESTS", value),
      (err: Error) =>
        err.message.startsWith("AOAI_EDGE_LOG_REQUESTS must be") &&
        (value.length < 5 || !err.message.includes(value)),
    );
  }
});

Deno.test("edgeConfigFromEnv(): AOAI_EDGE_CHAT_CACHE and AOAI_EDGE_LOG_REQUESTS take true / yes / on (any case), and refuse other words", () => {
  const config = (vars: Record<string, string>) =>
    edgeConfigFromEnv((name) => ({ AOAI_EDGE_KEYS: "flags-test-client-key", ...vars })[name]);
  for (const value of ON) {
    const options = config({ AOAI_EDGE_CHAT_CACHE: value, AOAI_EDGE_LOG_REQUESTS: value }).options;
    assert.equal(options.chatCache, true, value);
    assert.equal(typeof options.onRequest, "function", value);
  }
  for (const value of OFF) {
    const options = config({ AOAI_EDGE_CHAT_CACHE: value, AOAI_EDGE_LOG_REQUESTS: value }).options;
    assert.equal(options.chatCache, false, value);
    assert.equal(options.onRequest, undefined, value);
  }
  for (const name of FLAGS) {
    for (const value of BAD) {
      assert.throws(
        () => config({ [name]: value }),
        (err: Error) =>
          err.message.startsWith(`${name} must be`) &&
          (value.length < 5 || !err.message.includes(value)),
      );
    }
  }
});

const ctx: EdgeExecutionContext = { waitUntil: () => {} };
const WORKER: WorkerEnv = {
  AZURE_OPENAI_ENDPOINT: "https://flags-test.openai.azure.com",
  AZURE_OPENAI_API_KEY: "azure-flags-test-key",
  AOAI_EDGE_KEYS: "flags-test-client-key",
};

Deno.test("the Worker: AOAI_EDGE_LOG_REQUESTS=true logs requests; another word answers 500 EdgeMisconfigured naming the variable", async () => {
  const lines: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  console.error = () => {};
  try {
    const on = await worker.fetch(
      new Request("https://w.example/health"),
      { ...WORKER, AOAI_EDGE_LOG_REQUESTS: "true", AOAI_CACHE: undefined },
      ctx,
    );
    assert.equal(on.status, 200);
    await on.text();
    // The event is written once the body has ended.
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(lines.length, 1, lines.join("\n"));
    for (const name of FLAGS) {
      const res = await worker.fetch(
        new Request("https://w.example/health"),
        { ...WORKER, [name]: "enabled" },
        ctx,
      );
      assert.equal(res.status, 500);
      const body = await res.json();
      assert.equal(body.error.code, "EdgeMisconfigured");
      assert.match(body.error.message, new RegExp(`${name} must be`));
      assert.ok(!body.error.message.includes("enabled"));
    }
  } finally {
    console.log = log;
    console.error = error;
  }
});

Deno.test("the Worker: AOAI_EDGE_CHAT_CACHE=yes with AOAI_CACHE caches deterministic chat", async () => {
  let upstreamCalls = 0;
  const original = globalThis.fetch;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (!request.url.startsWith("https://flags-test.openai.azure.com/")) {
      return original(input, init);
    }
    upstreamCalls++;
    return Promise.resolve(
      Response.json({
        id: "chatcmpl-flags",
        object: "chat.completion",
        created: 1,
        model: "gpt-4o",
        choices: [{
          index: 0,
          message: { role: "assistant", content: "hi" },
          finish_reason: "stop",
        }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    );
  };
  const store = new Map<string, ArrayBuffer | Uint8Array>();
  const binding = {
    get: (key: string) => {
      const value = store.get(key);
      return Promise.resolve(value === undefined ? null : new Uint8Array(value).slice().buffer);
    },
    put: (key: string, value: ArrayBuffer | Uint8Array) => {
      store.set(key, value);
      return Promise.resolve();
    },
    delete: (key: string) => {
      store.delete(key);
      return Promise.resolve();
    },
  };
  const waits: Promise<unknown>[] = [];
  const waitCtx = { waitUntil: (p: Promise<unknown>) => void waits.push(p) };
  try {
    const env = { ...WORKER, AOAI_EDGE_CHAT_CACHE: "yes", AOAI_CACHE: binding } as WorkerEnv;
    const statuses: (string | null)[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await worker.fetch(
        new Request(
          "https://w.example/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
          {
            method: "POST",
            headers: { "api-key": "flags-test-client-key", "content-type": "application/json" },
            body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], temperature: 0 }),
          },
        ),
        env,
        waitCtx,
      );
      assert.equal(res.status, 200);
      await res.text();
      await Promise.all(waits.splice(0));
      statuses.push(res.headers.get("x-aoai-cache"));
    }
    assert.deepEqual(statuses, ["miss", "hit"]);
    assert.equal(upstreamCalls, 1);
  } finally {
    globalThis.fetch = original;
  }
});
