// The official openai SDK's AzureOpenAI on Node, unchanged, for every operation Azure has (chat with
// tools, vision parts, streaming with and without include_usage, completions, embeddings float and
// base64, images, transcriptions and translations in each response_format, speech in each format)
// against the emulator bundle and against the bundled edge app (createEdgeApp, the emulator as its
// upstream), both behind node:http on 127.0.0.1. The same calls with the answers checked against
// the spec documents: tests/emulator/sdk_spec_diff_test.ts (Deno).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { AzureOpenAI, toFile } from "openai";
import * as core from "../.build/core.mjs";
import { createEdgeApp } from "../.build/edge.mjs";
import { createEmulator } from "../.build/emulator.mjs";
import { wavBytes } from "../runtime/scenarios.mjs";
import { serve } from "./_serve.mjs";

const UPSTREAM_KEY = "sdk-ops-upstream-key";
const EDGE_KEY = "sdk-ops-client-key-01";
const targets = {};

before(async () => {
  const emulator = createEmulator({ apiKeys: [UPSTREAM_KEY] });
  const emulatorServer = await serve((request) => emulator.fetch(request));
  const upstream = new core.AzureOpenAI({ endpoint: emulatorServer.url, apiKey: UPSTREAM_KEY });
  const app = createEdgeApp({ upstream, clientKeys: [EDGE_KEY] });
  const edgeServer = await serve((request) => Promise.resolve(app.fetch(request)));
  targets.emulator = { url: emulatorServer.url, key: UPSTREAM_KEY, server: emulatorServer };
  targets.edge = { url: edgeServer.url, key: EDGE_KEY, server: edgeServer };
});

after(async () => {
  await targets.edge?.server.close();
  await targets.emulator?.server.close();
});

const TOOLS = [{
  type: "function",
  function: {
    name: "get_weather",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
}];
const PNG_1X1 = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4" +
  "2mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const SPEECH_MAGIC = { mp3: "", opus: "OggS", aac: "", flac: "fLaC", wav: "RIFF", pcm: "" };

for (const name of ["emulator", "edge"]) {
  describe(`openai SDK (Node) against the ${name}`, () => {
    const client = (apiVersion = "2024-10-21") =>
      new AzureOpenAI({
        endpoint: targets[name].url,
        apiKey: targets[name].key,
        apiVersion,
        maxRetries: 0,
      });

    test("chat with tools: a tool call, then the tool's answer", async () => {
      const messages = [{ role: "user", content: "weather in Paris?" }];
      const first = await client().chat.completions.create({
        model: "gpt-4o",
        messages,
        tools: TOOLS,
        tool_choice: "required",
      });
      const call = first.choices[0].message.tool_calls[0];
      assert.equal(first.choices[0].finish_reason, "tool_calls");
      assert.equal(call.function.name, "get_weather");
      messages.push(first.choices[0].message, {
        role: "tool",
        tool_call_id: call.id,
        content: '{"temp_c": 21}',
      });
      const second = await client().chat.completions.create({
        model: "gpt-4o",
        messages,
        tools: TOOLS,
      });
      assert.equal(second.choices[0].message.role, "assistant");
      assert.equal(typeof second.choices[0].message.content, "string");
    });

    test("chat with vision content parts", async () => {
      const res = await client().chat.completions.create({
        model: "gpt-4o",
        messages: [{
          role: "user",
          content: [
            { type: "text", text: "what is in this picture" },
            { type: "image_url", image_url: { url: PNG_1X1, detail: "low" } },
          ],
        }],
      });
      assert.match(res.choices[0].message.content, /what is in this picture/);
    });

    test("chat streaming with and without include_usage", async () => {
      const params = {
        model: "gpt-4o",
        messages: [{ role: "user", content: "stream me a few words please" }],
      };
      const plain = await client().chat.completions.create(params);
      for (const includeUsage of [false, true]) {
        const stream = await client().chat.completions.create({
          ...params,
          stream: true,
          ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
        });
        let content = "";
        const usages = [];
        for await (const chunk of stream) {
          content += chunk.choices[0]?.delta?.content ?? "";
          if (chunk.usage) usages.push(chunk.usage);
        }
        assert.equal(content, plain.choices[0].message.content, `include_usage=${includeUsage}`);
        assert.deepEqual(usages, includeUsage ? [plain.usage] : []);
      }
    });

    test("completions, plain and streamed", async () => {
      const res = await client().completions.create({
        model: "gpt-35-turbo-instruct",
        prompt: "tell me a joke",
      });
      assert.equal(res.choices[0].text, "You said: tell me a joke");
      const stream = await client().completions.create({
        model: "gpt-35-turbo-instruct",
        prompt: "tell me a joke",
        stream: true,
      });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
      assert.equal(text, res.choices[0].text);
    });

    test("embeddings float, base64 and the SDK's default agree (twice)", async () => {
      const input = ["embed me", "and me"];
      for (let round = 0; round < 2; round++) {
        const asFloat = await client().embeddings.create({
          model: "text-embedding-3-small",
          input,
          encoding_format: "float",
        });
        assert.equal(asFloat.data[0].embedding.length, 1536);
        const asBase64 = await client().embeddings.create({
          model: "text-embedding-3-small",
          input,
          encoding_format: "base64",
        });
        const bytes = Buffer.from(asBase64.data[1].embedding, "base64");
        const floats = Array.from(
          new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4),
        );
        assert.deepEqual(floats, asFloat.data[1].embedding, `round ${round}`);
        const viaDefault = await client().embeddings.create({
          model: "text-embedding-3-small",
          input,
        });
        assert.deepEqual(
          viaDefault.data.map((d) => d.embedding),
          asFloat.data.map((d) => d.embedding),
        );
      }
    });

    test("images.generate with url and b64_json", async () => {
      const byUrl = await client().images.generate({ model: "dall-e-3", prompt: "a red fox" });
      assert.ok(URL.canParse(byUrl.data[0].url));
      const b64 = await client().images.generate({
        model: "dall-e-3",
        prompt: "a red fox",
        response_format: "b64_json",
      });
      const bytes = Buffer.from(b64.data[0].b64_json, "base64");
      assert.deepEqual([...bytes.subarray(0, 4)], [137, 80, 78, 71]);
    });

    test("transcriptions and translations in every response_format", async () => {
      for (const op of ["transcriptions", "translations"]) {
        for (const format of ["json", "text", "srt", "verbose_json", "vtt"]) {
          const res = await client().audio[op].create({
            model: "whisper",
            file: await toFile(wavBytes(2), "speech.wav", { type: "audio/wav" }),
            response_format: format,
          });
          const what = `${op} ${format}`;
          if (format === "json" || format === "verbose_json") {
            assert.equal(typeof res.text, "string", what);
            if (format === "verbose_json") assert.equal(res.duration, 2, what);
          } else {
            assert.equal(typeof res, "string", what);
            if (format === "srt") assert.match(res, /^1\n00:00:00,000 --> /, what);
            if (format === "vtt") assert.match(res, /^WEBVTT\n/, what);
          }
        }
      }
    });

    test("audio.speech in every response_format (2024-05-01-preview)", async () => {
      for (const [format, magic] of Object.entries(SPEECH_MAGIC)) {
        const res = await client("2024-05-01-preview").audio.speech.create({
          model: "tts",
          voice: "alloy",
          input: "Hello from the emulator",
          response_format: format,
        });
        assert.equal(
          res.headers.get("content-type"),
          `audio/${format === "mp3" ? "mpeg" : format}`,
        );
        const bytes = new Uint8Array(await res.arrayBuffer());
        assert.ok(bytes.length > 100, `${format}: ${bytes.length} bytes`);
        assert.equal(new TextDecoder().decode(bytes.subarray(0, magic.length)), magic, format);
      }
    });
  });
}
