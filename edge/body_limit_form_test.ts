import assert from "node:assert/strict";
import { readFormLimited } from "./body_limit.ts";

/** A multipart request of `file` bytes, streamed in 1 KiB chunks, optionally failing after `failAt`. */
async function upload(bytes: number, init: { declare?: boolean; failAt?: number } = {}) {
  const form = new FormData();
  form.set("model", "whisper");
  form.set("file", new File([new Uint8Array(bytes).fill(7)], "a.wav"));
  const encoded = new Response(form);
  const type = encoded.headers.get("content-type")!;
  const wire = new Uint8Array(await encoded.arrayBuffer());
  let at = 0;
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (init.failAt !== undefined && at >= init.failAt) {
        return controller.error(new Error("client went away"));
      }
      if (at >= wire.length) return controller.close();
      pulled++;
      controller.enqueue(wire.slice(at, at += 1024));
    },
  });
  const headers: Record<string, string> = { "content-type": type };
  if (init.declare) headers["content-length"] = `${wire.length}`;
  return {
    request: new Request("http://x/", { method: "POST", headers, body }),
    size: wire.length,
    pulled: () => pulled,
  };
}

Deno.test("readFormLimited() parses a form up to the limit, the limit itself included", async () => {
  const { request, size } = await upload(10_000, { declare: true });
  const read = await readFormLimited(request, size);
  assert.ok(read.ok);
  assert.equal(read.form.get("model"), "whisper");
  assert.equal((read.form.get("file") as File).size, 10_000);
});

Deno.test("readFormLimited() refuses a declared length over the limit without reading", async () => {
  const { request, size, pulled } = await upload(10_000, { declare: true });
  assert.deepEqual(await readFormLimited(request, size - 1), { ok: false, reason: "too_large" });
  assert.ok(pulled() <= 1, `read ${pulled()} chunks`);
});

Deno.test("readFormLimited() stops a body without a length as soon as it passes the limit", async () => {
  const { request, pulled } = await upload(100_000);
  assert.deepEqual(await readFormLimited(request, 20_000), { ok: false, reason: "too_large" });
  assert.ok(pulled() < 40, `read ${pulled()} of ~98 chunks`);
});

Deno.test("readFormLimited() tells a body that failed from one that is no form", async () => {
  const cut = await upload(10_000, { failAt: 4096 });
  assert.deepEqual(await readFormLimited(cut.request, 1e6), { ok: false, reason: "unreadable" });
  const notForm = new Request("http://x/", {
    method: "POST",
    headers: { "content-type": "multipart/form-data; boundary=abc" },
    body: "this is not multipart",
  });
  assert.deepEqual(await readFormLimited(notForm, 1e6), { ok: false, reason: "unparsable" });
  const empty = new Request("http://x/", {
    method: "POST",
    headers: { "content-type": "multipart/form-data; boundary=abc" },
  });
  assert.deepEqual(await readFormLimited(empty, 1e6), { ok: false, reason: "unparsable" });
});

Deno.test("readFormLimited() is exported from @aoai/edge/edge, for upload routes of one's own", async () => {
  const edge: Record<string, unknown> = await import("./mod.ts");
  assert.equal(edge.readFormLimited, readFormLimited);
});
