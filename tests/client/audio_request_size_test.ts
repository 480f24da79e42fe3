// Azure's 25 MB audio limit (26,214,400 bytes: "Maximum content size limit (26214400) exceeded
// (N bytes read)") counts the whole multipart request: the file, the other form fields and the
// multipart wrapping. The client refuses, before sending, a request that would exceed it.
import assert from "node:assert/strict";
import { AzureOpenAI, MAX_AUDIO_BYTES, UploadTooLargeError } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

const PROMPT = "Zoology terms: ocelot, Leopardus pardalis, lagomorphs. ".repeat(6);

Deno.test("audio upload: a file under 25 MB whose request is over it is refused before sending, not by Azure after the upload", async () => {
  const emulator = createEmulator();
  let sent = 0;
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    maxRetries: 0,
    fetch: (input, init) => {
      sent++;
      return emulator.fetch(new Request(input, init));
    },
  });
  const file = new File([new Uint8Array(MAX_AUDIO_BYTES - 200)], "meeting.wav", {
    type: "audio/wav",
  });
  await assert.rejects(
    client.audio.transcriptions.create({ model: "whisper", file, prompt: PROMPT }),
    (err: unknown) => {
      assert.ok(err instanceof UploadTooLargeError, String(err));
      assert.match(err.message, /audio\.transcriptions\.create: params\.file/);
      assert.match(err.message, /form/);
      assert.match(err.message, /split or compress/);
      return true;
    },
  );
  assert.equal(sent, 0, "nothing is uploaded");
});

Deno.test("audio upload: the check counts exactly the request that is sent", async () => {
  const sizes: number[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-size-test-0123456789",
    deployment: "whisper",
    fetch: async (input, init) => {
      sizes.push((await new Request(input, init).arrayBuffer()).byteLength);
      return Response.json({ text: "hi" });
    },
  });
  const params = { filename: "a.wav", prompt: PROMPT, language: "en", temperature: 0.2 };
  await client.audio.translations.create({ ...params, file: new Uint8Array(1) });
  const around = sizes[0] - 1; // the form's bytes besides the file's
  assert.ok(around > PROMPT.length, `${around}`);
  // The largest file that fits: the request is exactly 25 MB, and it is sent.
  await client.audio.translations.create({
    ...params,
    file: new Uint8Array(MAX_AUDIO_BYTES - around),
  });
  assert.equal(sizes[1], MAX_AUDIO_BYTES);
  // One byte more is refused: as bytes, and as a stream (read no further than the limit).
  const big = new Uint8Array(MAX_AUDIO_BYTES - around + 1);
  await assert.rejects(
    client.audio.translations.create({ ...params, file: big }),
    UploadTooLargeError,
  );
  await assert.rejects(
    client.audio.translations.create({ ...params, file: new Blob([big]).stream() }),
    UploadTooLargeError,
  );
  assert.equal(sizes.length, 2);
});
