/**
 * Wrangler binds a [vars] value written without quotes as a JSON value: the Worker reads a number
 * or a boolean as its text, refuses an array or an object naming the variable, and leaves other
 * bindings (a KV namespace, the Rate Limiting binding `AOAI_EDGE_RATE_LIMITER` names) as they
 * are. compat/tests/worker_env_json_vars.test.mjs runs the same in workerd (slow).
 */
import assert from "node:assert/strict";
import worker, { createWorkerApp, type WorkerEnv } from "../../edge/worker.ts";
import type { WorkersRateLimitBinding } from "../../edge/mod.ts";

const KEY = "worker-json-vars-client-key";
const base: WorkerEnv = {
  AZURE_OPENAI_ENDPOINT: "https://worker-json-vars.openai.azure.com",
  AZURE_OPENAI_API_KEY: "azure-key-worker-json-vars",
  AOAI_EDGE_KEYS: KEY,
};

/** `base` with `vars` bound as wrangler binds unquoted [vars] values (not text). */
function withVars(vars: Record<string, unknown>): WorkerEnv {
  return { ...base, ...vars } as unknown as WorkerEnv;
}

/** A JSON POST of `bytes` bytes to the embeddings route. */
function post(bytes: number): Request {
  const body = JSON.stringify({ model: "text-embedding-3-small", input: "" });
  return new Request("https://w.example/v1/embeddings", {
    method: "POST",
    headers: { "api-key": KEY, "content-type": "application/json" },
    body: body.replace('""', `"${"x".repeat(bytes - body.length)}"`),
  });
}

Deno.test("a number var is read as its text (AOAI_EDGE_MAX_JSON_BYTES = 100 refuses a 200-byte body)", async () => {
  const app = createWorkerApp(withVars({ AOAI_EDGE_MAX_JSON_BYTES: 100 }));
  const res = await app.fetch(post(200));
  assert.equal(res.status, 413);
  await res.body?.cancel();
});

Deno.test("a boolean var is read as its text (AOAI_EDGE_CHAT_CACHE = true without AOAI_CACHE is warned about)", () => {
  for (const [value, warned] of [[true, 1], [false, 0]] as const) {
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(" "));
    try {
      createWorkerApp(withVars({ AOAI_EDGE_CHAT_CACHE: value }));
    } finally {
      console.warn = warn;
    }
    assert.equal(warnings.length, warned, `${value}: ${warnings.join("\n")}`);
    if (warned) {
      assert.match(warnings[0], /AOAI_EDGE_CHAT_CACHE is on, but the Worker has no AOAI_CACHE/);
    }
  }
});

Deno.test("an array or a table var is refused, naming it; the Worker answers 500 EdgeMisconfigured", async () => {
  for (
    const [name, value] of [
      ["AOAI_EDGE_KEYS", [KEY, "another-client-key"]],
      ["AOAI_EDGE_DEPLOYMENTS", { "gpt-4o": true }],
      ["AZURE_OPENAI_FALLBACK_ENDPOINTS", ["https://other.openai.azure.com"]],
    ] as const
  ) {
    const env = withVars({ [name]: value });
    assert.throws(() => createWorkerApp(env), new RegExp(`^Error: ${name} must be text: .*quotes`));
    const errors: string[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => void errors.push(args.map(String).join(" "));
    let res: Response;
    try {
      res = await worker.fetch(new Request("https://w.example/health"), env, {
        waitUntil: () => {},
      });
    } finally {
      console.error = error;
    }
    assert.equal(res.status, 500, name);
    const body = await res.json();
    assert.equal(body.error.code, "EdgeMisconfigured");
    assert.match(body.error.message, new RegExp(`${name} must be text`));
    assert.equal(errors.length, 1, name);
  }
});

Deno.test("a Rate Limiting binding named like a var (AOAI_EDGE_LIMITER) is used as the binding, not read as text", async () => {
  const keys: string[] = [];
  const binding: WorkersRateLimitBinding = {
    limit: ({ key }) => {
      keys.push(key);
      return Promise.resolve({ success: false });
    },
  };
  const app = createWorkerApp({
    ...base,
    AOAI_EDGE_RATE_LIMITER: " AOAI_EDGE_LIMITER ",
    AOAI_EDGE_LIMITER: binding,
  });
  const res = await app.fetch(post(60));
  assert.equal(res.status, 429);
  await res.body?.cancel();
  assert.equal(keys.length, 1, "the binding was asked");
});
