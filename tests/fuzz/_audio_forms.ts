/**
 * A seeded generator of VALID audio upload forms (transcriptions, translations) of one stored
 * document: the fields of its multipart request schema drawn by {@link SpecGenerator} (enum
 * values, optional fields present or not), then made what the service takes and varied where the
 * schema says little: `temperature` between 0 and 1 written as the form's text ("0", "1.0",
 * "1e-1"), ISO-639-1 `language` codes, `timestamp_granularities[]` (none, word, segment, both;
 * with verbose_json, as its description requires), a file under each extension the service
 * takes with odd but legal names (spaces, unicode, `;`, `=`, quotes and a line break as FormData
 * escapes them), sizes from 1 byte up, parts in shuffled orders, unknown extra fields.
 * Deterministic: the same seed gives the same forms.
 *
 * @module
 */
import { loadSpec, type SpecVersion } from "../helpers/spec_schema.ts";
import { prng } from "../../src/sse/_test_helpers.ts";
import { SpecGenerator } from "./_spec_gen.ts";

type Json = Record<string, unknown>;

/** The audio operations. */
export type AudioOp = "audio/transcriptions" | "audio/translations";

/** The file name extensions of the REST reference's `file` description. */
export const EXTENSIONS = ["flac", "m4a", "mp3", "mp4", "mpeg", "mpga", "ogg", "wav", "webm"];

/** File names (before the extension): odd but legal. */
export const NAMES = [
  "audio",
  "my talk",
  "réunion ✓ 🎙",
  "a;b",
  'say "hi"',
  "it's",
  "日本語 録音",
  "x=y; z=w",
  "back\\slash",
  "line\nbreak",
  "v1.2.final",
  ".hidden",
  "100% done",
  "n".repeat(180),
];

const LANGUAGES = ["en", "fr", "de", "es", "ja", "zh", "pt", "it", "ko", "uk", "my", "nn", "mi"];
const TEMPERATURES = ["0", "1", "0.0", "1.0", "0.5", "0.25", "1e-1", "0.999", ".5", "1.000000"];
/** Prompts beside the drawn one: empty, unicode, with line breaks, long. */
const PROMPTS = ["", "Ünïcode ✓, 東京", "line one\nline two\r\nthree", "word ".repeat(200)];
const GRANULARITIES = [[], ["word"], ["segment"], ["word", "segment"], ["segment", "word"]];
const EXTRAS: Array<[string, string]> = [
  ["user", "u-1"],
  ["x_extra", "ünknown"],
  ["metadata[k]", "v"],
  ["model", "whisper"],
  ["stream", "false"],
];
const SIZES = [1, 3, 44, 1000, 16_000, 100_000];
const TYPES: Record<string, string> = {
  wav: "audio/wav",
  mp3: "audio/mpeg",
  ogg: "audio/ogg; codecs=opus",
  webm: "audio/webm",
};

/** One generated form: its parts in order, and what the spec sees of it. */
export interface AudioCase {
  op: AudioOp;
  /** The parts, in the order appended. */
  parts: Array<[string, string | File]>;
  /** The fields as the request schema sees them (the file as its name). */
  fields: Json;
  /** The response_format asked for ("json" when absent). */
  format: string;
  /** The timestamp_granularities[] values sent. */
  granularities: string[];
  /** Unknown fields sent. */
  extras: string[];
}

/** The form of `parts`. */
export function formOf(parts: Array<[string, string | File]>): FormData {
  const form = new FormData();
  for (const [k, v] of parts) form.append(k, v);
  return form;
}

/** A WAV file of `size` bytes (its header, then silence) when it holds one, else `fill` bytes. */
export function audioBytes(
  ext: string,
  size: number,
  fill: () => number,
): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  if (ext === "wav" && size >= 44) {
    const view = new DataView(bytes.buffer);
    const text = (o: number, s: string) =>
      [...s].forEach((c, i) => (bytes[o + i] = c.charCodeAt(0)));
    text(0, "RIFF");
    view.setUint32(4, size - 8, true);
    text(8, "WAVE");
    text(12, "fmt ");
    view.setUint32(16, 16, true);
    view.setUint16(20, 1, true); // PCM
    view.setUint16(22, 1, true); // mono
    view.setUint32(24, 16_000, true);
    view.setUint32(28, 32_000, true); // byte rate
    view.setUint16(32, 2, true);
    view.setUint16(34, 16, true);
    text(36, "data");
    view.setUint32(40, size - 44, true);
  } else {
    for (let i = 0; i < size; i++) bytes[i] = Math.floor(fill() * 256);
  }
  return bytes;
}

/** Generates forms of one document. */
export class AudioFormGenerator {
  readonly #doc: Json;
  readonly #gen: SpecGenerator;
  readonly #rand: () => number;
  #n = 0;

  constructor(readonly version: SpecVersion, seed: number) {
    this.#doc = loadSpec(version);
    this.#gen = new SpecGenerator(version, seed);
    this.#rand = prng(seed * 7919);
  }

  #pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.#rand() * list.length)];
  }

  /** The multipart request schema of `op`. */
  schema(op: AudioOp): Json {
    const paths = this.#doc.paths as Json;
    const post = (paths[`/deployments/{deployment-id}/${op}`] as Json).post as Json;
    const content = (post.requestBody as Json).content as Json;
    return (content["multipart/form-data"] as Json).schema as Json;
  }

  /**
   * The next form of `op`. The n-th form cycles through formats (every other form), extensions,
   * names and sizes (the counts are coprime: 126 forms hold each extension with each name).
   */
  form(op: AudioOp): AudioCase {
    const i = this.#n++;
    const drawn = this.#gen.value(this.schema(op), 0) as Json;
    const fields: Json = {};
    const parts: Array<[string, string | File]> = [];
    // response_format: drawn (an enum value, or absent); every 6th form of each kind cycles.
    const formats = ["json", "text", "srt", "verbose_json", "vtt", undefined];
    const format = i % 2 === 0 ? formats[(i / 2) % 6] : drawn.response_format as string;
    if (format !== undefined) fields.response_format = format;
    if (drawn.prompt !== undefined) fields.prompt = this.#pick([drawn.prompt, ...PROMPTS]);
    const temperature = drawn.temperature === undefined ? undefined : this.#pick(TEMPERATURES);
    if (temperature !== undefined) fields.temperature = Number(temperature);
    if (drawn.language !== undefined) fields.language = this.#pick(LANGUAGES);
    // timestamp_granularities[]: each form with verbose_json in turn (a field of
    // 2024-05-01-preview's transcriptions only; elsewhere an unknown field).
    const granularities = op === "audio/transcriptions" && format === "verbose_json"
      ? GRANULARITIES[Math.floor(i / 2) % GRANULARITIES.length]
      : [];
    if (granularities.length > 0) fields["timestamp_granularities[]"] = granularities;
    for (const [k, v] of Object.entries(fields)) {
      if (Array.isArray(v)) { for (const item of v) parts.push([k, String(item)]); }
      else if (k === "temperature") parts.push([k, temperature!]);
      else parts.push([k, String(v)]);
    }
    const ext = EXTENSIONS[i % EXTENSIONS.length];
    const base = NAMES[i % NAMES.length];
    const upper = i % 11 === 10;
    const name = `${base}.${upper ? ext.toUpperCase() : ext}`;
    const size = SIZES[i % SIZES.length];
    const type = this.#pick([TYPES[ext] ?? "", "", "application/octet-stream"]);
    const file = new File([audioBytes(ext, size, this.#rand)], name, { type });
    fields.file = name;
    const extras = this.#rand() < 0.35 ? [this.#pick(EXTRAS)] : [];
    for (const [k, v] of extras) parts.push([k, v]);
    // The file at the start, the end, or between the fields.
    parts.splice(Math.floor(this.#rand() * (parts.length + 1)), 0, ["file", file]);
    if (this.#rand() < 0.5) parts.reverse();
    return {
      op,
      parts,
      fields,
      format: format ?? "json",
      granularities,
      extras: extras.map(([k]) => k),
    };
  }
}
