import assert from "node:assert/strict";
import {
  CallContext,
  type CallFields,
  isReplayableBody,
  type RequestParts,
  restartRequest,
  unbuiltParts,
} from "./_replay.ts";
import { REPLAY_BODY_STATE_KEY } from "./_state.ts";
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

Deno.test("CallContext builds ctx.request from its parts on first read and records the body", async () => {
  const ctx = callContext();
  assert.equal(unbuiltParts(ctx), ctx.parts, "nothing built yet");
  ctx.parts.headers["api-key"] = "k";
  const request = ctx.request;
  assert.equal(ctx.request, request, "built once");
  assert.equal(unbuiltParts(ctx), undefined);
  assert.equal(request.method, "POST");
  assert.equal(request.headers.get("api-key"), "k");
  assert.deepEqual(ctx.state[REPLAY_BODY_STATE_KEY], { request, body: '{"input":"x"}' });
  assert.equal(await request.text(), '{"input":"x"}');
});

Deno.test("CallContext.restart() makes the next read build a fresh request", async () => {
  const ctx = callContext();
  const first = ctx.request;
  await first.text();
  restartRequest(ctx);
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
  assert.ok(!isReplayableBody(undefined));
});
