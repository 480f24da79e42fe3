import assert from "node:assert/strict";
import {
  CallContext,
  type CallFields,
  isReplayableBody,
  type RequestParts,
  resend,
  snapshot,
  sourceText,
  unbuiltParts,
} from "./_replay.ts";
import { makeContext } from "../../tests/middleware/_context.ts";

function callContext(parts: Partial<RequestParts> = {}): CallContext {
  const { request: _request, ...fields } = makeContext();
  return new CallContext({
    url: "https://res.openai.azure.com/openai/deployments/d/embeddings?api-version=2024-10-21",
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"input":"x"}',
    ...parts,
  }, { ...fields, state: {} } as CallFields);
}

Deno.test("CallContext builds ctx.request from its parts on first read", async () => {
  const ctx = callContext();
  assert.equal(unbuiltParts(ctx), ctx.parts, "nothing built yet");
  ctx.parts.headers["api-key"] = "k";
  const request = ctx.request;
  assert.equal(ctx.request, request, "built once");
  assert.equal(unbuiltParts(ctx), undefined);
  assert.equal(request.method, "POST");
  assert.equal(request.headers.get("api-key"), "k");
  assert.equal(sourceText(ctx), '{"input":"x"}', "built from the parts");
  assert.equal(await request.text(), '{"input":"x"}');
});

Deno.test("CallContext.restart() makes the next read build a fresh request", async () => {
  const ctx = callContext();
  const first = ctx.request;
  await first.text();
  ctx.restart(ctx.parts);
  assert.equal(unbuiltParts(ctx), ctx.parts);
  const second = ctx.request;
  assert.notEqual(second, first);
  assert.equal(await second.text(), '{"input":"x"}');
});

Deno.test("CallContext keeps a request a layer set instead of its parts", () => {
  const ctx = callContext();
  const replaced = new Request("https://other.test/", { method: "GET" });
  ctx.request = replaced;
  assert.equal(ctx.request, replaced);
  assert.equal(unbuiltParts(ctx), undefined);
  assert.equal(sourceText(ctx), undefined, "the parts no longer describe what is sent");
});

Deno.test("unbuiltParts() is undefined for a context the client did not make", () => {
  assert.equal(unbuiltParts(makeContext()), undefined);
});

Deno.test("isReplayableBody() accepts ready bodies and rejects streams", () => {
  for (
    const body of ["x", new Uint8Array(1), new ArrayBuffer(1), new Blob(["x"]), new FormData()]
  ) {
    assert.ok(isReplayableBody(body));
  }
  assert.ok(!isReplayableBody(new ReadableStream()));
  assert.ok(isReplayableBody(undefined), "no body: nothing to replay");
});

Deno.test("snapshot() returns the unbuilt parts synchronously, or none for a streamed body", () => {
  const ctx = callContext();
  assert.equal(snapshot(ctx), ctx.parts);
  const streamed = callContext({ body: new ReadableStream() });
  assert.equal(snapshot(streamed), undefined);
});

Deno.test("snapshot() keeps the headers a layer set on the request built from the parts", async () => {
  const ctx = callContext();
  ctx.request.headers.set("x-signed", "1");
  const parts = await snapshot(ctx);
  assert.ok(parts);
  assert.equal(parts.headers["x-signed"], "1");
  assert.equal(parts.body, '{"input":"x"}', "the recorded body, not a read of the request");
  resend(ctx, parts);
  assert.equal(unbuiltParts(ctx), parts);
  assert.equal(await ctx.request.text(), '{"input":"x"}');
});

Deno.test("snapshot() reads a request a layer set into bytes, and resend() sends them again", async () => {
  const ctx = callContext();
  ctx.request = new Request("https://other.test/p", { method: "POST", body: "replaced" });
  const parts = await snapshot(ctx);
  assert.ok(parts);
  assert.equal(parts.url, "https://other.test/p");
  for (let i = 0; i < 2; i++) {
    resend(ctx, parts);
    assert.equal(await ctx.request.text(), "replaced");
  }
  const plain = makeContext({ request: new Request("https://x.test/", { method: "DELETE" }) });
  const none = await snapshot(plain);
  assert.equal(none?.body, undefined);
  resend(plain, none!);
  assert.equal(plain.request.method, "DELETE");
});

Deno.test("snapshot() refuses to buffer a request whose context is not replayable", () => {
  const ctx = makeContext({
    request: new Request("https://x.test/", { method: "POST", body: "x" }),
    replayable: false,
  });
  assert.equal(snapshot(ctx), undefined);
  assert.equal(ctx.request.bodyUsed, false, "the body was not read");
});
