/**
 * Whether an audio answer has the shape its `response_format` gives it in the stored documents:
 * json an `audioResponse` (Whisper's: `text` alone), verbose_json an `audioVerboseResponse` (with
 * `segments` unless only words were asked, and `words` when asked where the document defines
 * them), text / srt / vtt `text/plain` in that format.
 *
 * @module
 */
import { type SpecVersion, validateAgainstSpec } from "../helpers/spec_schema.ts";
import type { AudioCase } from "./_audio_forms.ts";

const TIME = (sep: string) => `\\d{2}:\\d{2}:\\d{2}${sep}\\d{3}`;
const SRT_CUE = new RegExp(`^(\\d+)\\n${TIME(",")} --> ${TIME(",")}\\n[^\\n]+$`);
const VTT_CUE = new RegExp(`^${TIME("\\.")} --> ${TIME("\\.")}\\n[^\\n]+$`);

/** The ways `text` (answered with `contentType`) is not the shape `c` asks for; [] when it is. */
export function audioShapeProblems(
  version: SpecVersion,
  c: AudioCase,
  contentType: string,
  text: string,
): string[] {
  const isJson = c.format === "json" || c.format === "verbose_json";
  if (!contentType.startsWith(isJson ? "application/json" : "text/plain")) {
    return [`content-type ${contentType} for ${c.format}`];
  }
  if (!isJson) return textProblems(c.format, text);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    return [`not JSON: ${text.slice(0, 80)}`];
  }
  if (c.format === "json") {
    const errors = validateAgainstSpec(version, "audioResponse", body);
    const keys = Object.keys(body).filter((k) => k !== "text");
    return keys.length > 0 ? [...errors, `json has ${keys.join(", ")}`] : errors;
  }
  const errors = validateAgainstSpec(version, "audioVerboseResponse", body);
  const task = c.op === "audio/transcriptions" ? "transcribe" : "translate";
  if (body.task !== task) errors.push(`task ${body.task}`);
  if (typeof body.duration !== "number" || typeof body.language !== "string") {
    errors.push("duration or language missing");
  }
  // Granularities are acted on where the document defines them.
  const g = version === "2024-05-01-preview" ? c.granularities : [];
  const wantSegments = g.length === 0 || g.includes("segment");
  if (Array.isArray(body.segments) !== wantSegments) errors.push(`segments for ${g}`);
  if (Array.isArray(body.words) !== g.includes("word")) errors.push(`words for ${g}`);
  for (const w of Array.isArray(body.words) ? body.words : []) {
    // Words are asked only where the document defines audioWord.
    errors.push(...validateAgainstSpec("2024-05-01-preview", "audioWord", w));
  }
  return errors;
}

function textProblems(format: string, text: string): string[] {
  if (format === "text") {
    return text.trim() !== "" && text.endsWith("\n") ? [] : [`text ${JSON.stringify(text)}`];
  }
  const body = format === "vtt" ? text.replace(/^WEBVTT\n\n/, "") : text;
  if (format === "vtt" && body === text) return ["vtt without its WEBVTT line"];
  if (!body.endsWith("\n\n")) return [`${format} not ending with a blank line`];
  const cues = body.slice(0, -2).split("\n\n");
  const problems: string[] = [];
  cues.forEach((cue, i) => {
    const m = (format === "srt" ? SRT_CUE : VTT_CUE).exec(cue);
    if (!m || (format === "srt" && Number(m[1]) !== i + 1)) problems.push(`${format} cue ${cue}`);
  });
  return problems;
}
