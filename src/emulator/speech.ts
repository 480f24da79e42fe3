/**
 * Text to speech (`POST …/audio/speech`, JSON body `{ input, voice, response_format?, speed? }`).
 *
 * Produces real audio whose length grows with the input (1/15 s per character, divided
 * by `speed`): `wav` (RIFF, 16-bit PCM, 24 kHz mono, a quiet tone whose pitch depends on
 * the voice), `pcm` (the same samples, no header), `mp3` (silent MPEG-1 Layer III
 * frames, 128 kbit/s, 44.1 kHz mono), `flac` (the wav samples, lossless), `opus` (Ogg Opus, silent)
 * and `aac` (ADTS, silent AAC-LC): the six formats of the request's `response_format` enum.
 *
 * @module
 */

import type { HandlerContext } from "./_context.ts";
import { fnv1a } from "./_hash.ts";
import { checkNotNull, documented } from "./_guards.ts";
import { invalidRequest, missingParam } from "./_response.ts";
import { checkNumber } from "./chat_validate.ts";
import { flacFile, silentAac, silentOpus } from "./speech_formats.ts";

/** Longest accepted `input`, in characters. */
export const MAX_SPEECH_INPUT = 4096;
/** Sample rate of `wav` and `pcm` output. */
export const SPEECH_SAMPLE_RATE = 24_000;
/** The voices; the first six are the enum of 2024-05-01-preview's `createSpeechRequest`. */
const VOICES = [
  "alloy",
  "echo",
  "fable",
  "onyx",
  "nova",
  "shimmer",
  "ash",
  "ballad",
  "coral",
  "sage",
  "verse",
];
const CONTENT_TYPES: Record<string, string> = {
  mp3: "audio/mpeg",
  wav: "audio/wav",
  pcm: "audio/pcm",
  opus: "audio/opus",
  aac: "audio/aac",
  flac: "audio/flac",
};

/** Seconds of speech the emulator produces for `input` at `speed`. */
export function speechSeconds(input: string, speed = 1): number {
  return Math.max(0.2, input.length / 15 / speed);
}

function pcmSamples(seconds: number, voice: string): Uint8Array<ArrayBuffer> {
  const count = Math.round(seconds * SPEECH_SAMPLE_RATE);
  const bytes = new Uint8Array(count * 2);
  const view = new DataView(bytes.buffer);
  const freq = 180 + (fnv1a(voice) % 220);
  const step = (2 * Math.PI * freq) / SPEECH_SAMPLE_RATE;
  for (let i = 0; i < count; i++) view.setInt16(i * 2, Math.round(Math.sin(i * step) * 2000), true);
  return bytes;
}

/** Wraps little-endian 16-bit mono PCM in a RIFF/WAVE container. */
export function wavFile(pcm: Uint8Array, sampleRate = SPEECH_SAMPLE_RATE): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(44 + pcm.length);
  const view = new DataView(out.buffer);
  const ascii = (o: number, s: string) => {
    for (let i = 0; i < s.length; i++) out[o + i] = s.charCodeAt(i);
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + pcm.length, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, "data");
  view.setUint32(40, pcm.length, true);
  out.set(pcm, 44);
  return out;
}

/** Silent MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, mono) lasting about `seconds`. */
export function silentMp3(seconds: number): Uint8Array<ArrayBuffer> {
  const frameBytes = 417; // floor(144 * 128000 / 44100), no padding
  const frames = Math.max(1, Math.ceil((seconds * 44_100) / 1152));
  const out = new Uint8Array(frames * frameBytes);
  for (let f = 0; f < frames; f++) {
    const o = f * frameBytes;
    out[o] = 0xff;
    out[o + 1] = 0xfb; // MPEG-1, Layer III, no CRC
    out[o + 2] = 0x90; // 128 kbit/s, 44.1 kHz, no padding
    out[o + 3] = 0xc0; // mono
    // Side information and main data stay zero: every granule decodes to silence.
  }
  return out;
}

/** Handles a speech request. */
export function handleSpeech(ctx: HandlerContext, body: Record<string, unknown>): Response {
  if (body.input === undefined || body.input === null) return missingParam("input");
  if (typeof body.input !== "string" || body.input === "") {
    return invalidRequest("input", "'input' must be a non-empty string.");
  }
  // The spec's maxLength counts characters, not UTF-16 units (an emoji is one).
  const chars = body.input.length > MAX_SPEECH_INPUT ? [...body.input].length : 0;
  if (chars > MAX_SPEECH_INPUT) {
    return invalidRequest(
      "input",
      `'input' is ${chars} characters; the maximum is ${MAX_SPEECH_INPUT}. Split the text into several requests.`,
    );
  }
  if (body.voice === undefined || body.voice === null) return missingParam("voice");
  // A stored document lists only its enum; other versions also take the later voices.
  const voices = documented(ctx.apiVersion) ? VOICES.slice(0, 6) : VOICES;
  if (typeof body.voice !== "string" || !voices.includes(body.voice)) {
    return invalidRequest("voice", `'voice' must be one of ${voices.join(", ")}.`);
  }
  // Neither response_format nor speed is nullable in the stored document; other versions take
  // null as the default.
  const invalid = checkNotNull("speech", body, ctx.apiVersion) ??
    checkNumber(body, "speed", 0.25, 4, false);
  if (invalid) return invalid;
  const format = body.response_format ?? "mp3";
  // Compared as it is: String(["wav"]) would pass, and `in` finds inherited names.
  if (typeof format !== "string" || !Object.hasOwn(CONTENT_TYPES, format)) {
    return invalidRequest(
      "response_format",
      `'response_format' must be one of ${Object.keys(CONTENT_TYPES).join(", ")}.`,
    );
  }
  const seconds = speechSeconds(body.input, typeof body.speed === "number" ? body.speed : 1);
  let audio: Uint8Array<ArrayBuffer>;
  if (format === "mp3") audio = silentMp3(seconds);
  else if (format === "wav") audio = wavFile(pcmSamples(seconds, body.voice));
  else if (format === "pcm") audio = pcmSamples(seconds, body.voice);
  else if (format === "flac") audio = flacFile(pcmSamples(seconds, body.voice));
  else if (format === "opus") audio = silentOpus(seconds);
  else audio = silentAac(seconds);
  return new Response(audio, {
    headers: { "content-type": CONTENT_TYPES[format], "content-length": String(audio.length) },
  });
}
