// Azure picks the audio format by the file name's extension, read from the part's
// Content-Disposition as sent. The platform's multipart parser (Deno's) splits that header at
// every ';' and '=', quoted or not, so the emulator answered a direct upload of
// "Meeting; part 2.wav" with 400 "Unrecognized file format", which the service does not.
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";

/** A multipart body: a `language` field, then one file part with `disposition`. */
function rawForm(disposition: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(
    `--XyZ\r\nContent-Disposition: form-data; name="language"\r\n\r\nde\r\n` +
      `--XyZ\r\nContent-Disposition: form-data; name="response_format"\r\n\r\nverbose_json\r\n` +
      `--XyZ\r\nContent-Disposition: ${disposition}\r\nContent-Type: audio/wav\r\n\r\n` +
      `${"A".repeat(2000)}\r\n--XyZ--\r\n`,
  );
}

Deno.test("emulator: audio uploads whose file names hold ';', '=', '\\\"' or 'name=' are read as sent", async () => {
  const e = createEmulator();
  const dispositions = [
    'form-data; name="file"; filename="Meeting; part 2.wav"',
    'form-data; name="file"; filename="take=1.wav"',
    'form-data; name="file"; filename="x; name=language.wav"',
    'form-data; name="file"; filename="say \\"hi\\".wav"',
    "form-data; filename=talk.wav; name=file",
    "form-data; name=file; filename=\"=?utf-8?B?w7wud2F2?=\"; filename*=utf-8''%C3%BC.wav",
  ];
  const answers: string[] = [];
  for (const disposition of dispositions) {
    const res = await e.fetch(
      "http://emulator.test/openai/deployments/whisper/audio/transcriptions?api-version=2024-10-21",
      {
        method: "POST",
        headers: { "api-key": e.apiKey, "content-type": "multipart/form-data; boundary=XyZ" },
        body: rawForm(disposition),
      },
    );
    const body = await res.json();
    // The other fields are still read: verbose_json with the language given.
    answers.push(`${res.status} ${body.language ?? body.error?.message}`);
  }
  assert.deepEqual(answers, dispositions.map(() => "200 german"));
});
