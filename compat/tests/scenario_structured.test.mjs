// A developer switching from the openai SDK keeps its structured-output and vision helpers:
// chat.completions.parse() with zodResponseFormat, a raw json_schema response_format with
// strict: true, strict zodFunction tools called in parallel, logprobs / top_logprobs, and
// vision parts (a data: URL and an https URL, with detail). Driven against (a) the emulator
// bundle served by node:http and (b) the edge app (Deno) with its chat cache on, whose upstream
// is a scripted emulator (so the model calls tools in parallel), with a JSON limit small enough
// for a large data URL to pass it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { APIError, AzureOpenAI } from "openai";
import { zodFunction, zodResponseFormat } from "openai/helpers/zod";
import { z } from "zod";
import { createEmulator, sampleFromSchema } from "../.build/emulator.mjs";
import { serve } from "./_serve.mjs";
import { startEdgeApp } from "./_edge_app.mjs";

const API_VERSION = "2024-10-21";
const KEY = "compat-key";
const MAX_JSON_BYTES = 65536;

// What a developer asks for: formats, patterns, bounds, enums, a nullable nested object, a
// reused schema ($ref into definitions) and a recursive one.
const Person = z.object({ name: z.string().min(2), email: z.email() });
const Outline = z.object({
  title: z.string(),
  get sections() {
    return z.array(Outline);
  },
});
const Event = z.object({
  name: z.string().min(3).max(40),
  starts: z.iso.datetime(),
  day: z.iso.date(),
  id: z.uuid(),
  kind: z.enum(["talk", "workshop"]),
  seats: z.number().int().positive(),
  price: z.number().gt(0.5).lt(100).multipleOf(0.25),
  tags: z.array(z.string().regex(/^[a-z]+$/)).min(2),
  venue: z.object({ city: z.string(), zip: z.string().regex(/^\d{5}$/) }).nullable(),
  note: z.string().nullable(),
  host: Person,
  cohost: Person,
  outline: Outline,
  version: z.literal("v1"),
});
const EVENT_FORMAT = zodResponseFormat(Event, "event", { schemaDefinitions: { Person } });

const Weather = z.object({
  city: z.string().min(2),
  unit: z.enum(["celsius", "fahrenheit"]),
  days: z.number().int().min(1).max(7),
});
const Time = z.object({ timezone: z.string().regex(/^[A-Z][a-z]+\/[A-Z][a-z]+$/) });
const TOOLS = [
  zodFunction({ name: "get_weather", parameters: Weather }),
  zodFunction({ name: "get_time", parameters: Time }),
];

const PNG_1X1 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAHnOcQAAAAABJRU5ErkJggg==";

/** The user message with a data: URL image, an https image and a question. */
function visionMessage(text, dataUrl = `data:image/png;base64,${PNG_1X1}`) {
  return {
    role: "user",
    content: [
      { type: "text", text },
      { type: "image_url", image_url: { url: dataUrl, detail: "low" } },
      { type: "image_url", image_url: { url: "https://example.com/cat.png", detail: "high" } },
    ],
  };
}

const enc = new TextEncoder();

/** The spec's chatCompletionChoiceLogProbs with `top` alternatives per token, over `content`. */
function assertLogprobs(logprobs, content, top) {
  assert.deepEqual(Object.keys(logprobs).sort(), ["content", "refusal"]);
  assert.equal(logprobs.refusal, null);
  assert.ok(logprobs.content.length > 0);
  assert.equal(logprobs.content.map((t) => t.token).join(""), content);
  for (const t of logprobs.content) {
    assert.deepEqual(Object.keys(t).sort(), ["bytes", "logprob", "token", "top_logprobs"]);
    assert.ok(t.logprob <= 0, `logprob ${t.logprob} of ${JSON.stringify(t.token)}`);
    assert.deepEqual(t.bytes, [...enc.encode(t.token)]);
    assert.equal(t.top_logprobs.length, top);
    for (const [i, alt] of t.top_logprobs.entries()) {
      assert.deepEqual(Object.keys(alt).sort(), ["bytes", "logprob", "token"]);
      assert.deepEqual(alt.bytes, [...enc.encode(alt.token)]);
      if (i > 0) assert.ok(alt.logprob <= t.top_logprobs[i - 1].logprob, "sorted, likeliest first");
    }
    assert.ok(t.top_logprobs.some((alt) => alt.token === t.token && alt.logprob === t.logprob));
  }
}

/** The emulator's own reply, except that a request with tools calls every tool at once. */
function parallelScript(req) {
  const messages = req.body.messages;
  const last = messages[messages.length - 1];
  if (Array.isArray(req.body.tools) && last.role !== "tool") {
    return { toolCalls: req.body.tools.map((t) => ({ name: t.function.name })) };
  }
  const format = req.body.response_format;
  if (format?.type === "json_schema") {
    return { content: JSON.stringify(sampleFromSchema(format.json_schema.schema)) };
  }
  return { content: `You said: ${req.lastUserText}` };
}

let plain;
let scripted;
let app;

before(async () => {
  const emulator = createEmulator({ apiKeys: [KEY] });
  plain = await serve((request) => emulator.fetch(request));
  const upstream = createEmulator({ apiKeys: [KEY], script: parallelScript });
  scripted = await serve((request) => upstream.fetch(request));
  app = await startEdgeApp({
    AZURE_OPENAI_ENDPOINT: scripted.url,
    AZURE_OPENAI_API_KEY: KEY,
    AOAI_EDGE_CHAT_CACHE: "on",
    AOAI_EDGE_MAX_JSON_BYTES: String(MAX_JSON_BYTES),
  });
});

after(async () => {
  await app?.close();
  await scripted?.close();
  await plain?.close();
});

const targets = [
  ["the emulator", () => ({ endpoint: plain.url, apiKey: KEY })],
  ["the edge app (chat cache on)", () => ({ endpoint: app.url, apiKey: app.key })],
  ["the scripted emulator", () => ({ endpoint: scripted.url, apiKey: KEY })],
];

function client({ endpoint, apiKey }) {
  return new AzureOpenAI({ endpoint, apiKey, apiVersion: API_VERSION, maxRetries: 0 });
}

for (const [label, where] of targets) {
  const edge = label.startsWith("the edge");
  describe(`structured outputs and vision with the official SDK against ${label}`, () => {
    test("parse() with zodResponseFormat: message.parsed is the zod-valid object, logprobs in the spec's shape", async () => {
      const { data, response } = await client(where()).chat.completions.parse({
        model: "gpt-4o",
        temperature: 0,
        logprobs: true,
        top_logprobs: 3,
        messages: [
          { role: "system", content: "Extract the event." },
          { role: "user", content: `Plan a talk (${label}).` },
        ],
        response_format: EVENT_FORMAT,
      }).withResponse();
      const [choice] = data.choices;
      assert.equal(choice.finish_reason, "stop");
      const { message } = choice;
      assert.equal(message.refusal, null);
      assert.ok(message.parsed, "message.parsed is set");
      assert.deepEqual(message.parsed, Event.parse(JSON.parse(message.content)));
      assert.equal(message.parsed.version, "v1");
      assert.ok(message.parsed.seats > 0 && Number.isInteger(message.parsed.seats));
      assert.ok(message.parsed.price > 0.5 && message.parsed.price < 100);
      assert.ok(message.parsed.tags.length >= 2);
      assert.deepEqual(Object.keys(message.parsed.host), ["name", "email"]);
      assert.deepEqual(message.parsed.outline.sections, []);
      assertLogprobs(choice.logprobs, message.content, 3);
      if (edge) assert.equal(response.headers.get("x-aoai-cache"), "miss");
    });

    test("a raw json_schema response_format with strict: true answers JSON valid for the schema", async () => {
      const schema = EVENT_FORMAT.json_schema.schema;
      const res = await client(where()).chat.completions.create({
        model: "gpt-4o",
        seed: 7,
        messages: [{ role: "user", content: "Another event, please." }],
        response_format: {
          type: "json_schema",
          json_schema: { name: "event_raw", strict: true, schema },
        },
      });
      const parsed = Event.safeParse(JSON.parse(res.choices[0].message.content));
      assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
      assert.equal(res.choices[0].logprobs, null);
    });

    test("strict zodFunction tools: the arguments parse against each function's schema", async () => {
      const parallel = !label.endsWith("the emulator");
      const res = await client(where()).chat.completions.parse({
        model: "gpt-4o",
        temperature: 0,
        messages: [{ role: "user", content: "Weather and time in Paris?" }],
        tools: TOOLS,
        tool_choice: "required",
        parallel_tool_calls: true,
      });
      const [choice] = res.choices;
      assert.equal(choice.finish_reason, "tool_calls");
      const calls = choice.message.tool_calls;
      // The plain emulator calls the first tool; the scripted upstream calls both at once.
      assert.deepEqual(
        calls.map((c) => c.function.name),
        parallel ? ["get_weather", "get_time"] : ["get_weather"],
      );
      assert.equal(new Set(calls.map((c) => c.id)).size, calls.length);
      for (const call of calls) {
        const schema = call.function.name === "get_weather" ? Weather : Time;
        const args = schema.parse(JSON.parse(call.function.arguments));
        assert.deepEqual(call.function.parsed_arguments, args);
      }
      if (!parallel) return;
      const single = await client(where()).chat.completions.create({
        model: "gpt-4o",
        messages: [{ role: "user", content: "Only one call, please." }],
        tools: TOOLS,
        parallel_tool_calls: false,
      });
      assert.equal(single.choices[0].message.tool_calls.length, 1);
    });

    test("stream() with zodResponseFormat: the final completion's message.parsed is zod-valid", async () => {
      const stream = client(where()).chat.completions.stream({
        model: "gpt-4o",
        temperature: 0,
        logprobs: true,
        top_logprobs: 2,
        messages: [{ role: "user", content: `Stream an event (${label}).` }],
        response_format: EVENT_FORMAT,
      });
      const final = await stream.finalChatCompletion();
      const { message, logprobs } = final.choices[0];
      assert.deepEqual(message.parsed, Event.parse(JSON.parse(message.content)));
      assertLogprobs(logprobs, message.content, 2);
    });

    test("vision parts (a data: URL and an https URL with detail) are accepted and answered", async () => {
      const res = await client(where()).chat.completions.create({
        model: "gpt-4o",
        temperature: 0,
        messages: [visionMessage(`What is in these images? (${label})`)],
      });
      assert.equal(res.choices[0].message.content, `You said: What is in these images? (${label})`);
      assert.ok(res.usage.prompt_tokens > 0);
    });
  });
}

describe("the edge app's chat cache and JSON limit with structured outputs and vision", () => {
  test("a deterministic parse() call is replayed from the cache equal to the first answer", async () => {
    const ask = () =>
      client({ endpoint: app.url, apiKey: app.key }).chat.completions.parse({
        model: "gpt-4o",
        temperature: 0,
        logprobs: true,
        top_logprobs: 2,
        messages: [visionMessage("Describe the event on this poster as JSON.")],
        response_format: EVENT_FORMAT,
      }).withResponse();
    const first = await ask();
    assert.equal(first.response.headers.get("x-aoai-cache"), "miss");
    // The app stores an answer once its body ended, in the background: under load the next
    // request can come first (a miss); ask again, a bounded number of times.
    let second = await ask();
    for (let i = 0; i < 20 && second.response.headers.get("x-aoai-cache") !== "hit"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      second = await ask();
    }
    assert.equal(second.response.headers.get("x-aoai-cache"), "hit");
    const [a, b] = [first.data.choices[0], second.data.choices[0]];
    assert.ok(b.message.parsed);
    assert.deepEqual(b.message.parsed, a.message.parsed);
    assert.equal(b.message.content, a.message.content);
    assert.deepEqual(b.logprobs, a.logprobs);
    assert.equal(second.data.id, first.data.id);
    assert.equal(second.data.usage.prompt_tokens, 0);
  });

  test("a vision message whose data URL passes the JSON limit gets 413 naming AOAI_EDGE_MAX_JSON_BYTES", async () => {
    const big = `data:image/png;base64,${"A".repeat(MAX_JSON_BYTES)}`;
    const err = await client({ endpoint: app.url, apiKey: app.key }).chat.completions.parse({
      model: "gpt-4o",
      temperature: 0,
      messages: [visionMessage("Is this too big?", big)],
      response_format: EVENT_FORMAT,
    }).then(() => undefined, (e) => e);
    assert.ok(err instanceof APIError, String(err));
    assert.equal(err.status, 413);
    assert.equal(err.code, "request_too_large");
    assert.match(err.message, /limit of 65536 bytes/);
    assert.match(err.message, /AOAI_EDGE_MAX_JSON_BYTES/);
  });
});
