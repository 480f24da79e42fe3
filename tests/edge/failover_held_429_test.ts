// While the next upstreams are tried, the last 429 failed over from is held (its body read in the
// background) to answer with if the last upstream gives none. A later 429 takes its place: the
// read of the one before is cancelled then, not left holding its connection open. A last
// upstream that fails inside the app (a bug, not the network) answers its own 500: the held 429
// stands in only for no answer (unreachable, timed out, sign-in failed).
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, postJson } from "./_helpers.ts";
import { cancelCounted } from "./_first_upstream.ts";
import { settle } from "./_stream_upstream.ts";

Deno.test("a 429 held for an answer is let go (its body cancelled) when a later upstream answers 429 too", async () => {
  const first = cancelCounted(429, { "content-type": "application/json", "retry-after": "3" });
  const last = createEmulator({ apiKeys: ["last-key-0123456789"] });
  const errors: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: (line) => void errors.push(line),
    upstream: [
      { endpoint: "https://first.example", apiKey: "first-key-0123456789", fetch: first.fetch },
      {
        endpoint: "https://second.example",
        apiKey: "second-key-0123456789",
        fetch: () =>
          Promise.resolve(
            Response.json({ error: { code: "429", message: "slow down" } }, {
              status: 429,
              headers: { "retry-after": "5" },
            }),
          ),
      },
      { endpoint: "http://up2.local", apiKey: last.apiKey, fetch: last.fetch },
    ],
  });
  const res = await app.fetch(
    postJson(azurePath("gpt-4o", "chat/completions"), {
      messages: [{ role: "user", content: "hi" }],
    }),
  );
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "2");
  await res.body?.cancel();
  await settle(() => first.cancelled() > 0);
  assert.equal(first.cancelled(), 1, "the first 429's body read is cancelled");
  assert.deepEqual(errors, [
    "chat.completions.create: upstream first.example answered 429; trying upstream 1",
    "chat.completions.create: upstream second.example answered 429; trying upstream 2",
  ]);
});

Deno.test("a last upstream failing inside the app (not unreachable) answers its 500, not the 429 held before", async () => {
  const throttled = createEmulator({ apiKeys: ["first-key-0123456789"] });
  throttled.failNext(1, 429);
  const broken = new AzureOpenAI({ endpoint: "https://last.example", apiKey: "last-key-0123" });
  const errors: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: (line) => void errors.push(line),
    upstream: [
      new AzureOpenAI({
        endpoint: "http://up0.local",
        apiKey: throttled.apiKey,
        fetch: throttled.fetch,
      }),
      {
        endpoint: broken.endpoint,
        apiVersion: broken.apiVersion,
        request: () => Promise.reject(new Error("a bug, not the network")),
      } as unknown as AzureOpenAI,
    ],
  });
  const res = await app.fetch(
    postJson(azurePath("gpt-4o", "chat/completions"), {
      messages: [{ role: "user", content: "hi" }],
    }),
  );
  assert.equal(res.status, 500);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  assert.equal((await errorOf(res)).code, "EdgeError");
  assert.equal(errors.at(-1), "chat.completions.create: a bug, not the network");
});

/** An app over [`first` answering through `fetch`, an upstream that cannot be reached]. */
function thenUnreachable(fetch: () => Promise<Response>) {
  return createEdgeApp({
    clientKeys: [KEY],
    onError: () => {},
    upstream: [
      { endpoint: "https://first.example", apiKey: "first-key-0123456789", fetch },
      {
        endpoint: "https://down.example",
        apiKey: "down-key-0123456789",
        fetch: () => Promise.reject(new TypeError("connection refused")),
      },
    ],
  });
}

const CHAT = { messages: [{ role: "user", content: "hi" }] };

Deno.test("a held 429 answered in the end is scrubbed of the app's upstream key like any error", async () => {
  const app = thenUnreachable(() =>
    Promise.resolve(
      Response.json({ error: { code: "429", message: "key first-key-0123456789 is throttled" } }, {
        status: 429,
        headers: { "retry-after": "4" },
      }),
    )
  );
  const res = await app.fetch(postJson(azurePath("gpt-4o", "chat/completions"), CHAT));
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "4");
  assert.equal(res.headers.get("x-aoai-upstream"), "0");
  const text = await res.text();
  assert.ok(!text.includes("first-key-0123456789"), text);
  assert.match(JSON.parse(text).error.message, /is throttled/);
});

Deno.test("a held 429 without a body is answered in the end, in the service's shape", async () => {
  const app = thenUnreachable(() =>
    Promise.resolve(new Response(null, { status: 429, headers: { "retry-after": "4" } }))
  );
  const res = await app.fetch(postJson(azurePath("gpt-4o", "chat/completions"), CHAT));
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "4");
  assert.equal((await errorOf(res)).code, "UpstreamError");
});
