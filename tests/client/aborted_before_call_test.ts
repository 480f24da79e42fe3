/**
 * A call whose signal has already aborted sends nothing and rejects with APIUserAbortError, as the
 * openai SDK's does, also through an injected fetch that does not look at signals (a test double,
 * a binding, a wrapper).
 */
import assert from "node:assert/strict";
import { APIUserAbortError, AzureOpenAI } from "../../mod.ts";

/** A client whose fetch ignores signals and counts what it is asked to send. */
function setup(options: { timeoutMs?: number } = {}) {
  const sent: string[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "k",
    ...options,
    fetch: async (request) => {
      sent.push(new URL(request.url).pathname);
      if (!(await request.json()).stream) return Response.json({ choices: [], data: [] });
      return new Response('data: {"choices":[]}\n\ndata: [DONE]\n\n', {
        headers: { "content-type": "text/event-stream" },
      });
    },
  });
  return { client, sent };
}

const chat = { model: "gpt-4o", messages: [{ role: "user" as const, content: "hi" }] };

Deno.test("a call with an already aborted signal sends nothing, with or without timeoutMs", async () => {
  for (const timeoutMs of [undefined, 0]) {
    const { client, sent } = setup({ timeoutMs });
    const signal = AbortSignal.abort();
    await assert.rejects(client.chat.completions.create(chat, { signal }), APIUserAbortError);
    await assert.rejects(
      client.chat.completions.create({ ...chat, stream: true }, { signal }),
      APIUserAbortError,
    );
    await assert.rejects(
      client.request({ path: "embeddings", deployment: "e", json: { input: "x" } }, { signal }),
      APIUserAbortError,
    );
    assert.deepEqual(sent, [], `timeoutMs ${timeoutMs}`);
  }
});

Deno.test("a call whose signal did not abort is sent as before", async () => {
  const { client, sent } = setup();
  const stream = await client.chat.completions.create({ ...chat, stream: true }, {
    signal: new AbortController().signal,
  });
  for await (const _ of stream) { /* drain */ }
  assert.deepEqual(sent, ["/openai/deployments/gpt-4o/chat/completions"]);
});
