/**
 * Validation of image generation and text-to-speech bodies.
 *
 * @module
 */
import * as v from "valibot";
import { type Checked, problemOf } from "./_issues.ts";

const IMAGES_SCHEMA = v.looseObject({
  prompt: v.pipe(v.string(), v.minLength(1, "Expected a non-empty prompt")),
  model: v.optional(v.string()),
  n: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10))),
  size: v.optional(v.string()),
  quality: v.optional(v.string()),
  style: v.optional(v.string()),
  response_format: v.optional(
    v.nullable(v.picklist(["url", "b64_json"], 'Expected "url" or "b64_json"')),
  ),
  user: v.optional(v.string()),
});

const SPEECH_SCHEMA = v.looseObject({
  input: v.pipe(
    v.string(),
    v.minLength(1, "Expected non-empty text"),
    // Characters as the service counts them (code points): an emoji is one, not two.
    v.check(
      (s) => s.length <= 4096 || Array.from(s).length <= 4096,
      "Expected at most 4096 characters",
    ),
  ),
  voice: v.pipe(v.string(), v.minLength(1)),
  model: v.optional(v.string()),
  response_format: v.optional(v.string()),
  speed: v.optional(v.pipe(v.number(), v.minValue(0.25), v.maxValue(4))),
});

/** Checks an image generation body (DALL-E 3 sync or DALL-E 2 submit): `prompt`, `n`, ... */
export function checkImagesBody(body: Record<string, unknown>): Checked<Record<string, unknown>> {
  const result = v.safeParse(IMAGES_SCHEMA, body);
  return result.success
    ? { ok: true, value: body }
    : { ok: false, problem: problemOf(result.issues) };
}

/** Checks a text-to-speech body: `input` (1–4096 characters), `voice`, `speed`. */
export function checkSpeechBody(body: Record<string, unknown>): Checked<Record<string, unknown>> {
  const result = v.safeParse(SPEECH_SCHEMA, body);
  return result.success
    ? { ok: true, value: body }
    : { ok: false, problem: problemOf(result.issues) };
}
