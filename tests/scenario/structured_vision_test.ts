// Structured outputs, strict tools and vision with this package's own client against the emulator
// (the Deno side of compat/tests/scenario_structured.test.mjs): a `response_format` json_schema
// with strict: true (formats, patterns, bounds, a reused and a recursive $ref as the openai SDK's
// zod helpers write them), strict function tools, logprobs / top_logprobs, and a user message
// with a data: URL image and an https image with `detail`. Every request the client sends and
// every answer (each stream chunk too) validates against the 2024-10-21 document; the replies'
// JSON validates against the schema the request gave.
import assert from "node:assert/strict";
import { Ajv } from "ajv";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import type { ChatCompletionCreateParams } from "../../mod.ts";
import { validateAgainstSpec, validateRequestBody } from "../helpers/spec_schema.ts";
import { strictObject as object } from "../helpers/strict_object.ts";

const V = "2024-10-21";
const PATH = "/openai/deployments/gpt-4o/chat/completions";

const PERSON = { $ref: "#/definitions/Person" };
const EVENT_SCHEMA = object({
  name: { type: "string", minLength: 3, maxLength: 40 },
  starts: {
    type: "string",
    format: "date-time",
    pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z$",
  },
  id: {
    type: "string",
    format: "uuid",
    pattern:
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$",
  },
  kind: { type: "string", enum: ["talk", "workshop"] },
  seats: { type: "integer", exclusiveMinimum: 0, maximum: 9007199254740991 },
  price: { type: "number", exclusiveMinimum: 0.5, exclusiveMaximum: 100, multipleOf: 0.25 },
  tags: { type: "array", minItems: 2, items: { type: "string", pattern: "^[a-z]+$" } },
  venue: {
    anyOf: [object({ city: { type: "string" }, zip: { type: "string", pattern: "^\\d{5}$" } }), {
      type: "null",
    }],
  },
  host: PERSON,
  cohost: PERSON,
  outline: { $ref: "#/definitions/Outline" },
}, {
  definitions: {
    Person: object({ name: { type: "string", minLength: 2 }, email: { type: "string" } }),
    Outline: object({
      title: { type: "string" },
      sections: { type: "array", items: { $ref: "#/definitions/Outline" } },
    }),
  },
});

const WEATHER = object({
  city: { type: "string", minLength: 2 },
  unit: { type: "string", enum: ["celsius", "fahrenheit"] },
  days: { type: "integer", minimum: 1, maximum: 7 },
});
const TIME = object({ timezone: { type: "string", pattern: "^[A-Z][a-z]+/[A-Z][a-z]+$" } });
const TOOLS: ChatCompletionCreateParams["tools"] = [
  { type: "function", function: { name: "get_weather", parameters: WEATHER, strict: true } },
  { type: "function", function: { name: "get_time", parameters: TIME, strict: true } },
];

const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAHnOcQAAAAABJRU5ErkJggg==";
const VISION = {
  role: "user" as const,
  content: [
    { type: "text" as const, text: "Describe the event on this poster as JSON." },
    { type: "image_url" as const, image_url: { url: PNG, detail: "low" as const } },
    {
      type: "image_url" as const,
      image_url: { url: "https://example.com/poster.png", detail: "high" as const },
    },
  ],
};

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

function valid(schema: Record<string, unknown>, value: unknown) {
  const validate = ajv.compile(schema);
  assert.ok(validate(value), `${JSON.stringify(value)}: ${JSON.stringify(validate.errors)}`);
}

/** A client on the emulator that checks each request body against the spec as it goes. */
function setup(script?: Parameters<typeof createEmulator>[0] extends infer O ? O : never) {
  const emulator = createEmulator(script);
  const sent: unknown[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    apiVersion: V,
    maxRetries: 0,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const body = await request.clone().json();
      sent.push(body);
      // tests/helpers/spec_schema.ts corrects the document's slip in ResponseFormatJsonSchema.
      assert.deepEqual(validateRequestBody(V, PATH, "POST", body), []);
      return emulator.fetch(request);
    },
  });
  return { client, sent };
}

function assertSpecLogprobs(logprobs: unknown, content: string, top: number) {
  const lp = logprobs as { content: { token: string; top_logprobs: unknown[] }[] };
  assert.equal(lp.content.map((t) => t.token).join(""), content);
  for (const t of lp.content) assert.equal(t.top_logprobs.length, top);
}

Deno.test("json_schema strict with vision parts: the answer and its JSON validate", async () => {
  const { client, sent } = setup();
  const res = await client.chat.completions.create({
    model: "gpt-4o",
    temperature: 0,
    logprobs: true,
    top_logprobs: 3,
    messages: [VISION],
    response_format: {
      type: "json_schema",
      json_schema: { name: "event", strict: true, schema: EVENT_SCHEMA },
    },
  });
  assert.equal(sent.length, 1);
  assert.deepEqual(validateAgainstSpec(V, "createChatCompletionResponse", res), []);
  const content = res.choices[0].message.content ?? "";
  const event = JSON.parse(content);
  valid(EVENT_SCHEMA, event);
  assert.deepEqual(event.outline, { title: "", sections: [] });
  assertSpecLogprobs(res.choices[0].logprobs, content, 3);
});

Deno.test("json_schema strict streamed with logprobs: every chunk validates, the JSON too", async () => {
  const { client } = setup();
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    seed: 1,
    logprobs: true,
    top_logprobs: 2,
    stream: true,
    stream_options: { include_usage: true },
    messages: [VISION],
    response_format: {
      type: "json_schema",
      json_schema: { name: "event", strict: true, schema: EVENT_SCHEMA },
    },
  });
  let content = "";
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    assert.deepEqual(validateAgainstSpec(V, "createChatCompletionStreamResponse", chunk), []);
    content += chunk.choices[0]?.delta?.content ?? "";
  }
  assert.ok(chunks > 2);
  valid(EVENT_SCHEMA, JSON.parse(content));
});

Deno.test("strict tools: the arguments of each call validate against its function's schema", async () => {
  const { client } = setup();
  const res = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [VISION],
    tools: TOOLS,
    tool_choice: { type: "function", function: { name: "get_time" } },
  });
  assert.deepEqual(validateAgainstSpec(V, "createChatCompletionResponse", res), []);
  const calls = res.choices[0].message.tool_calls ?? [];
  assert.deepEqual(calls.map((c) => c.function.name), ["get_time"]);
  valid(TIME, JSON.parse(calls[0].function.arguments));
});

Deno.test("parallel strict tool calls: each validates, and parallel_tool_calls: false keeps one", async () => {
  const { client } = setup({
    script: (req) => ({
      toolCalls: (req.body.tools as { function: { name: string } }[]).map((t) => ({
        name: t.function.name,
      })),
    }),
  });
  const params = {
    model: "gpt-4o",
    messages: [{ role: "user" as const, content: "Weather and time in Paris?" }],
    tools: TOOLS,
  };
  const res = await client.chat.completions.create({ ...params, parallel_tool_calls: true });
  assert.deepEqual(validateAgainstSpec(V, "createChatCompletionResponse", res), []);
  const calls = res.choices[0].message.tool_calls ?? [];
  assert.deepEqual(calls.map((c) => c.function.name), ["get_weather", "get_time"]);
  valid(WEATHER, JSON.parse(calls[0].function.arguments));
  valid(TIME, JSON.parse(calls[1].function.arguments));
  const one = await client.chat.completions.create({ ...params, parallel_tool_calls: false });
  assert.equal(one.choices[0].message.tool_calls?.length, 1);
});
