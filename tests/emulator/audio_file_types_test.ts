import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";

const BASE = "http://emulator.test";
const REFERENCE = new URL(
  "../../../shared/seed/azure-openai-rest-reference.ko.txt",
  import.meta.url,
);

/**
 * The audio types the REST reference lists for `file` (transcription and translation): the
 * row `file 파일 해당 없음 flac, mp3, … webm 형식 중 하나로 …`.
 */
function documentedTypes(): string[][] {
  const text = Deno.readTextFileSync(REFERENCE);
  const rows = text.split("\n").filter((l) => l.startsWith("file 파일"));
  assert.equal(rows.length, 2, "a file row for transcription and one for translation");
  return rows.map((row) => {
    const m = /((?:[a-z0-9]+(?:, | 또는 ))+[a-z0-9]+) 형식/.exec(row);
    assert.ok(m, row);
    return m[1].split(/, | 또는 /);
  });
}

function upload(
  e: ReturnType<typeof createEmulator>,
  op: string,
  file: File,
): Promise<Response> {
  const form = new FormData();
  form.append("file", file);
  return e.fetch(`${BASE}/openai/deployments/whisper/audio/${op}?api-version=2024-10-21`, {
    method: "POST",
    headers: { "api-key": e.apiKey },
    body: form,
  });
}

Deno.test("audio takes a file of every type the REST reference lists, and refuses other names as Azure does (Unrecognized file format)", async () => {
  const e = createEmulator();
  const [transcribe, translate] = documentedTypes();
  assert.ok(transcribe.includes("wav") && transcribe.includes("webm"), transcribe.join());
  for (const [op, types] of [["transcriptions", transcribe], ["translations", translate]]) {
    for (const ext of types) {
      const res = await upload(e, op as string, new File([new Uint8Array(100)], `clip.${ext}`));
      assert.equal(res.status, 200, `${op} ${ext}`);
      await res.body?.cancel();
    }
    // The service tells the format by the file name: no or another extension is refused
    // (a Blob appended without a name is sent as "blob").
    for (const name of ["clip.txt", "clip", "blob", "wav", "clip.wav.zip"]) {
      const res = await upload(e, op as string, new File([new Uint8Array(100)], name));
      assert.equal(res.status, 400, `${op} ${name}`);
      const { error } = await res.json();
      assert.equal(error.param, "file");
      assert.equal(error.type, "invalid_request_error");
      assert.match(error.message, /^Unrecognized file format\. Supported formats: \[.*'webm'\]$/);
    }
  }
});
