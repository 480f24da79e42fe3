/**
 * Validation of audio upload forms (transcriptions, translations).
 *
 * @module
 */
import type { Checked } from "./_issues.ts";

const TEXT_FIELDS = ["model", "language", "prompt", "response_format", "temperature"];
// diarized_json: gpt-4o-transcribe-diarize's (the service checks a format against the model).
const FORMATS = new Set(["json", "text", "srt", "verbose_json", "vtt", "diarized_json"]);

/**
 * Checks an audio upload form: a non-empty `file`, string fields, `temperature` in [0, 1], none
 * of them twice.
 */
export function checkAudioForm(form: FormData): Checked<FormData> {
  // Only the first of a repeated field would be checked here, while the service may read another.
  for (const name of ["file", ...TEXT_FIELDS]) {
    if (form.getAll(name).length > 1) {
      return {
        ok: false,
        problem: {
          param: name,
          code: "invalid_value",
          message: `Invalid value for '${name}': send it once; the form has it more than once.`,
        },
      };
    }
  }
  const file = form.get("file");
  if (file === null) {
    return {
      ok: false,
      problem: {
        param: "file",
        code: "missing_required_parameter",
        message:
          "Missing required parameter: 'file'. Upload the audio as the multipart field 'file'.",
      },
    };
  }
  if (typeof file === "string" || file.size === 0) {
    return {
      ok: false,
      problem: {
        param: "file",
        code: "invalid_value",
        message: "Invalid value for 'file': expected a non-empty file upload (not a text field).",
      },
    };
  }
  for (const name of TEXT_FIELDS) {
    const value = form.get(name);
    if (value !== null && typeof value !== "string") {
      return {
        ok: false,
        problem: {
          param: name,
          code: "invalid_type",
          message: `Invalid value for '${name}': expected a text field, got a file.`,
        },
      };
    }
  }
  const format = form.get("response_format");
  if (typeof format === "string" && !FORMATS.has(format)) {
    return {
      ok: false,
      problem: {
        param: "response_format",
        code: "invalid_value",
        message: `Invalid value for 'response_format': expected one of ${[...FORMATS].join(", ")}.`,
      },
    };
  }
  const temperature = form.get("temperature");
  if (typeof temperature === "string") {
    const t = Number(temperature);
    if (temperature.trim() === "" || !Number.isFinite(t) || t < 0 || t > 1) {
      return {
        ok: false,
        problem: {
          param: "temperature",
          code: "invalid_value",
          message: "Invalid value for 'temperature': expected a number between 0 and 1.",
        },
      };
    }
  }
  return { ok: true, value: form };
}
