import assert from "node:assert/strict";
import { readBodyLimited } from "./body_limit.ts";

const text = (chunks: string[]) => {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(new TextEncoder().encode(chunks[i++]));
      else controller.close();
    },
  });
};
const post = (body: BodyInit) => new Request("http://x/", { method: "POST", body });

Deno.test("readBodyLimited() returns the bytes sent, in order, from one chunk or several", async () => {
  for (const chunks of [["hello"], ["he", "ll", "o"], ["", "hel", "", "lo"]]) {
    const res = await readBodyLimited(post(text(chunks)), 10);
    assert.equal(res.ok, true, chunks.join("|"));
    assert.ok(res.ok);
    assert.equal(new TextDecoder().decode(res.bytes), "hello", chunks.join("|"));
  }
});

Deno.test("readBodyLimited() answers unreadable for a body that fails before its end, never its first bytes", async () => {
  let sent = false;
  const failing = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) return controller.error(new Error("client went away"));
      sent = true;
      controller.enqueue(new Uint8Array(3));
    },
  });
  assert.deepEqual(await readBodyLimited(post(failing), 10), { ok: false, reason: "unreadable" });
});
