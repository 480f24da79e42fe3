// The README's SDK-switch note on uploads: a Node `fs.ReadStream` (what SDK code passes as `file`)
// is refused before anything is sent, saying which inputs are taken; `fs.openAsBlob()` of the same
// file uploads it.
import assert from "node:assert/strict";
import { createReadStream, openAsBlob } from "node:fs";
import { AzureOpenAI } from "../../mod.ts";

Deno.test("audio upload: an fs.ReadStream is refused naming the inputs taken; fs.openAsBlob() is sent", async () => {
  const path = await Deno.makeTempFile({ suffix: ".wav" });
  const sent: Request[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "k-upload-node-stream",
    deployment: "whisper",
    maxRetries: 0,
    fetch: (input, init) => {
      sent.push(new Request(input, init));
      return Promise.resolve(Response.json({ text: "hi" }));
    },
  });
  try {
    await Deno.writeFile(path, new Uint8Array([82, 73, 70, 70]));
    const stream = createReadStream(path);
    // Opened before the call and closed before the file goes: an open still pending at the end
    // (a busy machine) failed the test module with ENOENT.
    await new Promise<void>((resolve) => stream.once("ready", () => resolve()));
    await assert.rejects(
      client.audio.transcriptions.create({ file: stream as unknown as Blob, filename: "a.wav" }),
      (err: Error) =>
        err instanceof TypeError &&
        /must be a Blob, File, Uint8Array, ArrayBuffer, ReadableStream or Response/.test(
          err.message,
        ),
    );
    const closed = new Promise<void>((resolve) => stream.once("close", () => resolve()));
    stream.destroy();
    await closed;
    assert.equal(sent.length, 0);
    const res = await client.audio.transcriptions.create({
      file: await openAsBlob(path),
      filename: "a.wav",
    });
    assert.equal(res.text, "hi");
    assert.equal(sent.length, 1);
    const file = (await sent[0].formData()).get("file") as File;
    assert.equal(file.name, "a.wav");
    assert.deepEqual(new Uint8Array(await file.arrayBuffer()), new Uint8Array([82, 73, 70, 70]));
  } finally {
    await Deno.remove(path);
  }
});
