// SDK parity: a fetch `Response` as an audio upload's `file` (the openai SDK's ResponseLike). Its
// body is read and sent; the name is `filename`, else the last segment of the response's URL.
import assert from "node:assert/strict";
import { assertRefusedWhileRead, uploadClient } from "./_upload_emulator.ts";

/** A Response of `bytes` as fetch gives it: with a URL (a constructed Response has none). */
function fetched(bytes: Uint8Array<ArrayBuffer>, url: string): Response {
  const response = new Response(bytes, { headers: { "content-type": "audio/wav" } });
  Object.defineProperty(response, "url", { value: url });
  return response;
}

Deno.test("audio upload: a Response's body is sent, named by the last segment of its URL's path", async () => {
  const { client } = uploadClient();
  const file = fetched(new Uint8Array(3000).fill(7), "https://cdn.example/audio/talk.wav?sig=x#y");
  const res = await client.audio.transcriptions.create({ model: "whisper", file: file as never });
  assert.equal(res.text, "talk.wav 3000 application/octet-stream");
  assert.equal(file.bodyUsed, true);
});

Deno.test("audio upload: filename names a Response whose URL has no file name", async () => {
  const { client } = uploadClient();
  for (const url of ["", "https://cdn.example/"]) {
    const file = fetched(new Uint8Array(1200), url);
    const res = await client.audio.translations.create({
      model: "whisper",
      file: file as never,
      filename: "given.mp3",
    });
    assert.equal(res.text, "given.mp3 1200 application/octet-stream", url);
  }
});

Deno.test("audio upload: a Response with no name to find is refused naming filename; nothing is sent", async () => {
  const { client, requests } = uploadClient();
  for (const url of ["", "https://cdn.example/"]) {
    await assert.rejects(
      client.audio.transcriptions.create({
        model: "whisper",
        file: fetched(new Uint8Array(10), url) as never,
      }),
      (err: unknown) =>
        err instanceof TypeError &&
        /params\.filename is required when file has no name/.test(err.message),
    );
  }
  assert.equal(requests(), 0);
});

Deno.test("audio upload: a Response whose body was already read is refused saying so; nothing is sent", async () => {
  const { client, requests } = uploadClient();
  const file = fetched(new Uint8Array(10), "https://cdn.example/a.wav");
  await file.arrayBuffer();
  await assert.rejects(
    client.audio.transcriptions.create({ model: "whisper", file: file as never }),
    (err: unknown) =>
      err instanceof TypeError &&
      /params\.file is a Response whose body was already read/.test(err.message),
  );
  assert.equal(requests(), 0);
});

Deno.test("audio upload: a Response over 25 MB is refused while read: its body is cancelled, nothing is sent", async () => {
  let pulled = 0;
  let cancelled = false;
  const chunk = new Uint8Array(1024 * 1024);
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (++pulled > 100) c.close(); // 100 MB if read to the end
      else c.enqueue(chunk);
    },
    cancel() {
      cancelled = true;
    },
  });
  const file = new Response(body);
  Object.defineProperty(file, "url", { value: "https://cdn.example/long.wav" });
  await assertRefusedWhileRead(file, () => cancelled, () => pulled);
});
