// What cools an upstream down after a try that gave no answer: a stream that ends before its first
// byte does (the next request starts at the other upstream); a client going away does not (the
// upstream did nothing wrong). Upstreams that were all unreachable, each tried as a last resort,
// get the app's 429 with the wait, not the 502 of a failed sign-in.
import assert from "node:assert/strict";
import { createEdgeApp } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, postJson } from "./_helpers.ts";
import { firstThenEmulator } from "./_first_upstream.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const hi = { messages: [{ role: "user", content: "hi" }] };

/** An app on a clock that stands still over [`first` (its calls counted), an emulator]. */
function counted(first: (req: Request, init?: RequestInit) => Promise<Response>) {
  const calls = { first: 0 };
  const { app } = firstThenEmulator((req, init) => (calls.first++, first(req, init)), {
    now: () => 1_000_000,
  });
  return { app, calls };
}

Deno.test("an upstream whose stream ended before its first byte is tried after the other next time", async () => {
  const { app, calls } = counted(() =>
    Promise.resolve(new Response("", { headers: { "content-type": "text/event-stream" } }))
  );
  const stream = await app.fetch(postJson(CHAT, { ...hi, stream: true }));
  assert.equal(stream.headers.get("x-aoai-upstream"), "1");
  await stream.text();
  const next = await app.fetch(postJson(CHAT, hi));
  assert.equal(next.status, 200);
  assert.equal(next.headers.get("x-aoai-upstream"), "1");
  await next.body?.cancel();
  assert.equal(calls.first, 1, "not asked again while it cools down");
});

Deno.test("a client that went away while the upstream worked does not cool that upstream down", async () => {
  let hang = true;
  let asked!: () => void;
  const sent = new Promise<void>((resolve) => asked = resolve);
  const { app, calls } = counted((req, init) => {
    if (!hang) return Promise.resolve(Response.json({ object: "chat.completion", choices: [] }));
    asked();
    const signal = init?.signal ?? req.signal;
    return new Promise((_, reject) =>
      signal.addEventListener("abort", () => reject(signal.reason))
    );
  });
  const client = new AbortController();
  const request = new Request(postJson(CHAT, hi), { signal: client.signal });
  const gone = app.fetch(request);
  await sent;
  client.abort();
  assert.equal((await gone).status, 499);
  hang = false;
  const next = await app.fetch(postJson(CHAT, hi));
  assert.equal(next.status, 200);
  assert.equal(next.headers.get("x-aoai-upstream"), "0");
  await next.body?.cancel();
  assert.equal(calls.first, 2);
});

Deno.test("upstreams all unreachable, each tried again as a last resort, get the app's 429, not a sign-in 502", async () => {
  const refused = () => Promise.reject(new TypeError("connection refused"));
  const app = createEdgeApp({
    clientKeys: [KEY],
    now: () => 1_000_000,
    onError: () => {},
    upstream: [0, 1].map((i) => ({
      endpoint: `https://down${i}.example`,
      apiKey: `down-key-${i}-0123456789`,
      fetch: refused,
    })),
  });
  for (const _ of [1, 2]) {
    const res = await app.fetch(postJson(CHAT, hi));
    assert.equal(res.status, 502);
    assert.equal((await errorOf(res)).code, "UpstreamUnreachable");
  }
  const res = await app.fetch(postJson(CHAT, hi));
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "5");
  assert.equal((await errorOf(res)).code, "UpstreamsCoolingDown");
});
