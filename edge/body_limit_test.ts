import assert from "node:assert/strict";
import { readBodyLimited } from "./body_limit.ts";

function chunked(
  parts: number[],
): { stream: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let i = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < parts.length) controller.enqueue(new Uint8Array(parts[i++]).fill(65));
      else controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

Deno.test("readBodyLimited() returns all bytes when under the limit", async () => {
  const { stream } = chunked([3, 4, 5]);
  const res = await readBodyLimited(new Request("http://x/", { method: "POST", body: stream }), 12);
  assert.ok(res.ok);
  assert.equal(res.bytes.byteLength, 12);
});

Deno.test("readBodyLimited() stops and cancels the stream once past the limit", async () => {
  const { stream, cancelled } = chunked([8, 8, 8, 8]);
  const res = await readBodyLimited(new Request("http://x/", { method: "POST", body: stream }), 10);
  assert.deepEqual(res, { ok: false, reason: "too_large" });
  assert.equal(cancelled(), true);
});

Deno.test("readBodyLimited() refuses a declared content-length over the limit unread", async () => {
  const req = new Request("http://x/", {
    method: "POST",
    body: "0123456789",
    headers: { "content-length": "10" },
  });
  assert.deepEqual(await readBodyLimited(req, 9), { ok: false, reason: "too_large" });
});

Deno.test("readBodyLimited() returns empty bytes for a request without a body", async () => {
  const res = await readBodyLimited(new Request("http://x/"), 10);
  assert.ok(res.ok);
  assert.equal(res.bytes.byteLength, 0);
});
