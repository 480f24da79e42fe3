/**
 * Targeted INVALID audio forms (the counterpart of `audio_acceptance_test.ts`): each gets a 400
 * naming the field at fault on the edge app's Azure-style route, from the app where it checks the
 * field (nothing sent upstream), else from the emulator as relayed. Sent to the emulator directly
 * too: where it refuses one, it names the same field. A rule of the document's schema is checked
 * to refuse the form; the others are the documents' prose (temperature "between 0 and 1",
 * granularities need verbose_json) or the service's (the file's extension).
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { type SpecVersion, validateRequestBody } from "../helpers/spec_schema.ts";
import { testApp } from "../edge/_helpers.ts";
import { type AudioOp, formOf } from "./_audio_forms.ts";

interface Invalid {
  what: string;
  version: SpecVersion;
  ops: AudioOp[];
  parts: Array<[string, string | File]>;
  /** The fields as the schema sees them, when the schema itself refuses the form. */
  schema?: Record<string, unknown>;
  param: string;
  by: "app" | "emulator";
}

const BOTH: AudioOp[] = ["audio/transcriptions", "audio/translations"];
const wav = () => new File([new Uint8Array(100)], "a.wav", { type: "audio/wav" });

const INVALID: Invalid[] = [
  {
    what: "no file",
    version: "2024-10-21",
    ops: BOTH,
    parts: [["response_format", "json"], ["prompt", "hi"]],
    schema: { response_format: "json", prompt: "hi" },
    param: "file",
    by: "app",
  },
  {
    what: "an empty file",
    version: "2024-02-01",
    ops: BOTH,
    parts: [["file", new File([], "a.wav")]],
    param: "file",
    by: "app",
  },
  {
    what: "a file of no audio extension",
    version: "2024-10-21",
    ops: BOTH,
    parts: [["file", new File([new Uint8Array(9)], "notes.txt")]],
    param: "file",
    by: "emulator",
  },
  {
    what: "two file parts",
    version: "2024-10-21",
    ops: BOTH,
    parts: [["file", wav()], ["file", new File([new Uint8Array(100)], "b.wav")]],
    schema: { file: ["a.wav", "b.wav"] },
    param: "file",
    by: "app",
  },
  {
    what: "a one-value text field sent twice",
    version: "2024-02-01",
    ops: BOTH,
    parts: [["file", wav()], ["prompt", "one"], ["prompt", "two"]],
    schema: { file: "a.wav", prompt: ["one", "two"] },
    param: "prompt",
    by: "app",
  },
  {
    what: "an unknown response_format",
    version: "2024-10-21",
    ops: BOTH,
    parts: [["file", wav()], ["response_format", "xml"]],
    schema: { file: "a.wav", response_format: "xml" },
    param: "response_format",
    by: "app",
  },
  {
    what: "response_format in capitals",
    version: "2024-05-01-preview",
    ops: BOTH,
    parts: [["file", wav()], ["response_format", "JSON"]],
    schema: { file: "a.wav", response_format: "JSON" },
    param: "response_format",
    by: "app",
  },
  {
    what: "temperature above 1",
    version: "2024-10-21",
    ops: BOTH,
    parts: [["file", wav()], ["temperature", "1.5"]],
    param: "temperature",
    by: "app",
  },
  {
    what: "temperature below 0",
    version: "2024-02-01",
    ops: BOTH,
    parts: [["file", wav()], ["temperature", "-0.1"]],
    param: "temperature",
    by: "app",
  },
  {
    what: "temperature not a number",
    version: "2024-10-21",
    ops: BOTH,
    parts: [["file", wav()], ["temperature", "hot"]],
    schema: { file: "a.wav", temperature: "hot" },
    param: "temperature",
    by: "app",
  },
  {
    what: "an unknown timestamp granularity",
    version: "2024-05-01-preview",
    ops: ["audio/transcriptions"],
    parts: [["file", wav()], ["response_format", "verbose_json"], [
      "timestamp_granularities[]",
      "char",
    ]],
    schema: {
      file: "a.wav",
      response_format: "verbose_json",
      "timestamp_granularities[]": ["char"],
    },
    param: "timestamp_granularities",
    by: "emulator",
  },
  {
    what: "a granularity without verbose_json",
    version: "2024-05-01-preview",
    ops: ["audio/transcriptions"],
    parts: [["file", wav()], ["response_format", "srt"], ["timestamp_granularities[]", "word"]],
    param: "timestamp_granularities",
    by: "emulator",
  },
];

Deno.test("audio fuzz: targeted invalid forms get a 400 naming the field", async () => {
  let checked = 0;
  for (const c of INVALID) {
    for (const op of c.ops) {
      const what = `${c.what} (${op}, ${c.version})`;
      if (c.schema) {
        const errors = validateRequestBody(
          c.version,
          `/deployments/x/${op}`,
          "POST",
          c.schema,
          "multipart/form-data",
        );
        assert.notDeepEqual(errors, [], `the schema takes ${what}`);
      }
      const path = `/openai/deployments/whisper/${op}?api-version=${c.version}`;
      const emulator = createEmulator();
      const direct = await emulator.fetch(`http://emulator.test${path}`, {
        method: "POST",
        headers: { "api-key": emulator.apiKey },
        body: formOf(c.parts),
      });
      const directBody = await direct.json();
      if (c.by === "emulator" || direct.status !== 200) {
        assert.equal(direct.status, 400, `emulator: ${what}`);
        assert.equal(directBody.error.param, c.param, `emulator: ${what}`);
      }
      const t = testApp();
      const res = await t.call(path, { method: "POST", body: formOf(c.parts) });
      assert.equal(res.status, 400, `app: ${what}`);
      assert.equal((await res.json()).error.param, c.param, `app: ${what}`);
      assert.equal(t.upstream.length, c.by === "app" ? 0 : 1, `refused by the ${c.by}: ${what}`);
      checked++;
    }
  }
  assert.equal(checked, 22);
});
