import assert from "node:assert/strict";
import { azurePath, errorOf, testApp } from "./_helpers.ts";

/** `text` gzip-compressed, as a client sending `content-encoding: gzip` would. */
async function gzip(text: string): Promise<ArrayBuffer> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return await new Response(stream).arrayBuffer();
}

Deno.test("a JSON route answers a compressed body with a 400 naming content-encoding, not 'not valid JSON'", async () => {
  const t = testApp();
  const chat = JSON.stringify({ messages: [{ role: "user", content: "x" }] });
  for (const encoding of ["gzip", "br", " GZIP "]) {
    const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": encoding },
      body: await gzip(chat),
    });
    assert.equal(res.status, 400, encoding);
    const err = await errorOf(res);
    assert.equal(err.code, "invalid_content_encoding", encoding);
    assert.equal(err.param, null);
    assert.match(err.message, /uncompressed.*content-encoding \(got "gzip"|uncompressed.*"br"/);
  }
  assert.equal(t.upstream.length, 0);
});

Deno.test("a JSON route takes content-encoding: identity as no encoding", async () => {
  const t = testApp();
  const res = await t.call(azurePath("gpt-4o", "chat/completions"), {
    method: "POST",
    headers: { "content-type": "application/json", "content-encoding": "identity" },
    body: JSON.stringify({ messages: [{ role: "user", content: "x" }] }),
  });
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("a multipart upload over the part limit says so", async () => {
  const t = testApp();
  const form = new FormData();
  for (let i = 0; i < 1100; i++) form.append(`f${i}`, "");
  form.append("file", new Blob([new Uint8Array(10)]), "a.wav");
  const res = await t.call(azurePath("whisper", "audio/transcriptions"), {
    method: "POST",
    body: form,
  });
  assert.equal(res.status, 400);
  const err = await errorOf(res);
  assert.equal(err.param, "file");
  assert.match(err.message, /more than 1024 parts/);
  assert.equal(t.upstream.length, 0);
});
