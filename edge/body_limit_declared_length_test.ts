import assert from "node:assert/strict";
import { readBodyLimited, readFormLimited } from "./body_limit.ts";

/** A body of `size` bytes that records whether it was read and whether it was cancelled. */
function watched(size: number) {
  const seen = { pulled: false, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulled = true;
      controller.enqueue(new Uint8Array(size));
      controller.close();
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { body, seen };
}

const post = (body: BodyInit | null, length: string) =>
  new Request("http://x/", { method: "POST", body, headers: { "content-length": length } });

for (const read of [readBodyLimited, readFormLimited]) {
  Deno.test(`${read.name}() refuses a declared length over the cap unread, and cancels the body`, async () => {
    // The body itself is small: only the declared length can refuse it.
    const { body, seen } = watched(5);
    assert.deepEqual(await read(post(body, "100"), 10), { ok: false, reason: "too_large" });
    assert.deepEqual(seen, { pulled: false, cancelled: true });
    // No body at all, the same answer (nothing to cancel).
    assert.deepEqual(await read(post(null, "100"), 10), { ok: false, reason: "too_large" });
  });
}

Deno.test("readBodyLimited() reads a body whose declared length is the cap or under it", async () => {
  for (const length of ["10", "5"]) {
    const res = await readBodyLimited(post("hello", length), 10);
    assert.ok(res.ok, length);
    assert.equal(new TextDecoder().decode(res.bytes), "hello");
  }
});

Deno.test("readBodyLimited() counts the bytes when the declared length is not a plain number", async () => {
  // "1e3" is no content-length; Number() would read it as 1000, over the cap.
  const res = await readBodyLimited(post("hello", "1e3"), 10);
  assert.ok(res.ok);
  assert.equal(res.bytes.byteLength, 5);
});
