// With failover upstreams, a 429 (with its wait) followed by a last upstream that gives no answer
// at all (unreachable, timed out, sign-in failed): the client gets the 429 and its retry-after,
// which says when to come back, not a 502/504 that says nothing of the throttled upstream.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { APITimeoutError } from "../../src/errors/api_error.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { createEdgeApp, type EdgeAppOptions } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, postJson } from "./_helpers.ts";
import { cancelCounted, firstThenEmulator } from "./_first_upstream.ts";

type Last = "refused" | "timed out" | "sign-in fails";

/** The last upstream, failing as `last` says, without an answer. */
function failing(last: Last): AzureOpenAI {
  if (last === "timed out") {
    const slow = new AzureOpenAI({
      endpoint: "https://last.example",
      apiKey: "last-key-0123456789",
    });
    return {
      endpoint: slow.endpoint,
      apiVersion: slow.apiVersion,
      request: () => Promise.reject(new APITimeoutError("chat.completions.create timed out")),
    } as unknown as AzureOpenAI;
  }
  return new AzureOpenAI({
    endpoint: "https://last.example",
    ...(last === "refused"
      ? { apiKey: "last-key-0123456789", fetch: () => Promise.reject(new TypeError("refused")) }
      : { tokenProvider: () => Promise.reject(new Error("AADSTS7000215: bad secret")) }),
  });
}

/** An app over [an emulator answering 429 (retry after 7 s) once, then `last`]. */
function throttledThen(last: Last, options: Partial<Omit<EdgeAppOptions, "upstream">> = {}) {
  const emulator = createEmulator({
    apiKeys: ["first-key-0123456789"],
    faults: { retryAfterMs: 7000 },
  });
  emulator.failNext(1, 429);
  const errors: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: (line) => errors.push(line),
    ...options,
    upstream: [
      new AzureOpenAI({
        endpoint: "http://up0.local",
        apiKey: "first-key-0123456789",
        fetch: emulator.fetch,
      }),
      failing(last),
    ],
  });
  return { app, errors, emulator };
}

const CHAT = azurePath("gpt-4o", "chat/completions");
const hi = { messages: [{ role: "user", content: "hi" }] };

for (const last of ["refused", "timed out", "sign-in fails"] as const) {
  for (const stream of [false, true]) {
    Deno.test(`a 429 then a last upstream that ${last} answers the 429 with its retry-after (stream: ${stream})`, async () => {
      const t = throttledThen(last);
      const res = await t.app.fetch(postJson(CHAT, { ...hi, stream }));
      const error = await errorOf(res);
      assert.equal(res.status, 429, JSON.stringify(error));
      assert.equal(error.code, "429");
      assert.equal(res.headers.get("retry-after"), "7");
      assert.equal(res.headers.get("retry-after-ms"), "7000");
      assert.equal(res.headers.get("x-aoai-upstream"), "0");
      assert.equal(
        t.errors[0],
        "chat.completions.create: upstream up0.local answered 429; trying upstream 1",
      );
      assert.match(t.errors.at(-1)!, /answered upstream 0's 429 instead/);
      for (const line of t.errors) assert.doesNotMatch(line, /first-key|last-key/);
    });
  }
}

Deno.test("a 429 handed back by retry() (upstreamMaxRetries) then a last upstream that timed out answers the 429", async () => {
  const t = throttledThen("timed out", { upstreamMaxRetries: 2 });
  const res = await t.app.fetch(postJson(CHAT, hi));
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "7");
  assert.equal((await errorOf(res)).code, "429");
  assert.equal(t.emulator.stats.requests, 1, "not waited out on the first upstream");
});

Deno.test("a 503 then an unreachable last upstream still answers 502 UpstreamUnreachable (only a 429 says when to come back)", async () => {
  const t = throttledThen("refused");
  t.emulator.failNext(1, 503);
  const res = await t.app.fetch(postJson(CHAT, hi));
  assert.equal(res.status, 502);
  assert.equal((await errorOf(res)).code, "UpstreamUnreachable");
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
});

Deno.test("a 429 then a last upstream that answers: that answer, the 429's body cancelled", async () => {
  const first = cancelCounted(429, { "content-type": "application/json", "retry-after": "3" });
  const { app } = firstThenEmulator(first.fetch);
  const res = await app.fetch(postJson(CHAT, hi));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  await res.body?.cancel();
  assert.equal(first.cancelled(), 1);
});
