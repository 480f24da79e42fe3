// A client asked for `stream: true` and the upstream answered 200 application/json (a proxy or
// policy that dropped the flag). Relaying that JSON would not be what Azure answers: an SDK reads
// a stream request's body as events, and a JSON body has none, so its stream would end empty as if
// the model said nothing. The app answers 502 UpstreamError instead (and fails over). Azure's own
// error bodies on a stream request are JSON with a 4xx/5xx status, and those are relayed as sent.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY } from "./_helpers.ts";

const COMPLETION = JSON.stringify({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
});
const AZURE_400 = JSON.stringify({
  error: { code: "OperationNotSupported", message: "stream is not supported", param: null },
});

function app(status: number, body: string) {
  return createEdgeApp({
    clientKeys: [KEY],
    upstream: new AzureOpenAI({
      endpoint: "http://upstream.local",
      apiKey: "azure-key",
      maxRetries: 0,
      fetch: () =>
        Promise.resolve(
          new Response(body, { status, headers: { "content-type": "application/json" } }),
        ),
    }),
  });
}

function streamed(): Request {
  return new Request(`http://edge.local${azurePath("gpt-4o", "chat/completions")}`, {
    method: "POST",
    headers: { "api-key": KEY, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], stream: true }),
  });
}

Deno.test("stream: true answered 200 application/json upstream gets 502 UpstreamError, not the JSON", async () => {
  const res = await app(200, COMPLETION).fetch(streamed());
  assert.equal(res.status, 502);
  const error = await errorOf(res);
  assert.equal(error.code, "UpstreamError");
  assert.match(error.message, /application\/json, not an event stream/);
});

Deno.test("stream: true answered with Azure's JSON 400 gets that 400 and body as sent", async () => {
  const res = await app(400, AZURE_400).fetch(streamed());
  assert.equal(res.status, 400);
  const error = await errorOf(res);
  assert.equal(error.code, "OperationNotSupported");
  assert.equal(error.message, "stream is not supported");
});
