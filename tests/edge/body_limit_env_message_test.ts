// The 413 of a body over the app's limit names what an operator can change: the option and the
// variable of `deno task serve` and the Worker (AOAI_EDGE_MAX_JSON_BYTES /
// AOAI_EDGE_MAX_MULTIPART_BYTES), not only a library option they cannot set.
import assert from "node:assert/strict";
import { azurePath, errorOf, testApp } from "./_helpers.ts";

Deno.test("413 of a JSON body names maxJsonBytes and AOAI_EDGE_MAX_JSON_BYTES", async () => {
  const t = testApp({ maxJsonBytes: 100 });
  const res = await t.call(azurePath("text-embedding-3-small", "embeddings"), {
    json: { input: "x".repeat(200) },
  });
  assert.equal(res.status, 413);
  const { message } = await errorOf(res);
  assert.match(message, /maxJsonBytes \(AOAI_EDGE_MAX_JSON_BYTES\)/);
});

Deno.test("413 of an upload names maxMultipartBytes and AOAI_EDGE_MAX_MULTIPART_BYTES", async () => {
  const t = testApp({
    emulator: { deployments: [{ name: "whisper", model: "whisper" }] },
    maxMultipartBytes: 1000,
  });
  const form = new FormData();
  form.set("file", new File([new Uint8Array(2000)], "talk.wav"));
  const res = await t.call(azurePath("whisper", "audio/transcriptions"), {
    method: "POST",
    body: form,
  });
  assert.equal(res.status, 413);
  const { message } = await errorOf(res);
  assert.match(message, /maxMultipartBytes \(AOAI_EDGE_MAX_MULTIPART_BYTES\)/);
});
