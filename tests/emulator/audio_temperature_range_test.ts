/**
 * Audio `temperature` lies between 0 and 1: every stored document's transcription and translation
 * request says so in its description (no `minimum` / `maximum` keywords), and so does the REST
 * reference (`샘플링 온도(0에서 1 사이)`). The emulator answers a value outside it with Azure's
 * 400 naming `temperature`, as the edge app refuses it before sending.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { loadSpec, SPEC_VERSIONS } from "../helpers/spec_schema.ts";

const BASE = "http://emulator.test";
const OPS = ["transcriptions", "translations"] as const;
const REFERENCE = new URL(
  "../../../shared/seed/azure-openai-rest-reference.ko.txt",
  import.meta.url,
);

function upload(version: string, op: string, temperature: string): Promise<Response> {
  const e = createEmulator();
  const form = new FormData();
  form.append("file", new File([new Uint8Array(100)], "a.wav", { type: "audio/wav" }));
  form.append("temperature", temperature);
  return e.fetch(`${BASE}/openai/deployments/whisper/audio/${op}?api-version=${version}`, {
    method: "POST",
    headers: { "api-key": e.apiKey },
    body: form,
  });
}

Deno.test("the documents and the REST reference give audio temperature the range 0 to 1", () => {
  for (const version of SPEC_VERSIONS) {
    // deno-lint-ignore no-explicit-any
    const schemas = (loadSpec(version) as any).components.schemas;
    for (const name of ["createTranscriptionRequest", "createTranslationRequest"]) {
      const t = schemas[name].properties.temperature;
      assert.equal(t.type, "number", `${version} ${name}`);
      assert.match(t.description, /between 0 and 1/, `${version} ${name}`);
    }
  }
  const rows = Deno.readTextFileSync(REFERENCE).split("\n").filter((l) =>
    l.startsWith("temperature number 아니요 0 ")
  );
  assert.equal(rows.length, 2, "a temperature row for transcription and one for translation");
  for (const row of rows) assert.match(row, /0에서 1 사이/);
});

Deno.test("audio temperature outside 0 to 1 gets a 400 naming temperature, at every version", async () => {
  for (const version of [...SPEC_VERSIONS, "2024-06-01"]) {
    for (const op of OPS) {
      for (const temperature of ["1.5", "-0.1", "1.0000001", "2", "-1", "1e1"]) {
        const what = `${version} ${op} temperature=${temperature}`;
        const res = await upload(version, op, temperature);
        assert.equal(res.status, 400, what);
        const { error } = await res.json();
        assert.equal(error.param, "temperature", what);
        assert.equal(error.type, "invalid_request_error", what);
        assert.equal(error.code, "invalid_value", what);
        assert.match(error.message, /between 0 and 1/, what);
      }
      for (const temperature of ["0", "1", "0.5", "1.0", "-0", "1e-1"]) {
        const res = await upload(version, op, temperature);
        assert.equal(res.status, 200, `${version} ${op} temperature=${temperature}`);
        await res.body?.cancel();
      }
    }
  }
});
