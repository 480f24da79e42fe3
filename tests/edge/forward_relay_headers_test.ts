// The headers forward() relays besides the upstream's own: an event stream gets the headers that
// keep proxies (nginx: x-accel-buffering) and browsers from buffering or caching it, a JSON
// answer none of them; an operation-location under the upstream's endpoint becomes this app's
// poll URL with the request's api-version (none on a v1 route, which has none), and one naming no
// operation id is dropped with its own report (it was under the endpoint).
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { azurePath, KEY, operationLocationAnswer, postJson } from "./_helpers.ts";

/** An app whose upstream answers every call with `answer()`, and its onError lines. */
function appAnswering(answer: () => Response) {
  const errors: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    upstream: new AzureOpenAI({
      endpoint: "https://my-res.openai.azure.com",
      apiKey: "azure-key",
      maxRetries: 0,
      fetch: () => Promise.resolve(answer()),
    }),
    onError: (m) => void errors.push(m),
  });
  return { app, errors };
}

const CHAT = { messages: [{ role: "user", content: "hi" }] };

Deno.test("an event stream is relayed with cache-control: no-cache and x-accel-buffering: no; a JSON answer with neither", async () => {
  const { app } = appAnswering(() =>
    new Response("data: {}\n\ndata: [DONE]\n\n", {
      headers: { "content-type": "text/event-stream" },
    })
  );
  const stream = await app.fetch(
    postJson(azurePath("gpt-4o", "chat/completions"), { ...CHAT, stream: true }),
  );
  assert.equal(stream.status, 200);
  assert.equal(stream.headers.get("cache-control"), "no-cache");
  assert.equal(stream.headers.get("x-accel-buffering"), "no");
  await stream.body?.cancel();

  const { app: jsonApp } = appAnswering(() => Response.json({ object: "list", data: [] }));
  const json = await jsonApp.fetch(
    postJson(azurePath("text-embedding-3-small", "embeddings"), { input: "a" }),
  );
  assert.equal(json.status, 200);
  assert.equal(json.headers.get("cache-control"), null);
  assert.equal(json.headers.get("x-accel-buffering"), null);
  await json.body?.cancel();
});

Deno.test("an operation-location under the endpoint on a v1 route (no api-version) becomes this app's poll URL without a query", async () => {
  const { app, errors } = appAnswering(() =>
    Response.json({ object: "list", data: [] }, {
      headers: {
        "operation-location":
          "https://my-res.openai.azure.com/openai/operations/images/op1?sig=upstream-secret",
      },
    })
  );
  const res = await app.fetch(
    postJson("/openai/v1/embeddings", { model: "text-embedding-3-small", input: "a" }),
  );
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.equal(
    res.headers.get("operation-location"),
    "http://edge.test/openai/operations/images/op1",
  );
  assert.deepEqual(errors, []);
});

Deno.test("an operation-location under the endpoint naming no operation id is reported as under it", async () => {
  const { location, errors } = await operationLocationAnswer(
    "https://my-res.openai.azure.com",
    "https://my-res.openai.azure.com/status?token=upstream-secret-token",
    { method: "POST", path: "/openai/images/generations:submit" },
    "2023-06-01-preview",
  );
  assert.equal(location, null);
  assert.equal(errors.length, 1);
  assert.match(
    errors[0],
    /^images\.\w+: upstream my-res\.openai\.azure\.com answered an operation-location under its endpoint that names no operation id; dropped$/,
  );
});
