// SDK parity of audio uploads: the same calls, with a Node fs.ReadStream, the SDK's toFile() (of
// a ReadStream, a Buffer, a fetched Response, a promise of a Blob) and a fetched Response as
// `file`, through the official openai SDK's AzureOpenAI and through the bundled core
// (compat/.build/core.mjs) against the emulator bundle over HTTP. The emulator's transcript names
// the file it got (name, size, type), so equal results mean equal uploads. Run with
// `sh compat/run.sh`, or `cd compat && sh build.sh && sh build_runtime.sh && node --test
// tests/uploads_switch.test.mjs`.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as openai from "openai";
import * as ours from "../.build/core.mjs";
import { createEmulator } from "../.build/emulator.mjs";
import { wavBytes } from "../runtime/scenarios.mjs";
import { serve } from "./_serve.mjs";

let api;
let media;
let dir;
let path;

/** 1 s of 16 kHz 16-bit mono silence as WAV bytes (the emulator reads its duration). */
const wav = () => wavBytes(1, 16_000);

before(async () => {
  const emulator = createEmulator({
    apiKeys: ["uploads-key"],
    transcript: (file) => `${file.name} ${file.size} ${file.type}`,
  });
  api = await serve((request) => emulator.fetch(request));
  // Where fetch() gets a recording from: its URL names the file.
  media = await serve(() => new Response(wav(), { headers: { "content-type": "audio/wav" } }));
  dir = await mkdtemp(join(tmpdir(), "aoai-uploads-"));
  path = join(dir, "meeting 1.wav");
  await writeFile(path, wav());
});

after(async () => {
  await api.close();
  await media.close();
  await rm(dir, { recursive: true, force: true });
});

/** The SDK's and ours' `verbose_json` transcription of `file(lib)`. */
async function both(file) {
  const results = [];
  for (const lib of [openai, ours]) {
    const client = new lib.AzureOpenAI({
      endpoint: api.url,
      apiKey: "uploads-key",
      apiVersion: "2024-10-21",
      maxRetries: 0,
    });
    results.push(
      await client.audio.transcriptions.create({
        model: "whisper",
        file: await file(lib),
        response_format: "verbose_json",
      }),
    );
  }
  return results;
}

const cases = [
  [
    "fs.createReadStream(path)",
    "meeting 1.wav 32044 application/octet-stream",
    () => createReadStream(path),
  ],
  [
    "fs.createReadStream(path) in small chunks",
    "meeting 1.wav 32044 application/octet-stream",
    () => createReadStream(path, { highWaterMark: 1024 }),
  ],
  [
    "toFile(fs.createReadStream(path))",
    "meeting 1.wav 32044 application/octet-stream",
    (lib) => lib.toFile(createReadStream(path)),
  ],
  [
    'toFile(fs.createReadStream(path), "renamed.mp3")',
    "renamed.mp3 32044 application/octet-stream",
    (lib) => lib.toFile(createReadStream(path), "renamed.mp3"),
  ],
  [
    'toFile(buffer, "clip.wav", { type: "audio/wav" })',
    "clip.wav 32044 audio/wav",
    async (lib) => lib.toFile(await readFile(path), "clip.wav", { type: "audio/wav" }),
  ],
  [
    "toFile(await fetch(url))",
    "talk.wav 32044 application/octet-stream",
    async (lib) => lib.toFile(await fetch(`${media.url}/media/talk.wav?v=2`)),
  ],
  [
    'toFile(Promise of a Blob, "p.wav")',
    "p.wav 32044 application/octet-stream",
    (lib) => lib.toFile(Promise.resolve(new Blob([wav()])), "p.wav"),
  ],
  [
    "await fetch(url)",
    "talk.wav 32044 application/octet-stream",
    () => fetch(`${media.url}/media/talk.wav`),
  ],
];

for (const [name, text, file] of cases) {
  test(`uploads: ${name} gives the same transcription through the SDK and ours`, async () => {
    const [sdk, mine] = await both(file);
    assert.equal(sdk.text, text);
    assert.deepEqual(mine, sdk);
  });
}

// The one difference: the SDK's toFile() drops a Blob's own type (it looks for a `type` among the
// parts and finds the Blob itself); ours keeps it, as options.type would set it.
test("uploads: toFile(a typed Blob) keeps its type in ours; the SDK's sends application/octet-stream", async () => {
  const [sdk, mine] = await both((lib) =>
    lib.toFile(new Blob([wav()], { type: "audio/wav" }), "typed.wav")
  );
  assert.equal(sdk.text, "typed.wav 32044 application/octet-stream");
  assert.equal(mine.text, "typed.wav 32044 audio/wav");
  const rest = ({ task, language, duration }) => ({ task, language, duration });
  assert.deepEqual(rest(mine), rest(sdk));
});
