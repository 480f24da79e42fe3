/**
 * Per-call code written for the official `openai` SDK's `AzureOpenAI`: its request option
 * `timeout` (ms), and `model: ""` with the client's `deployment` (Azure's own SDK samples do it).
 */
import assert from "node:assert/strict";
import { AzureOpenAI, type Middleware } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

function setup(options: Record<string, unknown> = {}) {
  const emulator = createEmulator();
  const seen: { timeoutMs: number; url: string }[] = [];
  const spy: Middleware = async (ctx, next) => {
    seen.push({ timeoutMs: ctx.options.timeoutMs, url: ctx.request.url });
    return await next();
  };
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: emulator.fetch,
    middleware: [spy],
    ...options,
  });
  return { client, seen };
}

Deno.test("a call's SDK-style { timeout } (ms) is its timeoutMs, which wins when both are given", async () => {
  const { client, seen } = setup();
  const params = { model: "text-embedding-3-small", input: "hi" };
  await client.embeddings.create(params, { timeout: 1234 });
  await client.embeddings.create(params, { timeout: 1234, timeoutMs: 99 });
  assert.deepEqual(seen.map((s) => s.timeoutMs), [1234, 99]);
  await assert.rejects(
    client.embeddings.create(params, { timeout: -1 }),
    /timeoutMs/,
  );
});

Deno.test("model: '' uses the client's deployment (the SDK samples' AzureOpenAI({ deployment }) + create({ model: '' }))", async () => {
  const { client, seen } = setup({ deployment: "gpt-4o" });
  const res = await client.chat.completions.create({
    model: "",
    messages: [{ role: "user", content: "hi" }],
  });
  assert.equal(res.object, "chat.completion");
  assert.match(seen[0].url, /\/openai\/deployments\/gpt-4o\/chat\/completions\?/);
  // Without a client deployment, '' names none: the message says what to pass.
  const { client: bare } = setup();
  await assert.rejects(
    bare.chat.completions.create({ model: "", messages: [{ role: "user", content: "hi" }] }),
    /no deployment; pass params\.model/,
  );
});
