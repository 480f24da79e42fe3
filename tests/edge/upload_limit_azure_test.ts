// Azure takes audio uploads of up to 25 MB, counted over the whole multipart request (its 413:
// "Maximum content size limit (26214400) exceeded"), as the client's MAX_AUDIO_BYTES does. The
// app's default upload limit is that same 26214400 bytes: at 26 MiB it read and sent upstream a
// body Azure refuses, and its 413 named a limit the client's own check disagreed with.
import assert from "node:assert/strict";
import { MAX_AUDIO_BYTES } from "../../src/resources/audio.ts";
import { MAX_MULTIPART_BYTES, maxBodyBytesFromEnv } from "../../edge/_env.ts";
import { azurePath, errorOf, testApp } from "./_helpers.ts";

Deno.test("edge app: an upload over Azure's 25 MB (MAX_AUDIO_BYTES, whole request) gets the app's 413, nothing sent upstream", async () => {
  assert.equal(MAX_AUDIO_BYTES, 26214400);
  const t = testApp({ emulator: { deployments: [{ name: "whisper", model: "whisper" }] } });
  const form = new FormData();
  form.set("file", new File([new Uint8Array(MAX_AUDIO_BYTES)], "talk.wav"));
  const res = await t.call(azurePath("whisper", "audio/transcriptions"), {
    method: "POST",
    body: form,
  });
  assert.equal(res.status, 413);
  const error = await errorOf(res);
  assert.equal(error.code, "request_too_large");
  assert.equal(error.param, "file");
  assert.match(error.message, /26214400 bytes/);
  assert.match(error.message, /25 MB/);
  assert.deepEqual(t.upstream, []);
});

Deno.test("edge app: an upload of a few bytes under 25 MB, form included, goes upstream", async () => {
  const t = testApp({ emulator: { deployments: [{ name: "whisper", model: "whisper" }] } });
  const form = new FormData();
  form.set("file", new File([new Uint8Array(MAX_AUDIO_BYTES - 1000)], "talk.wav"));
  const res = await t.call(azurePath("whisper", "audio/transcriptions"), {
    method: "POST",
    body: form,
  });
  await res.body?.cancel();
  assert.equal(res.status, 200);
  assert.equal(t.upstream.length, 1);
});

Deno.test("AOAI_EDGE_MAX_MULTIPART_BYTES: its error states the default as 26214400 (25 MiB)", () => {
  assert.throws(
    () => maxBodyBytesFromEnv(MAX_MULTIPART_BYTES, "lots"),
    /AOAI_EDGE_MAX_MULTIPART_BYTES.*default 26214400, 25 MiB/,
  );
});
