// A multipart body of many tiny parts, under the byte cap: 25 MB of empty fields is ~490 000
// parts, which the platform's parser took ~4 s of CPU and ~200 MB to read (a 25 MB file: 0.2 s),
// and the app then sent upstream. readFormLimited() stops at `maxParts` (1024 by default).
import assert from "node:assert/strict";
import { readFormLimited } from "./body_limit.ts";
import { azurePath, errorOf, testApp } from "../tests/edge/_helpers.ts";

/** The wire bytes and content-type of a form of `fields` empty fields and one small file. */
async function manyParts(fields: number, boundaryQuoted = false) {
  const form = new FormData();
  for (let i = 0; i < fields; i++) form.append("x", "");
  form.set("file", new File([new Uint8Array(8).fill(45)], "a.wav"));
  const encoded = new Response(form);
  let type = encoded.headers.get("content-type")!;
  if (boundaryQuoted) type = type.replace(/boundary=(.*)$/, 'boundary="$1"');
  return { type, wire: new Uint8Array(await encoded.arrayBuffer()) };
}

/** A request of `wire` streamed in chunks of `size` bytes. */
function chunked(type: string, wire: Uint8Array, size: number): Request {
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= wire.length) return controller.close();
      controller.enqueue(wire.slice(at, at += size));
    },
  });
  return new Request("http://x/", { method: "POST", headers: { "content-type": type }, body });
}

Deno.test("readFormLimited() refuses a form of more than 1024 parts, whatever its chunks", async () => {
  for (const size of [1, 7, 4096, 1 << 20]) {
    const over = await manyParts(1024); // 1025 parts with the file
    const read = await readFormLimited(chunked(over.type, over.wire, size), 1 << 20);
    assert.deepEqual(read, { ok: false, reason: "unparsable" }, `chunks of ${size}`);
    const most = await manyParts(1023, size === 7); // 1024 parts
    const ok = await readFormLimited(chunked(most.type, most.wire, size), 1 << 20);
    assert.ok(ok.ok, `chunks of ${size}`);
    assert.equal(ok.form.getAll("x").length, 1023);
  }
});

Deno.test("readFormLimited() takes maxParts, and counts only delimiters (a file may hold the boundary's text mid-line)", async () => {
  const { type, wire } = await manyParts(3);
  assert.deepEqual(await readFormLimited(chunked(type, wire, 5), 1 << 20, 3), {
    ok: false,
    reason: "unparsable",
  });
  assert.ok((await readFormLimited(chunked(type, wire, 5), 1 << 20, 4)).ok);
  const boundary = /boundary=(.*)$/.exec(type)![1];
  const form = new FormData();
  form.set("file", new File([`x--${boundary}y\n--${boundary}z`.repeat(10)], "a.wav"));
  const read = await readFormLimited(
    new Request("http://x/", { method: "POST", body: form }),
    1e6,
    1,
  );
  assert.ok(read.ok);
});

Deno.test("edge app: an upload of 5000 empty fields is refused with 400 and nothing goes upstream", async () => {
  const t = testApp({ emulator: { deployments: [{ name: "whisper", model: "whisper" }] } });
  const { type, wire } = await manyParts(5000);
  const res = await t.call(azurePath("whisper", "audio/transcriptions"), {
    method: "POST",
    headers: { "content-type": type },
    body: wire,
  });
  assert.equal(res.status, 400);
  assert.equal((await errorOf(res)).param, "file");
  assert.deepEqual(t.upstream, []);
});
