/**
 * The Worker answers an exception thrown while it serves a request (here by a request whose
 * method cannot be read, outside the app's router) with a JSON 500 in the service's shape that
 * holds no secret, instead of rejecting (workerd then answers a bare 500, or an error page).
 */
import assert from "node:assert/strict";
import worker, { type WorkerEnv } from "../../edge/worker.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";

const ctx: EdgeExecutionContext = { waitUntil: () => {} };
const env: WorkerEnv = {
  AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
  AZURE_OPENAI_API_KEY: "azure-secret-key-handler-throws",
  AOAI_EDGE_KEYS: "client-key-handler-throws",
};

Deno.test("an exception while serving a request gives a JSON 500 without secrets", async () => {
  const real = new Request("https://edge.example/v1/embeddings", { method: "POST" });
  const request = new Proxy(real, {
    get(target, name) {
      if (name === "method") throw new Error(`broken ${env.AZURE_OPENAI_API_KEY}`);
      const value = Reflect.get(target, name, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const errors: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void errors.push(args.join(" "));
  let response: Response;
  try {
    response = await worker.fetch(request, env, ctx);
  } finally {
    console.error = original;
  }
  assert.equal(response.status, 500);
  assert.equal(response.headers.get("content-type"), "application/json");
  const text = await response.text();
  assert.equal(JSON.parse(text).error.code, "EdgeError");
  for (const secret of [env.AZURE_OPENAI_API_KEY!, env.AOAI_EDGE_KEYS!]) {
    assert.ok(!text.includes(secret), "no secret in the answer");
    assert.ok(!errors.join("\n").includes(secret), "no secret in the log");
  }
  assert.equal(errors.length, 1, "the failure is logged once");
});

Deno.test("a thrown value that is no Error gives the same JSON 500, and is logged as text without secrets", async () => {
  const real = new Request("https://edge.example/v1/embeddings", { method: "POST" });
  const request = new Proxy(real, {
    get(target, name) {
      if (name === "method") throw `broken ${env.AZURE_OPENAI_API_KEY}`;
      const value = Reflect.get(target, name, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const errors: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void errors.push(args.join(" "));
  let response: Response;
  try {
    response = await worker.fetch(request, env, ctx);
  } finally {
    console.error = original;
  }
  assert.equal(response.status, 500);
  assert.equal((await response.json()).error.code, "EdgeError");
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^aoai-edge: edge app error: broken \S/);
  assert.ok(!errors[0].includes(env.AZURE_OPENAI_API_KEY!), errors[0]);
});
