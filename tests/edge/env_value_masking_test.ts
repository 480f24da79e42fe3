// One rule masks environment values in the Worker's errors (edge/_errors.ts maskEnvValues): a
// value (or an entry of one) the text quotes, of any length, and, for errors the app did not
// word, one of 8 characters or more wherever it occurs. The Worker's log of an exception thrown
// while it served a request left a quoted value under 8 characters in place.
import assert from "node:assert/strict";
import { maskEnvValues, misconfiguredMessage } from "../../edge/_errors.ts";
import worker, { type WorkerEnv } from "../../edge/worker.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";

const ctx: EdgeExecutionContext = { waitUntil: () => {} };

Deno.test("maskEnvValues(): quoted values of any length; unquoted ones of 8+ only with anywhere", () => {
  const env = { A: "long-secret-0001", B: "x=k7;short", C: 42 };
  const text = 'got "k7" and "short" and long-secret-0001 and "long-secret-0001"';
  assert.equal(
    maskEnvValues(text, env),
    'got "***" and "***" and long-secret-0001 and "***"',
  );
  assert.equal(maskEnvValues(text, env, true), 'got "***" and "***" and *** and "***"');
  assert.equal(
    misconfiguredMessage(new Error('bad "k7"'), env),
    'The Worker is not configured: bad "***".',
  );
});

Deno.test("the Worker's log of an exception while serving masks a short value it quotes too", async () => {
  const env: WorkerEnv = {
    AZURE_OPENAI_ENDPOINT: "https://my-res.openai.azure.com",
    AZURE_OPENAI_API_KEY: "azure-secret-key-masking-0001",
    AOAI_EDGE_KEYS: "client-key-masking-0001",
    AZURE_OPENAI_API_VERSION: "v1",
  };
  const real = new Request("https://edge.example/v1/embeddings", { method: "POST" });
  const request = new Proxy(real, {
    get(target, name) {
      if (name === "method") {
        throw new Error(`broken ${env.AOAI_EDGE_KEYS} with ${JSON.stringify("v1")}`);
      }
      const value = Reflect.get(target, name, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const errors: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void errors.push(args.join(" "));
  try {
    const res = await worker.fetch(request, env, ctx);
    assert.equal(res.status, 500);
    await res.body?.cancel();
  } finally {
    console.error = original;
  }
  assert.deepEqual(errors, ['aoai-edge: edge app error: broken *** with "***"']);
});
