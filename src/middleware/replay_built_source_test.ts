// snapshot() of a client context whose request a layer built from the parts (read ctx.request)
// but did not replace: a form body is resent with fetch choosing its multipart type again (the
// built request's boundary would not match the new body's), a streamed body is not resendable.
import assert from "node:assert/strict";
import { CallContext, type CallFields, type RequestParts, resend, snapshot } from "./_replay.ts";
import { makeContext } from "../../tests/middleware/_context.ts";

function callContext(parts: Partial<RequestParts>): CallContext {
  const { request: _request, ...fields } = makeContext();
  return new CallContext({
    url: "https://res.openai.azure.com/openai/deployments/d/audio/transcriptions",
    method: "POST",
    headers: {},
    body: undefined,
    ...parts,
  }, { ...fields, state: {} } as CallFields);
}

Deno.test("snapshot() of a built form request drops its multipart content-type; the resend has its own", async () => {
  const form = new FormData();
  form.append("model", "whisper");
  const ctx = callContext({ body: form });
  const first = ctx.request.headers.get("content-type")!;
  assert.match(first, /^multipart\/form-data; boundary=/);
  const parts = await snapshot(ctx);
  assert.ok(parts);
  assert.equal(parts.headers["content-type"], undefined);
  assert.equal(parts.body, form);
  resend(ctx, parts);
  const again = ctx.request;
  const boundary = again.headers.get("content-type")!.split("boundary=")[1];
  assert.ok(
    (await again.text()).includes(`--${boundary}`),
    "the content-type names the body's boundary",
  );
});

Deno.test("snapshot() of a built request from a streamed body is undefined (it cannot be sent twice)", async () => {
  const ctx = callContext({ body: new ReadableStream(), duplex: "half" });
  assert.ok(ctx.request);
  assert.equal(await snapshot(ctx), undefined);
});

Deno.test("snapshot() of a built JSON request keeps its content-type (fetch would send text/plain)", async () => {
  const ctx = callContext({
    body: '{"input":"x"}',
    headers: { "content-type": "application/json" },
  });
  assert.ok(ctx.request);
  const parts = await snapshot(ctx);
  assert.equal(parts?.headers["content-type"], "application/json");
});
