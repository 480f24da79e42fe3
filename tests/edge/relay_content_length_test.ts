// The app relays the upstream's content-length with a 2xx JSON reply it passes on byte for byte
// (so a reply cut mid-body fails the client's read), and never a length that is not the body's:
// not for a body fetch decoded (its content-length counted the encoded bytes), nor for a cache
// miss it rebuilt, nor for an event stream.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { KEY } from "./_helpers.ts";

const HI = [{ role: "user", content: "hi" }];
const CHAT = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
const COMPLETION = JSON.stringify({
  id: "c1",
  object: "chat.completion",
  created: 1,
  model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content: "hé" }, finish_reason: "stop" }],
});

function app(answer: () => Response) {
  return createEdgeApp({
    upstream: new AzureOpenAI({
      endpoint: "http://upstream.test",
      apiKey: "azure-secret-1",
      maxRetries: 0,
      fetch: () => Promise.resolve(answer()),
    }),
    clientKeys: [KEY],
  });
}
const post = (a: ReturnType<typeof app>, path = CHAT, json: unknown = { messages: HI }) =>
  a.fetch(
    new Request(`http://edge.test${path}`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify(json),
    }),
  );

Deno.test("a JSON reply passed on as it came carries the upstream's content-length", async () => {
  const bytes = new TextEncoder().encode(COMPLETION);
  const res = await post(app(() =>
    new Response(bytes, {
      headers: { "content-type": "application/json", "content-length": String(bytes.length) },
    })
  ));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-length"), String(bytes.length));
  assert.equal((await res.bytes()).length, bytes.length);
});

Deno.test("a body fetch decoded (content-encoding) does not carry the encoded length", async () => {
  for (const encoding of ["gzip", "br", " GZIP "]) {
    const res = await post(app(() =>
      new Response(COMPLETION, {
        headers: {
          "content-type": "application/json",
          "content-encoding": encoding,
          "content-length": "17",
        },
      })
    ));
    assert.equal(res.status, 200);
    assert.notEqual(res.headers.get("content-length"), "17", encoding);
    assert.equal(JSON.parse(await res.text()).choices[0].message.content, "hé");
  }
});

Deno.test("a length that is not a plain number, and an event stream's, are not relayed", async () => {
  for (const length of ["12abc", "-1", "1e3"]) {
    const res = await post(app(() =>
      new Response(COMPLETION, {
        headers: { "content-type": "application/json", "content-length": length },
      })
    ));
    assert.equal(res.status, 200);
    assert.notEqual(res.headers.get("content-length"), length);
    await res.body?.cancel();
  }
  const sse = `data: ${COMPLETION.replace('"chat.completion"', '"chat.completion.chunk"')}\n\n` +
    "data: [DONE]\n\n";
  const res = await post(
    app(() =>
      new Response(sse, {
        headers: { "content-type": "text/event-stream", "content-length": String(sse.length) },
      })
    ),
    CHAT,
    { messages: HI, stream: true },
  );
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-length"), null);
  assert.ok((await res.text()).includes("[DONE]"));
});
