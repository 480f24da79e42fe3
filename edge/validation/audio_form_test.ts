// checkAudioForm(): a field given twice, an empty file, a file where text is expected, and a
// temperature that is no number from 0 to 1 are each refused with the field named; the ends pass.
import assert from "node:assert/strict";
import { checkAudioForm } from "./audio.ts";

function form(fields: Record<string, string | File | (string | File)[]> = {}): FormData {
  const f = new FormData();
  f.set("file", new File([new Uint8Array(10)], "a.wav"));
  for (const [name, value] of Object.entries(fields)) {
    f.delete(name);
    for (const v of Array.isArray(value) ? value : [value]) f.append(name, v);
  }
  return f;
}

Deno.test("checkAudioForm() refuses a field given twice, the file too", () => {
  assert.deepEqual(checkAudioForm(form({ language: ["en", "en"] })), {
    ok: false,
    problem: {
      param: "language",
      code: "invalid_value",
      message: "Invalid value for 'language': send it once; the form has it more than once.",
    },
  });
  const file = new File([new Uint8Array(10)], "a.wav");
  const twice = checkAudioForm(form({ file: [file, file] }));
  assert.equal(twice.ok ? undefined : twice.problem.param, "file");
});

Deno.test("checkAudioForm() refuses a form without a file", () => {
  const f = form();
  f.delete("file");
  const r = checkAudioForm(f);
  assert.equal(r.ok, false);
  assert.deepEqual(r.ok ? undefined : [r.problem.param, r.problem.code], [
    "file",
    "missing_required_parameter",
  ]);
  assert.match(r.ok ? "" : r.problem.message, /^Missing required parameter: 'file'\. Upload/);
});

Deno.test("checkAudioForm() refuses an empty file and takes a one-byte one", () => {
  assert.deepEqual(checkAudioForm(form({ file: new File([], "a.wav") })), {
    ok: false,
    problem: {
      param: "file",
      code: "invalid_value",
      message: "Invalid value for 'file': expected a non-empty file upload (not a text field).",
    },
  });
  assert.equal(checkAudioForm(form({ file: new File([new Uint8Array(1)], "a.wav") })).ok, true);
});

Deno.test("checkAudioForm() refuses a file where a text field is expected", () => {
  assert.deepEqual(checkAudioForm(form({ prompt: new File(["x"], "p.txt") })), {
    ok: false,
    problem: {
      param: "prompt",
      code: "invalid_type",
      message: "Invalid value for 'prompt': expected a text field, got a file.",
    },
  });
});

Deno.test("checkAudioForm() refuses an unknown response_format", () => {
  const r = checkAudioForm(form({ response_format: "mp3" }));
  assert.equal(r.ok, false);
  assert.equal(r.ok ? undefined : r.problem.code, "invalid_value");
});

Deno.test("checkAudioForm() takes a temperature from 0 to 1, nothing else", () => {
  for (const temperature of ["0", "1", "0.5", " 0.2 "]) {
    assert.equal(checkAudioForm(form({ temperature })).ok, true, temperature);
  }
  for (const temperature of ["", " ", "abc", "Infinity", "-Infinity", "-0.01", "1.01", "1.5"]) {
    assert.deepEqual(checkAudioForm(form({ temperature })), {
      ok: false,
      problem: {
        param: "temperature",
        code: "invalid_value",
        message: "Invalid value for 'temperature': expected a number between 0 and 1.",
      },
    }, temperature);
  }
});
