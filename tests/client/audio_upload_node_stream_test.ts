// The README's SDK-switch note on uploads: a Node `fs.ReadStream` (what SDK code passes as `file`)
// is read and sent as the openai SDK sends it, named by its path's basename unless `filename`
// names it; `fs.openAsBlob()` of the same file uploads it too.
import assert from "node:assert/strict";
import { createReadStream, openAsBlob } from "node:fs";
import { AzureOpenAI } from "../../mod.ts";

Deno.test("audio upload: an fs.ReadStream is sent whole, named by its path's basename; fs.openAsBlob() too", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/take 1.wav`;
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
    // Small read chunks: the file comes in many pieces.
    const bytes = new Uint8Array(70_000).map((_, i) => i % 251);
    await Deno.writeFile(path, bytes);
    const read = await client.audio.transcriptions.create({
      file: createReadStream(path, { highWaterMark: 4096 }) as never,
    });
    const named = await client.audio.transcriptions.create({
      file: createReadStream(path) as never,
      filename: "other.mp3",
    });
    const blob = await client.audio.transcriptions.create({
      file: await openAsBlob(path),
      filename: "a.wav",
    });
    assert.deepEqual([read.text, named.text, blob.text], ["hi", "hi", "hi"]);
    const files = await Promise.all(
      sent.map(async (r) => (await r.formData()).get("file") as File),
    );
    assert.deepEqual(files.map((f) => f.name), ["take 1.wav", "other.mp3", "a.wav"]);
    for (const file of files) assert.deepEqual(new Uint8Array(await file.arrayBuffer()), bytes);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
