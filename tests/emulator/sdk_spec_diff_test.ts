/**
 * The official `openai` SDK's `AzureOpenAI`, unchanged, against (a) the emulator and (b) the edge app
 * in front of it, each served over HTTP on 127.0.0.1: every operation Azure has (chat with tools,
 * vision parts, streaming with and without include_usage, completions, embeddings float and
 * base64, images, transcriptions and translations in each response_format, speech) answers what
 * the SDK expects, and each raw answer body validates against the stored spec document.
 *
 * @module
 */
import assert from "node:assert/strict";
import { AzureOpenAI, toFile } from "openai";
import { createEmulator } from "../../src/emulator/mod.ts";
import { MemoryCache } from "../../edge/mod.ts";
// @ts-types="../helpers/scenarios.d.ts"
import { wavBytes } from "../../compat/runtime/scenarios.mjs";
import {
  type SpecVersion,
  validateAgainstSpec,
  validateResponseBody,
} from "../helpers/spec_schema.ts";
import {
  edgeOverEmulator,
  recordingFetch,
  type Seen,
  type Served,
  serveLocal,
} from "./_sdk_targets.ts";

const GA: SpecVersion = "2024-10-21";
const PREVIEW: SpecVersion = "2024-05-01-preview";
const EDGE_KEY = "sdk-diff-client-key-01";

interface Target extends Served {
  name: string;
  key: string;
  seen: Seen[];
}

function serve(name: string, key: string, handler: (r: Request) => Promise<Response>): Target {
  return { name, key, seen: [], ...serveLocal(handler) };
}

function emulatorTarget(): Target {
  const emulator = createEmulator({ apiKeys: ["sdk-diff-emulator-key"] });
  return serve("emulator", "sdk-diff-emulator-key", (r) => emulator.fetch(r));
}

function edgeTarget(): Target {
  const { handler } = edgeOverEmulator({ clientKeys: [EDGE_KEY], cache: new MemoryCache() });
  return serve("edge", EDGE_KEY, handler);
}

function sdk(t: Target, apiVersion: string = GA): AzureOpenAI {
  return new AzureOpenAI({
    endpoint: t.url,
    apiKey: t.key,
    apiVersion,
    maxRetries: 0,
    fetch: recordingFetch(t.seen),
  });
}

function assertValid(errors: string[], what: string): void {
  assert.deepEqual(errors, [], `${what}:\n${errors.join("\n")}`);
}

/** The last answer `t` saw, checked as a 200 JSON body against `version`'s operation schema. */
async function lastValid(t: Target, version: SpecVersion, what: string): Promise<unknown> {
  const seen = t.seen.at(-1)!;
  assert.equal(seen.status, 200, `${t.name} ${what}: ${await seen.body}`);
  assert.match(seen.type, /^application\/json/, `${t.name} ${what}`);
  const body = JSON.parse(await seen.body);
  assertValid(validateResponseBody(version, seen.path, "POST", 200, body), `${t.name} ${what}`);
  return body;
}

/** The chunks of the last SSE answer `t` saw, each checked against the stream chunk schema. */
async function lastChunks(t: Target, what: string): Promise<Record<string, unknown>[]> {
  const seen = t.seen.at(-1)!;
  assert.equal(seen.status, 200, `${t.name} ${what}`);
  assert.match(seen.type, /^text\/event-stream/, `${t.name} ${what}`);
  const text = await seen.body;
  const data = text.split("\n\n").filter((b) => b.startsWith("data: ")).map((b) => b.slice(6));
  assert.equal(data.at(-1), "[DONE]", `${t.name} ${what}: ends with [DONE]`);
  const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
  for (const [i, chunk] of chunks.entries()) {
    assertValid(
      validateAgainstSpec(GA, "createChatCompletionStreamResponse", chunk),
      `${t.name} ${what} chunk ${i}`,
    );
  }
  return chunks;
}

const TOOLS = [{
  type: "function" as const,
  function: {
    name: "get_weather",
    description: "Weather of a city",
    parameters: {
      type: "object",
      properties: { city: { type: "string" } },
      required: ["city"],
    },
  },
}];

// A 1x1 PNG as a data URL (a vision content part).
const PNG_1X1 = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4" +
  "2mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/** Runs `fn` against a fresh emulator target and a fresh edge target, closing both. */
function both(name: string, fn: (t: Target) => Promise<void>): void {
  Deno.test(`openai SDK ${name}`, async (ctx) => {
    for (const make of [emulatorTarget, edgeTarget]) {
      const t = make();
      try {
        await ctx.step(t.name, () => fn(t));
      } finally {
        await t.close();
      }
    }
  });
}

both("chat with tools: a tool call, then the tool's answer, both spec-valid", async (t) => {
  const client = sdk(t);
  const messages: Parameters<typeof client.chat.completions.create>[0]["messages"] = [
    { role: "user", content: "weather in Paris?" },
  ];
  const first = await client.chat.completions.create({
    model: "gpt-4o",
    messages,
    tools: TOOLS,
    tool_choice: "required",
  });
  await lastValid(t, GA, "tool call");
  const call = first.choices[0].message.tool_calls?.[0];
  assert.ok(call && call.type === "function", t.name);
  assert.equal(first.choices[0].finish_reason, "tool_calls");
  assert.equal(call.function.name, "get_weather");
  assert.ok(typeof JSON.parse(call.function.arguments) === "object");
  messages.push(first.choices[0].message, {
    role: "tool",
    tool_call_id: call.id,
    content: '{"temp_c": 21}',
  });
  const second = await client.chat.completions.create({ model: "gpt-4o", messages, tools: TOOLS });
  await lastValid(t, GA, "after the tool message");
  assert.equal(second.choices[0].message.role, "assistant");
  assert.equal(typeof second.choices[0].message.content, "string");
});

both("chat with vision content parts", async (t) => {
  const res = await sdk(t).chat.completions.create({
    model: "gpt-4o",
    messages: [{
      role: "user",
      content: [
        { type: "text", text: "what is in this picture" },
        { type: "image_url", image_url: { url: PNG_1X1, detail: "low" } },
      ],
    }],
  });
  await lastValid(t, GA, "vision");
  assert.match(res.choices[0].message.content ?? "", /what is in this picture/);
  assert.ok(res.usage!.prompt_tokens > 0);
});

both("chat streaming with and without include_usage", async (t) => {
  const client = sdk(t);
  const params = {
    model: "gpt-4o",
    messages: [{ role: "user" as const, content: "stream me a few words please" }],
  };
  const plain = await client.chat.completions.create(params);
  await lastValid(t, GA, "non-streamed");
  for (const includeUsage of [false, true]) {
    const what = `stream include_usage=${includeUsage}`;
    const stream = await client.chat.completions.create({
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
    assert.equal(content, plain.choices[0].message.content, `${t.name} ${what}`);
    const chunks = await lastChunks(t, what);
    assert.ok(chunks.length > 3, `${t.name} ${what}: ${chunks.length} chunks`);
    if (includeUsage) {
      assert.deepEqual(usages, [plain.usage], `${t.name} ${what}`);
      assert.deepEqual(chunks.at(-1)!.choices, [], `${t.name} ${what}: the usage chunk`);
    } else {
      assert.deepEqual(usages, [], `${t.name} ${what}`);
      assert.ok(chunks.every((c) => !("usage" in c) || c.usage === null), `${t.name} ${what}`);
    }
  }
});

both("completions, plain and streamed", async (t) => {
  const client = sdk(t);
  const res = await client.completions.create({
    model: "gpt-35-turbo-instruct",
    prompt: "tell me a joke",
  });
  await lastValid(t, GA, "completion");
  assert.equal(res.object, "text_completion");
  assert.equal(res.choices[0].text, "You said: tell me a joke");
  const stream = await client.completions.create({
    model: "gpt-35-turbo-instruct",
    prompt: "tell me a joke",
    stream: true,
  });
  let text = "";
  for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
  assert.equal(text, res.choices[0].text);
});

function norm(v: number[]): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

both(
  "embeddings float and base64, twice (the edge answers from its cache after the first call)",
  async (t) => {
    const client = sdk(t);
    const input = ["embed me", "and me"];
    for (let round = 0; round < 2; round++) {
      const asFloat = await client.embeddings.create({
        model: "text-embedding-3-small",
        input,
        encoding_format: "float",
      });
      const floatBody = await lastValid(t, GA, `float round ${round}`) as {
        data: { embedding: unknown }[];
      };
      if (t.name === "edge") {
        assert.equal(t.seen.at(-1)!.cache, round === 0 ? "miss" : "hit", `float round ${round}`);
      }
      assert.ok(Array.isArray(floatBody.data[0].embedding), `${t.name} float on the wire`);
      assert.equal(asFloat.data.length, 2);
      assert.ok(Math.abs(norm(asFloat.data[0].embedding) - 1) < 1e-5);
      const asBase64 = await client.embeddings.create({
        model: "text-embedding-3-small",
        input,
        encoding_format: "base64",
      });
      const seen = t.seen.at(-1)!;
      assert.equal(seen.status, 200, t.name);
      // The edge caches per input whatever the encoding: only the very first call misses.
      if (t.name === "edge") assert.equal(seen.cache, "hit", `base64 round ${round}`);
      const b64Body = JSON.parse(await seen.body) as { data: { embedding: unknown }[] };
      const wire = b64Body.data[1].embedding;
      assert.equal(typeof wire, "string", `${t.name} base64 on the wire`);
      // The document types `embedding` as number[] only (its request has encoding_format base64):
      // the body is checked with the decoded vectors in place of the strings.
      for (const item of b64Body.data) {
        const bytes = Uint8Array.from(atob(item.embedding as string), (c) => c.charCodeAt(0));
        item.embedding = Array.from(new Float32Array(bytes.buffer));
      }
      assertValid(
        validateResponseBody(GA, seen.path, "POST", 200, b64Body),
        `${t.name} base64 round ${round}`,
      );
      assert.deepEqual(
        b64Body.data[1].embedding,
        asFloat.data[1].embedding,
        `${t.name} b64 = float`,
      );
      // The SDK hands back what it was sent for an explicit base64.
      assert.equal(asBase64.data[1].embedding as unknown, wire);
      // The SDK's default (base64 on the wire, decoded by the SDK) gives the same vectors.
      const viaDefault = await client.embeddings.create({ model: "text-embedding-3-small", input });
      assert.deepEqual(
        viaDefault.data.map((d) => d.embedding),
        asFloat.data.map((d) => d.embedding),
      );
    }
  },
);

both("images.generate with url and b64_json", async (t) => {
  const client = sdk(t);
  const byUrl = await client.images.generate({ model: "dall-e-3", prompt: "a red fox" });
  await lastValid(t, GA, "image url");
  assert.ok(URL.canParse(byUrl.data![0].url!), t.name);
  assert.match(byUrl.data![0].revised_prompt ?? "", /a red fox/);
  const b64 = await client.images.generate({
    model: "dall-e-3",
    prompt: "a red fox",
    response_format: "b64_json",
  });
  await lastValid(t, GA, "image b64_json");
  const head = Uint8Array.from(atob(b64.data![0].b64_json!).slice(0, 8), (c) => c.charCodeAt(0));
  assert.deepEqual([...head], [137, 80, 78, 71, 13, 10, 26, 10]);
});

const AUDIO_FORMATS = ["json", "text", "srt", "verbose_json", "vtt"] as const;

both("audio transcriptions and translations in every response_format", async (t) => {
  const client = sdk(t);
  for (const op of ["transcriptions", "translations"] as const) {
    for (const format of AUDIO_FORMATS) {
      const what = `${op} ${format}`;
      const file = await toFile(wavBytes(2), "speech.wav", { type: "audio/wav" });
      // One call for every format: the SDK's overloads type each format's answer apart.
      const create = client.audio[op].create.bind(client.audio[op]) as (
        body: { model: string; file: File; response_format: string },
      ) => Promise<unknown>;
      const res = await create({ model: "whisper", file, response_format: format });
      const seen = t.seen.at(-1)!;
      const raw = await seen.body;
      assert.equal(seen.status, 200, `${t.name} ${what}: ${raw}`);
      if (format === "json" || format === "verbose_json") {
        assert.match(seen.type, /^application\/json/, `${t.name} ${what}`);
        const body = JSON.parse(raw);
        // The document's 200 is oneOf [audioResponse, audioVerboseResponse], which `{ text }`
        // matches both of: each format is checked against its own schema.
        const schema = format === "json" ? "audioResponse" : "audioVerboseResponse";
        assertValid(validateAgainstSpec(GA, schema, body), `${t.name} ${what}`);
        assert.deepEqual(res, body, `${t.name} ${what}: the SDK's object is the body`);
        assert.equal(typeof body.text, "string");
        if (format === "verbose_json") assert.equal(body.duration, 2, `${t.name} ${what}`);
      } else {
        assert.match(seen.type, /^text\/plain/, `${t.name} ${what}`);
        assertValid(
          validateResponseBody(GA, seen.path, "POST", 200, raw, "text/plain"),
          `${t.name} ${what}`,
        );
        assert.equal(res, raw, `${t.name} ${what}: the SDK returns the text`);
        if (format === "srt") assert.match(raw, /^1\n00:00:00,000 --> /, `${t.name} ${what}`);
        if (format === "vtt") assert.match(raw, /^WEBVTT\n/, `${t.name} ${what}`);
      }
    }
  }
});

const SPEECH_MAGIC: Record<string, string> = {
  mp3: "",
  opus: "OggS",
  aac: "",
  flac: "fLaC",
  wav: "RIFF",
  pcm: "",
};

both("audio.speech in every response_format (2024-05-01-preview)", async (t) => {
  const client = sdk(t, PREVIEW);
  for (const [format, magic] of Object.entries(SPEECH_MAGIC)) {
    const res = await client.audio.speech.create({
      model: "tts",
      voice: "alloy",
      input: "Hello from the emulator",
      response_format: format as "mp3",
    });
    assert.equal(res.status, 200, `${t.name} ${format}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.ok(bytes.length > 100, `${t.name} ${format}: ${bytes.length} bytes`);
    assert.equal(String.fromCharCode(...bytes.subarray(0, magic.length)), magic, format);
    // The edge relays the body as a stream, without the upstream's content-length.
    const length = res.headers.get("content-length");
    if (length !== null) assert.equal(length, String(bytes.length), `${t.name} ${format}`);
    assert.equal(
      res.headers.get("content-type"),
      `audio/${format === "mp3" ? "mpeg" : format}`,
      `${t.name} ${format}`,
    );
  }
});
