// A client on an emulator whose transcript names what arrived: the file's name, size and type;
// the check that an upload over the 25 MB limit is refused while read.
import assert from "node:assert/strict";
import { AzureOpenAI, UploadTooLargeError } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

/** A client (no retries) against an emulator answering `name size type` for each upload. */
export function uploadClient(): { client: AzureOpenAI; requests: () => number } {
  const emulator = createEmulator({
    transcript: (file) => `${file.name} ${file.size} ${file.type}`,
  });
  let count = 0;
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    maxRetries: 0,
    fetch: (input, init) => (count++, emulator.fetch(new Request(input, init))),
  });
  return { client, requests: () => count };
}

/**
 * Throws unless an audio upload of `file` (a source of 1 MB chunks) is refused as over 25 MB
 * while read, its source ended (`ended()`) after under 30 MB (`pulled()` chunks), nothing sent.
 */
export async function assertRefusedWhileRead(
  file: unknown,
  ended: () => boolean,
  pulled: () => number,
): Promise<void> {
  const { client, requests } = uploadClient();
  await assert.rejects(
    client.audio.transcriptions.create({ model: "whisper", file: file as never }),
    (err: unknown) =>
      err instanceof UploadTooLargeError && /at most 26214400 bytes/.test(err.message),
  );
  assert.equal(ended(), true);
  assert.ok(pulled() < 30, `read ${pulled()} MB`);
  assert.equal(requests(), 0);
}
