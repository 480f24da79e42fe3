// The official openai SDK (AzureOpenAI and OpenAI with the v1 base URL) against the
// emulator bundle served by node:http. Run with `sh compat/run.sh`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { AuthenticationError, AzureOpenAI, NotFoundError, OpenAI, toFile } from "openai";
import { createEmulator } from "../.build/emulator.mjs";
import { wavBytes } from "../runtime/scenarios.mjs";
import { serve } from "./_serve.mjs";

const API_VERSION = "2024-10-21";
let emulator;
let server;

before(async () => {
  emulator = createEmulator({ apiKeys: ["compat-key"] });
  server = await serve((request) => emulator.fetch(request));
});

after(async () => {
  await server.close();
});

function azure(options = {}) {
  return new AzureOpenAI({
    endpoint: server.url,
    apiKey: "compat-key",
    apiVersion: API_VERSION,
    maxRetries: 0,
    ...options,
  });
}

function v1() {
  return new OpenAI({
    baseURL: `${server.url}/openai/v1`,
    apiKey: "compat-key",
    maxRetries: 0,
  });
}

function norm(vector) {
  return Math.sqrt(vector.reduce((s, x) => s + x * x, 0));
}

for (
  const [label, client] of [["AzureOpenAI", () => azure()], [
    "OpenAI v1",
    () => v1(),
  ]]
) {
  describe(`${label} against the emulator`, () => {
    test("chat.completions.create() returns the echo", async () => {
      const res = await client().chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "hello sdk" }],
      });
      assert.equal(res.object, "chat.completion");
      assert.equal(res.choices[0].message.content, "You said: hello sdk");
      assert.equal(res.choices[0].finish_reason, "stop");
      assert.ok(res.usage.total_tokens > 0);
    });

    test("chat with tool_choice required returns a tool call", async () => {
      const res = await client().chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "weather in Paris?" }],
        tools: [{
          type: "function",
          function: {
            name: "get_weather",
            parameters: {
              type: "object",
              properties: { city: { type: "string" } },
              required: ["city"],
            },
          },
        }],
        tool_choice: "required",
      });
      const call = res.choices[0].message.tool_calls[0];
      assert.equal(res.choices[0].finish_reason, "tool_calls");
      assert.equal(call.type, "function");
      assert.equal(call.function.name, "get_weather");
      assert.deepEqual(JSON.parse(call.function.arguments), { city: "" });
    });

    test("chat streaming deltas concatenate to the non-streamed content", async () => {
      const params = {
        model: "gpt-4o",
        messages: [{
          role: "user",
          content: "stream me through the official SDK",
        }],
      };
      const plain = await client().chat.completions.create(params);
      const stream = await client().chat.completions.create({
        ...params,
        stream: true,
        stream_options: { include_usage: true },
      });
      let content = "";
      let usage;
      let chunks = 0;
      for await (const chunk of stream) {
        chunks++;
        content += chunk.choices[0]?.delta?.content ?? "";
        if (chunk.usage) usage = chunk.usage;
      }
      assert.ok(chunks > 5);
      assert.equal(content, plain.choices[0].message.content);
      assert.deepEqual(usage, plain.usage);
    });

    test("completions.create() returns text_completion", async () => {
      const res = await client().completions.create({
        model: "gpt-35-turbo-instruct",
        prompt: "tell me a joke",
      });
      assert.equal(res.object, "text_completion");
      assert.equal(res.choices[0].text, "You said: tell me a joke");
    });

    test("embeddings.create() decodes the SDK's default base64 into a unit vector", async () => {
      const viaDefault = await client().embeddings.create({
        model: "text-embedding-3-small",
        input: "embed me",
      });
      const vector = viaDefault.data[0].embedding;
      assert.ok(Array.isArray(vector));
      assert.equal(vector.length, 1536);
      assert.ok(Math.abs(norm(vector) - 1) < 1e-5);
      const asFloat = await client().embeddings.create({
        model: "text-embedding-3-small",
        input: "embed me",
        encoding_format: "float",
      });
      assert.deepEqual(asFloat.data[0].embedding, vector);
      const asBase64 = await client().embeddings.create({
        model: "text-embedding-3-small",
        input: ["embed me"],
        encoding_format: "base64",
        dimensions: 8,
      });
      const bytes = Buffer.from(asBase64.data[0].embedding, "base64");
      const floats = new Float32Array(
        bytes.buffer,
        bytes.byteOffset,
        bytes.length / 4,
      );
      assert.equal(floats.length, 8);
      assert.ok(Math.abs(norm(Array.from(floats)) - 1) < 1e-5);
    });

    test("images.generate() returns a fetchable url and a b64_json PNG", async () => {
      const byUrl = await client().images.generate({
        model: "dall-e-3",
        prompt: "a red fox",
      });
      const url = byUrl.data[0].url;
      assert.ok(url.startsWith(server.url));
      assert.match(byUrl.data[0].revised_prompt, /a red fox/);
      const png = await fetch(url);
      assert.equal(png.headers.get("content-type"), "image/png");
      const b64 = await client().images.generate({
        model: "dall-e-3",
        prompt: "a red fox",
        response_format: "b64_json",
      });
      const bytes = Buffer.from(b64.data[0].b64_json, "base64");
      assert.deepEqual([...bytes.subarray(0, 8)], [
        137,
        80,
        78,
        71,
        13,
        10,
        26,
        10,
      ]);
    });

    test("audio.transcriptions.create() uploads a file and returns json, verbose_json and text", async () => {
      const file = () => toFile(wavBytes(2), "speech.wav", { type: "audio/wav" });
      const json = await client().audio.transcriptions.create({
        model: "whisper",
        file: await file(),
      });
      assert.match(json.text, /speech\.wav/);
      // Of the stored documents only 2024-05-01-preview defines timestamp_granularities[]: the
      // emulator ignores it on 2024-10-21, as the document does.
      const transcriber = label === "AzureOpenAI"
        ? azure({ apiVersion: "2024-05-01-preview" })
        : client();
      const verbose = await transcriber.audio.transcriptions.create({
        model: "whisper",
        file: await file(),
        response_format: "verbose_json",
        timestamp_granularities: ["word", "segment"],
      });
      assert.equal(verbose.duration, 2);
      assert.ok(verbose.words.length > 3);
      assert.ok(verbose.segments.length >= 1);
      const text = await client().audio.transcriptions.create({
        model: "whisper",
        file: await file(),
        response_format: "text",
      });
      assert.equal(typeof text, "string");
      assert.match(text, /speech\.wav/);
    });

    test("audio.translations.create() uploads a file", async () => {
      const res = await client().audio.translations.create({
        model: "whisper",
        file: await toFile(wavBytes(1), "german.wav"),
      });
      assert.match(res.text, /into English/);
    });

    test("audio.speech.create() returns WAV bytes starting with RIFF", async () => {
      // Speech is in the preview documents, not in 2024-10-21: as the service, the emulator
      // answers 404 there.
      const speaker = label === "AzureOpenAI"
        ? azure({ apiVersion: "2024-05-01-preview" })
        : client();
      const res = await speaker.audio.speech.create({
        model: "tts",
        voice: "alloy",
        input: "Hello from the emulator",
        response_format: "wav",
      });
      assert.equal(res.headers.get("content-type"), "audio/wav");
      const bytes = new Uint8Array(await res.arrayBuffer());
      assert.equal(new TextDecoder().decode(bytes.subarray(0, 4)), "RIFF");
      assert.ok(bytes.length > 44 + 48000);
    });

    test("a wrong key raises AuthenticationError 401", async () => {
      const bad = label === "AzureOpenAI" ? azure({ apiKey: "wrong-key" }) : new OpenAI({
        baseURL: `${server.url}/openai/v1`,
        apiKey: "wrong-key",
        maxRetries: 0,
      });
      await assert.rejects(
        () =>
          bad.chat.completions.create({
            model: "gpt-4o",
            messages: [{ role: "user", content: "x" }],
          }),
        (err) => err instanceof AuthenticationError && err.status === 401,
      );
    });

    test("an unknown deployment raises NotFoundError", async () => {
      await assert.rejects(
        () =>
          client().chat.completions.create({
            model: "no-such-deployment",
            messages: [{ role: "user", content: "x" }],
          }),
        (err) =>
          err instanceof NotFoundError && err.status === 404 &&
          err.code === "DeploymentNotFound",
      );
    });
  });
}

test("AzureOpenAI with a fixed deployment option routes to that deployment", async () => {
  const client = azure({ deployment: "gpt-4o" });
  const res = await client.chat.completions.create({
    model: "ignored-by-azure",
    messages: [{ role: "user", content: "fixed" }],
  });
  assert.equal(res.choices[0].message.content, "You said: fixed");
  const last = emulator.log.at(-1);
  assert.equal(last.deployment, "gpt-4o");
  assert.equal(last.auth, "api-key");
  assert.match(last.path, /api-version=2024-10-21/);
});

test("aborting an SDK stream cancels the emulator's stream", async (t) => {
  // A per-chunk delay keeps the reply from fitting in the loopback socket buffers at once.
  const slow = createEmulator({ apiKeys: ["compat-key"], chunkDelayMs: 5 });
  const slowServer = await serve((request) => slow.fetch(request));
  t.after(() => slowServer.close());
  const controller = new AbortController();
  const client = new AzureOpenAI({
    endpoint: slowServer.url,
    apiKey: "compat-key",
    apiVersion: API_VERSION,
    maxRetries: 0,
  });
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "word ".repeat(500) }],
    stream: true,
  }, { signal: controller.signal });
  let seen = 0;
  try {
    for await (const _chunk of stream) {
      if (++seen === 3) controller.abort();
    }
  } catch {
    // The SDK may end the iteration quietly or throw an abort error; both are fine.
  }
  assert.ok(seen < 100, `the stream kept going after abort (${seen} chunks)`);
  for (let i = 0; i < 200 && slow.stats.cancelledStreams === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.equal(slow.stats.cancelledStreams, 1);
  assert.equal(slow.stats.streamsCompleted, 0);
});
