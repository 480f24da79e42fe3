// Uploads of a fetched Response from a signed URL (an Azure Storage SAS: `?sv=…&sig=…`, a common
// way to fetch audio): toFile() and audio uploads name the file by the URL's last path segment,
// never with its query; no error of a bad upload (no name, already read, too large, a body that
// fails mid-read quoting its URL) prints the signature or the file's contents.
import assert from "node:assert/strict";
import { toFile } from "../../mod.ts";
import { uploadClient } from "../client/_upload_emulator.ts";
import { views } from "./_error_text_surfaces.ts";
import { thrown } from "./_thrown.ts";

const SIG = "SasSignature0123456789abcdefXYZ%3D";
const CONTENTS = "RIFF-secret-file-contents-0123456789";
const signed = (path: string) =>
  `https://acct.blob.core.windows.net/audio/${path}?sv=2024-08-04&se=2030-01-01&sp=r&sig=${SIG}`;

/** A Response as fetch gives it for `url`, with `body` (the file's contents by default). */
function fetched(url: string, body: BodyInit = CONTENTS): Response {
  const response = new Response(body);
  Object.defineProperty(response, "url", { value: url });
  return response;
}

/** Throws when `text` shows the signature (as sent or decoded) or the file's contents. */
function assertClean(text: string): void {
  for (const form of [SIG, decodeURIComponent(SIG), "sig=Sas", CONTENTS]) {
    assert.ok(!text.includes(form), `${form} shown:\n${text.slice(0, 1200)}`);
  }
}

Deno.test("toFile() and an audio upload of a signed URL's Response are named without its query", async () => {
  const file = await toFile(fetched(signed("meeting%20notes.wav")));
  assert.equal(file.name, "meeting%20notes.wav");
  assertClean(file.name);
  const { client } = uploadClient();
  const res = await client.audio.transcriptions.create({
    model: "whisper",
    file: fetched(signed("talk.wav")),
  });
  assert.equal(res.text, `talk.wav ${CONTENTS.length} application/octet-stream`);
});

Deno.test("bad uploads of a signed URL's Response: no error prints its signature or contents", async () => {
  const { client, requests } = uploadClient();
  const upload = (file: unknown, more: Record<string, unknown> = {}) =>
    thrown(() =>
      client.audio.transcriptions.create({ model: "whisper", file: file as never, ...more })
    );
  const read = fetched(signed("read.wav"));
  await read.text();
  const failing = (url: string) =>
    fetched(
      url,
      new ReadableStream({
        pull(controller) {
          controller.error(new TypeError(`error reading a body from connection (${url})`));
        },
      }),
    );
  const errors = [
    // No name: the URL ends in '/'.
    await upload(fetched(signed(""))),
    await thrown(() => toFile(read)),
    await upload(read),
    // Contents given where a file goes.
    await upload(CONTENTS),
    await thrown(() => toFile(CONTENTS as never)),
    // Too large.
    await upload(fetched(signed("big.wav"), new Uint8Array(26 * 1024 * 1024))),
    // The body fails mid-read quoting its URL.
    await upload(failing(signed("cut.wav"))),
    await thrown(() => toFile(failing(signed("cut.wav")))),
  ];
  assert.equal(requests(), 0);
  for (const err of errors) {
    assert.ok(err instanceof Error, String(err));
    assertClean(views(err));
  }
});
