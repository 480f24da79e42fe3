/**
 * A 500 from the emulator (an injected fault), for each operation, as the official `openai` SDK's
 * `AzureOpenAI` sees it straight from the emulator and through the edge app (both over HTTP on
 * 127.0.0.1): an `InternalServerError` with status 500 and the service's code, and a body that
 * validates against the operation's error schema in the stored document (`default`, or
 * `errorResponse` where the operation lists none).
 *
 * @module
 */
import assert from "node:assert/strict";
import { AzureOpenAI, InternalServerError, toFile } from "openai";
import { createEmulator, type Emulator } from "../../src/emulator/mod.ts";
import { type SpecVersion, validateAgainstSpec } from "../helpers/spec_schema.ts";
import { edgeOverEmulator, serveLocal } from "./_sdk_targets.ts";

const EDGE_KEY = "sdk-500-client-key-01";

interface Target {
  name: string;
  emulator: Emulator;
  client(apiVersion: string): AzureOpenAI;
  close(): Promise<void>;
}

function target(name: "emulator" | "edge"): Target {
  const edge = name === "edge" ? edgeOverEmulator({ clientKeys: [EDGE_KEY] }) : undefined;
  const emulator = edge?.emulator ?? createEmulator();
  const key = edge ? EDGE_KEY : emulator.apiKey;
  const server = serveLocal(edge?.handler ?? ((r) => emulator.fetch(r)));
  return {
    name,
    emulator,
    client: (apiVersion) =>
      new AzureOpenAI({ endpoint: server.url, apiKey: key, apiVersion, maxRetries: 0 }),
    close: server.close,
  };
}

/** Each operation: its api-version, the schema of its error body, and one SDK call. */
const OPS: [string, SpecVersion, string, (c: AzureOpenAI) => Promise<unknown>][] = [
  [
    "chat",
    "2024-10-21",
    "errorResponse",
    (c) =>
      c.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] }),
  ],
  ["chat stream", "2024-10-21", "errorResponse", (c) =>
    c.chat.completions.create({
      model: "gpt-4o",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    })],
  [
    "completions",
    "2024-10-21",
    "errorResponse",
    (c) => c.completions.create({ model: "gpt-35-turbo-instruct", prompt: "hi" }),
  ],
  [
    "embeddings",
    "2024-10-21",
    "errorResponse",
    (c) => c.embeddings.create({ model: "text-embedding-3-small", input: "hi" }),
  ],
  [
    "images",
    "2024-10-21",
    "dalleErrorResponse",
    (c) => c.images.generate({ model: "dall-e-3", prompt: "a fox" }),
  ],
  ["transcriptions", "2024-10-21", "errorResponse", async (c) =>
    c.audio.transcriptions.create({
      model: "whisper",
      file: await toFile(new Uint8Array(32_000), "a.wav", { type: "audio/wav" }),
    })],
  ["translations", "2024-10-21", "errorResponse", async (c) =>
    c.audio.translations.create({
      model: "whisper",
      file: await toFile(new Uint8Array(32_000), "a.wav", { type: "audio/wav" }),
    })],
  [
    "speech",
    "2024-05-01-preview",
    "errorResponse",
    (c) => c.audio.speech.create({ model: "tts", voice: "alloy", input: "hi" }),
  ],
];

for (const name of ["emulator", "edge"] as const) {
  Deno.test(`openai SDK: a 500 from the ${name} is an InternalServerError with a spec-valid body`, async () => {
    const t = target(name);
    try {
      for (const [op, version, schema, call] of OPS) {
        t.emulator.failNext(1, 500);
        const err = await call(t.client(version)).then(
          () => assert.fail(`${name} ${op}: no error`),
          (e: unknown) => e,
        );
        assert.ok(err instanceof InternalServerError, `${name} ${op}: ${err}`);
        assert.equal(err.status, 500, `${name} ${op}`);
        assert.equal(err.code, "InternalServerError", `${name} ${op}`);
        assert.deepEqual(
          validateAgainstSpec(version, schema, { error: err.error }),
          [],
          `${name} ${op}: ${JSON.stringify(err.error)}`,
        );
      }
    } finally {
      await t.close();
    }
  });
}
