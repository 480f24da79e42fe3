import assert from "node:assert/strict";
import {
  AzureOpenAI,
  AzureOpenAIError,
  ContentFilterFinishReasonError,
  LengthFinishReasonError,
  OpenAIError,
  type ParsedChatCompletion,
} from "../../mod.ts";
import { createEmulator, type EmulatorOptions } from "../../src/emulator/mod.ts";
import { chatCompletion, clientAnswering } from "./_helpers.ts";

const SCHEMA = {
  type: "object",
  properties: { city: { type: "string" }, days: { type: "integer", minimum: 1, maximum: 7 } },
  required: ["city", "days"],
  additionalProperties: false,
};

/** What the SDK's zodResponseFormat / zodFunction build: the parser as non-enumerable props. */
function autoParseable<T extends object>(obj: T, brand: string, parse: (s: string) => unknown) {
  return Object.defineProperties({ ...obj }, {
    $brand: { value: brand, enumerable: false },
    $parseRaw: { value: parse, enumerable: false },
  }) as T & { $parseRaw(s: string): { tagged: unknown } };
}

function setup(options: EmulatorOptions = {}) {
  const emulator = createEmulator(options);
  const bodies: Record<string, unknown>[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    maxRetries: 0,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      bodies.push(await request.clone().json());
      return emulator.fetch(request);
    },
  });
  return { client, bodies };
}

const messages = [{ role: "user" as const, content: "Weather in Paris?" }];

Deno.test("parse(): a response_format's $parseRaw gives message.parsed, typed by its return; $brand/$parseRaw are not sent", async () => {
  const { client, bodies } = setup();
  const format = autoParseable(
    { type: "json_schema" as const, json_schema: { name: "w", strict: true, schema: SCHEMA } },
    "auto-parseable-response-format",
    (s) => ({ tagged: JSON.parse(s) }),
  );
  const res = await client.chat.completions.parse({
    model: "gpt-4o",
    messages,
    response_format: format,
  });
  const message = res.choices[0].message;
  const parsed: { tagged: unknown } | null = message.parsed;
  assert.deepEqual(parsed, { tagged: JSON.parse(message.content!) });
  const tagged = parsed!.tagged as { city: string; days: number };
  assert.equal(typeof tagged.city, "string");
  assert.ok(Number.isInteger(tagged.days) && tagged.days >= 1 && tagged.days <= 7);
  // Only the spec's fields went upstream.
  assert.deepEqual(bodies[0].response_format, {
    type: "json_schema",
    json_schema: { name: "w", strict: true, schema: SCHEMA },
  });
  assert.doesNotMatch(JSON.stringify(bodies), /\$brand|\$parseRaw|auto-parseable/);
});

Deno.test("parse(): a plain json_schema format is JSON.parse'd; other formats and refusals give parsed null", async () => {
  const { client } = setup();
  const res = await client.chat.completions.parse({
    model: "gpt-4o",
    messages,
    response_format: {
      type: "json_schema",
      json_schema: { name: "w", strict: true, schema: SCHEMA },
    },
  });
  const message = res.choices[0].message;
  assert.deepEqual(message.parsed, JSON.parse(message.content!));
  assert.equal(Object.keys(message.parsed as unknown as object).sort().join(), "city,days");

  for (const response_format of [undefined, { type: "json_object" as const }]) {
    const plain = await client.chat.completions.parse({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Answer in JSON." }],
      response_format,
    });
    assert.ok(plain.choices[0].message.content);
    assert.equal(plain.choices[0].message.parsed, null);
    assert.equal("tool_calls" in plain.choices[0].message, false);
  }
});

Deno.test("parse(): a refusal or no content gives parsed null (no parser called)", async () => {
  const client = clientAnswering(chatCompletion([
    {
      index: 0,
      finish_reason: "stop",
      message: { role: "assistant", content: "{}", refusal: "no" },
    },
    { index: 1, finish_reason: "stop", message: { role: "assistant", content: null } },
  ]));
  const format = autoParseable(
    { type: "json_schema" as const, json_schema: { name: "w", schema: SCHEMA } },
    "auto-parseable-response-format",
    () => assert.fail("parser called"),
  );
  const res = await client.chat.completions.parse({
    model: "d",
    messages,
    response_format: format,
  });
  assert.deepEqual(res.choices.map((c) => c.message.parsed), [null, null]);
  assert.equal(res.choices[0].message.refusal, "no");
});

Deno.test("parse(): tool calls get parsed_arguments from a zodFunction-like tool's $parseRaw or a strict tool's JSON", async () => {
  const { client, bodies } = setup({
    script: (req) => ({
      toolCalls: (req.body.tools as { function: { name: string } }[]).map((t) => ({
        name: t.function.name,
      })),
    }),
  });
  const fn = { name: "get_weather", strict: true, parameters: SCHEMA };
  const zodLike = autoParseable(
    { type: "function" as const, function: fn },
    "auto-parseable-tool",
    (s) => ({ tagged: JSON.parse(s) }),
  );
  const strict = { type: "function" as const, function: { ...fn, name: "get_time" } };
  const res = await client.chat.completions.parse({
    model: "gpt-4o",
    messages,
    tools: [zodLike, strict],
  });
  const calls = res.choices[0].message.tool_calls!;
  assert.deepEqual(calls.map((c) => c.function.name), ["get_weather", "get_time"]);
  assert.deepEqual(calls[0].function.parsed_arguments, {
    tagged: JSON.parse(calls[0].function.arguments),
  });
  assert.deepEqual(calls[1].function.parsed_arguments, JSON.parse(calls[1].function.arguments));
  assert.equal(typeof (calls[1].function.parsed_arguments as { city: string }).city, "string");
  assert.equal(res.choices[0].message.parsed, null);
  assert.doesNotMatch(JSON.stringify(bodies), /\$brand|\$parseRaw|auto-parseable/);
  assert.deepEqual(bodies[0].tools, [{ type: "function", function: fn }, strict]);
});

Deno.test("parse(): a tool call naming no tool given gets parsed_arguments null", async () => {
  const call = { id: "call_1", type: "function", function: { name: "other", arguments: "{}" } };
  const client = clientAnswering(chatCompletion([{
    index: 0,
    finish_reason: "tool_calls",
    message: { role: "assistant", content: null, tool_calls: [call] },
  }]));
  const res = await client.chat.completions.parse({
    model: "d",
    messages,
    tools: [{
      type: "function",
      function: { name: "get_weather", strict: true, parameters: SCHEMA },
    }],
  });
  assert.deepEqual(res.choices[0].message.tool_calls, [
    { ...call, function: { ...call.function, parsed_arguments: null } },
  ]);
});

Deno.test("parse(): finish_reason length / content_filter reject with the SDK's errors", async () => {
  for (
    const [finishReason, Err, pattern] of [
      ["length", LengthFinishReasonError, /length limit was reached/],
      ["content_filter", ContentFilterFinishReasonError, /rejected by the content filter/],
    ] as const
  ) {
    const { client } = setup({ script: () => ({ content: '{"city":"Pa', finishReason }) });
    const err = await client.chat.completions.parse({
      model: "gpt-4o",
      messages,
      response_format: { type: "json_schema", json_schema: { name: "w", schema: SCHEMA } },
    }).then(() => undefined, (e) => e);
    assert.ok(err instanceof Err, String(err));
    assert.ok(err instanceof AzureOpenAIError && err instanceof OpenAIError);
    assert.equal(err.name, Err.name);
    assert.match(err.message, pattern);
  }
});

Deno.test("parse(): stream: true and non-strict tools are refused before sending", () => {
  const { client, bodies } = setup();
  assert.throws(
    () =>
      client.chat.completions.parse({
        model: "gpt-4o",
        messages,
        stream: true,
      } as unknown as { model: string; messages: typeof messages }),
    (e) => e instanceof TypeError && /stream: true is not parsed; use create\(\)/.test(e.message),
  );
  for (const strict of [undefined, false, null]) {
    assert.throws(
      () =>
        client.chat.completions.parse({
          model: "gpt-4o",
          messages,
          tools: [{ type: "function", function: { name: "lookup", strict } }],
        }),
      (e) =>
        e instanceof AzureOpenAIError && /strict: true/.test(e.message) &&
        e.message.includes('"lookup"'),
    );
  }
  assert.throws(
    () =>
      client.chat.completions.parse({
        model: "gpt-4o",
        messages,
        tools: [{ type: "custom", custom: { name: "x" } }] as never,
      }),
    (e) => e instanceof AzureOpenAIError && /only strict function tools/.test(e.message),
  );
  assert.equal(bodies.length, 0);
});

Deno.test("parse(): withResponse() and asResponse() work as on create()", async () => {
  const { client, bodies } = setup();
  const params = {
    model: "gpt-4o",
    messages,
    response_format: {
      type: "json_schema" as const,
      json_schema: { name: "w", strict: true, schema: SCHEMA },
    },
  };
  const promise = client.chat.completions.parse(params);
  const { data, response, request_id } = await promise.withResponse();
  const typed: ParsedChatCompletion<unknown> = data;
  assert.deepEqual(typed.choices[0].message.parsed, JSON.parse(data.choices[0].message.content!));
  assert.equal(response.status, 200);
  assert.equal(request_id, response.headers.get("apim-request-id"));
  const raw = await promise.asResponse();
  const body = await raw.json();
  assert.equal(body.choices[0].message.content, data.choices[0].message.content);
  assert.equal("parsed" in body.choices[0].message, false);
  assert.equal(bodies.length, 1);
});
