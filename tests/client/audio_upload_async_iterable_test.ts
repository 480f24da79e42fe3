// SDK parity: any AsyncIterable of Uint8Array / string chunks (a Node or Bun fs.ReadStream) as an
// audio upload's `file`: read under the 25 MB limit, named by `filename`, else its `path`'s basename.
import assert from "node:assert/strict";
import { APIUserAbortError } from "../../mod.ts";
import { assertRefusedWhileRead, uploadClient } from "./_upload_emulator.ts";

/** An async iterable of `list`'s chunks carrying `path`. */
function chunks(list: (Uint8Array | string)[], path?: string) {
  const iterable = {
    path,
    async *[Symbol.asyncIterator]() {
      for (const chunk of list) yield chunk;
    },
  };
  return { iterable };
}

Deno.test("audio upload: an async iterable's byte and text chunks are sent, named by its path's basename", async () => {
  const { client } = uploadClient();
  const paths = ["/home/me/talk.wav", "C:\\Users\\me\\talk.wav", "talk.wav"];
  for (const path of paths) {
    const { iterable } = chunks([new Uint8Array(1000), "Grüße", new Uint8Array(24)], path);
    const res = await client.audio.transcriptions.create({
      model: "whisper",
      file: iterable as never,
    });
    // "Grüße" is 7 bytes of UTF-8.
    assert.equal(res.text, "talk.wav 1031 application/octet-stream", path);
  }
});

Deno.test("audio upload: filename names an async iterable, with or without a path", async () => {
  const { client } = uploadClient();
  for (const path of [undefined, "/tmp/x.bin"]) {
    const { iterable } = chunks([new Uint8Array(500)], path);
    const res = await client.audio.translations.create({
      model: "whisper",
      file: iterable as never,
      filename: "given.mp3",
    });
    assert.equal(res.text, "given.mp3 500 application/octet-stream");
  }
});

Deno.test("audio upload: an async iterable with no name to find is refused naming filename, unread", async () => {
  const { client, requests } = uploadClient();
  let started = false;
  const iterable = {
    async *[Symbol.asyncIterator]() {
      started = true;
      yield new Uint8Array(10);
    },
  };
  await assert.rejects(
    client.audio.transcriptions.create({ model: "whisper", file: iterable as never }),
    (err: unknown) =>
      err instanceof TypeError &&
      /params\.filename is required when file has no name/.test(err.message),
  );
  assert.equal(started, false);
  assert.equal(requests(), 0);
});

Deno.test("audio upload: an async iterable over 25 MB is refused while read and closed; nothing is sent", async () => {
  let pulled = 0;
  let closed = false;
  const iterable = {
    path: "/data/long.wav",
    async *[Symbol.asyncIterator]() {
      try {
        // 100 MB if read to the end.
        for (; pulled < 100; pulled++) yield new Uint8Array(1024 * 1024);
      } finally {
        closed = true;
      }
    },
  };
  await assertRefusedWhileRead(iterable, () => closed, () => pulled);
});

Deno.test("audio upload: an abort while an async iterable is read rejects with APIUserAbortError; nothing is sent", async () => {
  const { client, requests } = uploadClient();
  const controller = new AbortController();
  const iterable = {
    path: "/data/slow.wav",
    async *[Symbol.asyncIterator]() {
      yield new Uint8Array(100);
      controller.abort(new Error("user left"));
      await new Promise(() => {}); // stalls: only the abort ends the read
    },
  };
  await assert.rejects(
    client.audio.transcriptions.create({ model: "whisper", file: iterable as never }, {
      signal: controller.signal,
    }),
    (err: unknown) => err instanceof APIUserAbortError,
  );
  assert.equal(requests(), 0);
});
