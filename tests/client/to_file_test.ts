// SDK parity: toFile(value, name?, options?) as the openai SDK exports it, for each input it
// takes; the File it gives uploads with its name and type (the emulator answers `name size type`).
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { toFile } from "../../mod.ts";
import { uploadClient } from "./_upload_emulator.ts";

const bytes = () => new Uint8Array(2000).map((_, i) => i % 256);

/** A Response as fetch gives it, with `url`. */
function fetched(url: string, type?: string): Response {
  const response = new Response(bytes(), type ? { headers: { "content-type": type } } : {});
  Object.defineProperty(response, "url", { value: url });
  return response;
}

Deno.test("toFile: every input kind gives a File of its bytes that uploads under its name", async () => {
  const { client } = uploadClient();
  const kinds: [string, () => unknown][] = [
    ["Blob", () => new Blob([bytes()], { type: "audio/wav" })],
    ["File", () => new File([bytes()], "ignored.wav")],
    ["Uint8Array", () => bytes()],
    ["Buffer", () => Buffer.from(bytes())],
    ["ArrayBuffer", () => bytes().buffer],
    ["DataView", () => new DataView(bytes().buffer)],
    ["ReadableStream", () => new Blob([bytes()]).stream()],
    ["Response", () => fetched("https://cdn.example/x.wav")],
    ["AsyncIterable", () => ({
      async *[Symbol.asyncIterator]() {
        yield bytes().subarray(0, 500);
        yield bytes().subarray(500);
      },
    })],
    ["Promise", () => Promise.resolve(bytes())],
  ];
  for (const [kind, make] of kinds) {
    const file = await toFile(make() as never, "clip.mp3");
    assert.ok(file instanceof File, kind);
    assert.equal(file.name, "clip.mp3", kind);
    assert.deepEqual(new Uint8Array(await file.arrayBuffer()), bytes(), kind);
    const res = await client.audio.transcriptions.create({ model: "whisper", file });
    assert.equal(res.text, `clip.mp3 2000 ${file.type || "application/octet-stream"}`, kind);
  }
});

Deno.test("toFile: without a name, a File's name, a Response URL's last segment or a path's basename", async () => {
  const named = {
    path: "/recordings/take 2.wav",
    async *[Symbol.asyncIterator]() {
      yield "RIFF";
    },
  };
  const names = await Promise.all([
    toFile(new File([bytes()], "own.wav")),
    toFile(fetched("https://cdn.example/a/b/talk.m4a?x=1")),
    toFile(named as never),
    toFile(bytes()),
  ]);
  assert.deepEqual(names.map((f) => f.name), ["own.wav", "talk.m4a", "take 2.wav", ""]);
  assert.equal(names[2].size, 4);
  // A File without a name uploads once filename names it.
  const { client } = uploadClient();
  await assert.rejects(
    client.audio.transcriptions.create({ model: "whisper", file: names[3] }),
    /params\.filename is required/,
  );
});

Deno.test("toFile: options.type sets the type, else a Blob's own type", async () => {
  const blob = new Blob([bytes()], { type: "audio/wav" });
  assert.equal((await toFile(blob, "a.wav")).type, "audio/wav");
  assert.equal((await toFile(blob, "a.wav", { type: "audio/x-wav" })).type, "audio/x-wav");
  assert.equal((await toFile(bytes(), "a.mp3", { type: "audio/mpeg" })).type, "audio/mpeg");
  assert.equal((await toFile(bytes(), "a.mp3")).type, "");
});

Deno.test("toFile: a Response already read and a value of no upload kind are TypeErrors saying so", async () => {
  const used = fetched("https://cdn.example/x.wav");
  await used.text();
  await assert.rejects(
    toFile(used),
    (err: unknown) =>
      err instanceof TypeError &&
      /toFile\(\): value is a Response whose body was already read/.test(err.message),
  );
  for (const value of [{ data: "x" }, "text", 42, null]) {
    await assert.rejects(
      toFile(value as never, "a.wav"),
      (err: unknown) =>
        err instanceof TypeError && /toFile\(\): value must be a Blob, File/.test(err.message),
      String(value),
    );
  }
});
