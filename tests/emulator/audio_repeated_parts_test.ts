/**
 * Each field of the audio request schemas is one value except `timestamp_granularities[]` (an
 * array): `file` is one binary string, `prompt`, `response_format` and `language` strings,
 * `temperature` a number. A form with two `file` parts (or two of another one-value field) is
 * not a body the schema describes, and which part the service would read is unknown: the emulator
 * answers Azure's 400 naming the field, as the edge app refuses such a form. A text field sent as
 * a file part is refused likewise (invalid_type).
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { loadSpec, SPEC_VERSIONS } from "../helpers/spec_schema.ts";

const BASE = "http://emulator.test";
const SCHEMAS = {
  transcriptions: "createTranscriptionRequest",
  translations: "createTranslationRequest",
} as const;

const wav = (name = "a.wav") => new File([new Uint8Array(100)], name, { type: "audio/wav" });
/** A valid text value of each one-value field. */
const VALUES: Record<string, string> = {
  prompt: "hello",
  response_format: "json",
  temperature: "0",
  language: "en",
};

function upload(version: string, op: string, parts: Array<[string, string | File]>) {
  const e = createEmulator();
  const form = new FormData();
  for (const [k, v] of parts) form.append(k, v);
  return e.fetch(`${BASE}/openai/deployments/whisper/audio/${op}?api-version=${version}`, {
    method: "POST",
    headers: { "api-key": e.apiKey },
    body: form,
  });
}

/** The one-value fields of `op`'s request schema at `version`. */
function scalarFields(version: (typeof SPEC_VERSIONS)[number], op: keyof typeof SCHEMAS) {
  // deno-lint-ignore no-explicit-any
  const props = (loadSpec(version) as any).components.schemas[SCHEMAS[op]].properties;
  return Object.entries(props).filter(([, s]) => (s as { type?: string }).type !== "array")
    .map(([name]) => name);
}

Deno.test("audio forms with a one-value field twice get a 400 naming it (two file parts included)", async () => {
  let refused = 0;
  for (const version of SPEC_VERSIONS) {
    for (const op of ["transcriptions", "translations"] as const) {
      const fields = scalarFields(version, op);
      assert.ok(fields.includes("file") && fields.includes("temperature"), `${version} ${op}`);
      for (const name of fields) {
        const parts: Array<[string, string | File]> = name === "file"
          ? [["file", wav()], ["file", wav("b.wav")]]
          : [["file", wav()], [name, VALUES[name]], [name, VALUES[name]]];
        const what = `${version} ${op}: two '${name}' parts`;
        const res = await upload(version, op, parts);
        assert.equal(res.status, 400, what);
        const { error } = await res.json();
        assert.equal(error.param, name, what);
        assert.equal(error.type, "invalid_request_error", what);
        assert.equal(error.code, "invalid_value", what);
        assert.match(error.message, /once/, what);
        refused++;
      }
    }
  }
  assert.equal(refused, 27);
});

Deno.test("audio text fields sent as file parts get a 400 invalid_type naming them", async () => {
  for (const version of SPEC_VERSIONS) {
    for (const op of ["transcriptions", "translations"] as const) {
      for (const name of scalarFields(version, op).filter((f) => f !== "file")) {
        const what = `${version} ${op}: '${name}' as a file`;
        const res = await upload(version, op, [["file", wav()], [name, wav(`${name}.txt`)]]);
        assert.equal(res.status, 400, what);
        const { error } = await res.json();
        assert.equal(error.param, name, what);
        assert.equal(error.code, "invalid_type", what);
      }
    }
  }
});

Deno.test("repeated timestamp_granularities[] parts (the schema's one array) are still taken", async () => {
  const res = await upload("2024-05-01-preview", "transcriptions", [
    ["file", wav()],
    ["response_format", "verbose_json"],
    ["timestamp_granularities[]", "word"],
    ["timestamp_granularities[]", "segment"],
  ]);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.ok(Array.isArray(body.words) && Array.isArray(body.segments));
});
