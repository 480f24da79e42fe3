// The 413 of a body over the app's limit says what to do about that body: an upload's names the
// upload limit (maxMultipartBytes), not batching inputs or the JSON limit; a JSON body's names
// maxJsonBytes. Each also names the variable of `deno task serve` and the Worker that raises it
// (AOAI_EDGE_MAX_MULTIPART_BYTES / AOAI_EDGE_MAX_JSON_BYTES): operators there cannot set options.
import assert from "node:assert/strict";
import { azurePath, errorOf, testApp } from "./_helpers.ts";

Deno.test("413: an upload over maxMultipartBytes names that limit, not maxJsonBytes or batching inputs", async () => {
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
  assert.doesNotMatch(message, /maxJsonBytes|inputs/);
});

Deno.test("413: a JSON body over maxJsonBytes names that limit only", async () => {
  const t = testApp({ maxJsonBytes: 100 });
  const res = await t.call(azurePath("text-embedding-3-small", "embeddings"), {
    json: { input: "x".repeat(200) },
  });
  assert.equal(res.status, 413);
  const { message } = await errorOf(res);
  assert.match(message, /maxJsonBytes \(AOAI_EDGE_MAX_JSON_BYTES\)/);
  assert.doesNotMatch(message, /maxMultipartBytes/);
});
