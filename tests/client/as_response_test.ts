/** asResponse(): the raw response of a call, as in the official openai SDK. */
import assert from "node:assert/strict";
import { AzureOpenAI, NotFoundError } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

function setup() {
  const emulator = createEmulator();
  const sent: string[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: (request, init) => {
      sent.push(`${request.method} ${new URL(request.url).pathname}`);
      return emulator.fetch(new Request(request, init));
    },
  });
  return { client, sent };
}

Deno.test("asResponse() gives the call's HTTP response with its body to read, in one request", async () => {
  const { client, sent } = setup();
  const response = await client.chat.completions
    .create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] })
    .asResponse();
  assert.ok(response instanceof Response);
  assert.equal(response.status, 200);
  assert.ok(response.headers.get("apim-request-id"));
  const body = await response.json();
  assert.equal(body.object, "chat.completion");
  assert.equal(body.choices[0].message.content, "You said: hi");
  assert.deepEqual(sent, ["POST /openai/deployments/gpt-4o/chat/completions"]);

  const embeddings = await client.embeddings
    .create({ model: "text-embedding-3-small", input: "a", encoding_format: "float" })
    .asResponse();
  assert.equal((await embeddings.json()).data[0].embedding.length, 1536);
});

Deno.test("asResponse() of a stream gives the event stream to relay as it is", async () => {
  const { client } = setup();
  const response = await client.chat.completions
    .create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }], stream: true })
    .asResponse();
  assert.match(response.headers.get("content-type") ?? "", /text\/event-stream/);
  const text = await response.text();
  assert.match(text, /^data: \{/);
  assert.match(text, /data: \[DONE\]\n\n$/);
});

Deno.test("asResponse() rejects with the call's typed error", async () => {
  const { client } = setup();
  await assert.rejects(
    client.embeddings.create({ model: "missing", input: "a" }).asResponse(),
    NotFoundError,
  );
});
