// parse() switch: the same chat.completions.parse() calls, with the openai SDK's own zod helpers
// (zodResponseFormat, zodFunction from "openai/helpers/zod"), run once through the SDK's
// AzureOpenAI and once through the bundled core (compat/.build/core.mjs, built by
// compat/build_runtime.sh), against (a) the emulator bundle, (b) a scripted emulator (every tool
// called at once, a reply cut by the content filter on request), (c) the edge app (Deno, chat
// cache on) in front of (b) and (d) a server answering a fixed reply (refusals, unknown or
// non-function tool calls, non-JSON content). Each test asserts both clients give the same values:
// message.parsed, tool calls' parsed_arguments, the finish-reason errors, the refusals before
// sending and withResponse(). Where the SDK is the odd one (its errors' `name` is "Error", it sends
// stream: true and then fails), the difference is pinned. Run with `sh compat/run.sh`, or
// `cd compat && sh build.sh && sh build_runtime.sh && node --test tests/parse_switch.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as openai from "openai";
import * as sdkErrors from "openai/error";
import { zodFunction, zodResponseFormat } from "openai/helpers/zod";
import { z } from "zod";
import * as ours from "../.build/core.mjs";
import { createEmulator, sampleFromSchema } from "../.build/emulator.mjs";
import { serve } from "./_serve.mjs";
import { startEdgeApp } from "./_edge_app.mjs";

const API_VERSION = "2024-10-21";
const KEY = "parse-switch-key";

// The SDK exports its finish-reason errors from "openai/error" only (not from "openai").
const LIBS = [
  ["the openai SDK", { ...openai, ...sdkErrors }],
  ["@aoai/edge", ours],
];

const Person = z.object({ name: z.string().min(2), email: z.email() });
const Trip = z.object({
  city: z.string().min(2),
  days: z.number().int().min(1).max(14),
  kind: z.enum(["city", "beach", "hike"]),
  budget: z.number().gt(10).lt(5000),
  tags: z.array(z.string().regex(/^[a-z]+$/)).min(2),
  guide: Person.nullable(),
  note: z.string().nullable(),
});
const TRIP_FORMAT = zodResponseFormat(Trip, "trip");

const Weather = z.object({
  city: z.string().min(2),
  unit: z.enum(["celsius", "fahrenheit"]),
  days: z.number().int().min(1).max(7),
});
const Time = z.object({
  timezone: z.string().regex(/^[A-Z][a-z]+\/[A-Z][a-z]+$/),
});
const TOOLS = [
  zodFunction({ name: "get_weather", parameters: Weather }),
  zodFunction({ name: "get_time", parameters: Time }),
];

/** A strict json_schema format without a parser (what a developer writes by hand). */
const RAW_FORMAT = {
  type: "json_schema",
  json_schema: {
    name: "trip_raw",
    strict: true,
    schema: TRIP_FORMAT.json_schema.schema,
  },
};

/** The emulator's own reply, except that a request with tools calls every tool at once and a
 * user text with "[filter]" is cut by the content filter. */
function script(req) {
  const messages = req.body.messages;
  if (
    Array.isArray(req.body.tools) &&
    messages[messages.length - 1].role !== "tool"
  ) {
    return {
      toolCalls: req.body.tools.map((t) => ({ name: t.function.name })),
    };
  }
  const format = req.body.response_format;
  const content = format?.type === "json_schema"
    ? JSON.stringify(sampleFromSchema(format.json_schema.schema))
    : `You said: ${req.lastUserText}`;
  return req.lastUserText.includes("[filter]")
    ? { content, finishReason: "content_filter" }
    : { content };
}

let plain;
let scripted;
let app;
/** A server answering every request with `fixedReply` (what the emulator cannot produce). */
let fixed;
let fixedReply;
/** Requests that reached a server we run, by path. */
let sent = [];

function counting(handler) {
  return (request) => {
    sent.push(new URL(request.url).pathname);
    return handler(request);
  };
}

before(async () => {
  const emulator = createEmulator({ apiKeys: [KEY] });
  plain = await serve(counting((request) => emulator.fetch(request)));
  const upstream = createEmulator({ apiKeys: [KEY], script });
  scripted = await serve(counting((request) => upstream.fetch(request)));
  fixed = await serve(counting(() => Response.json(fixedReply)));
  app = await startEdgeApp({
    AZURE_OPENAI_ENDPOINT: scripted.url,
    AZURE_OPENAI_API_KEY: KEY,
    AOAI_EDGE_CHAT_CACHE: "on",
  });
});

after(async () => {
  await app?.close();
  await scripted?.close();
  await plain?.close();
  await fixed?.close();
});

const TARGETS = [
  ["the emulator", () => ({ endpoint: plain.url, apiKey: KEY }), {
    parallel: false,
  }],
  ["the scripted emulator", () => ({ endpoint: scripted.url, apiKey: KEY }), {
    parallel: true,
  }],
  [
    "the edge app (chat cache on)",
    () => ({ endpoint: app.url, apiKey: app.key }),
    { parallel: true },
  ],
];

function client(lib, { endpoint, apiKey }) {
  return new lib.AzureOpenAI({
    endpoint,
    apiKey,
    apiVersion: API_VERSION,
    maxRetries: 0,
  });
}

/** What `fn(lib)` gives with the SDK and with ours, in that order. */
async function both(fn) {
  const out = [];
  for (const [, lib] of LIBS) out.push(await fn(lib));
  return out;
}

/** What calling `fn()` throws or rejects with, and whether it threw before returning. */
async function failure(fn) {
  let promise;
  try {
    promise = fn();
  } catch (err) {
    return { err, sync: true };
  }
  return {
    err: await promise.then(() => assert.fail("resolved"), (e) => e),
    sync: false,
  };
}

/** `lib`'s chat.completions.parse({ model: "gpt-4o", ...params }) against `where()`. */
function parse(lib, where, params) {
  return client(lib, where()).chat.completions.parse({
    model: "gpt-4o",
    ...params,
  });
}

/** What parse() gives with the SDK and with ours, in that order. */
function parseBoth(where, params) {
  return both((lib) => parse(lib, where, params));
}

/** What parse() rejects with, with the SDK and with ours, in that order. */
function rejectionsOf(where, params) {
  return both(async (lib) => (await failure(() => parse(lib, where, params))).err);
}

/** The choices of a parsed completion without what differs per request (tool call ids). */
function choicesOf(completion) {
  return completion.choices.map((choice) => ({
    ...choice,
    message: {
      ...choice.message,
      ...(choice.message.tool_calls && {
        tool_calls: choice.message.tool_calls.map(({ id: _, ...call }) => call),
      }),
    },
  }));
}

for (const [label, where, { parallel }] of TARGETS) {
  describe(`parse() with the SDK and with @aoai/edge against ${label}`, () => {
    test("zodResponseFormat: message.parsed deep-equals the SDK's and zod's parse of the content", async () => {
      const [sdk, edge] = await parseBoth(where, {
        temperature: 0,
        seed: 1,
        messages: [{ role: "user", content: `Plan a trip (${label}).` }],
        response_format: TRIP_FORMAT,
      });
      for (const res of [sdk, edge]) {
        const { message, finish_reason } = res.choices[0];
        assert.equal(finish_reason, "stop");
        assert.equal(message.refusal, null);
        assert.ok(message.parsed, "message.parsed is set");
        assert.deepEqual(
          message.parsed,
          Trip.parse(JSON.parse(message.content)),
        );
      }
      assert.equal(
        edge.choices[0].message.content,
        sdk.choices[0].message.content,
      );
      assert.deepEqual(
        edge.choices[0].message.parsed,
        sdk.choices[0].message.parsed,
      );
      assert.deepEqual(choicesOf(edge), choicesOf(sdk));
    });

    test("zodResponseFormat with n: 2: every choice's message.parsed as the SDK's", async () => {
      const [sdk, edge] = await parseBoth(where, {
        temperature: 0,
        n: 2,
        messages: [{ role: "user", content: `Two trips (${label}).` }],
        response_format: TRIP_FORMAT,
      });
      assert.equal(sdk.choices.length, 2);
      assert.deepEqual(choicesOf(edge), choicesOf(sdk));
      for (const { message } of edge.choices) {
        assert.deepEqual(
          message.parsed,
          Trip.parse(JSON.parse(message.content)),
        );
      }
    });

    test("zodFunction tools (strict), in parallel: each parsed_arguments deep-equals the SDK's", async () => {
      const [sdk, edge] = await parseBoth(where, {
        temperature: 0,
        messages: [{
          role: "user",
          content: `Weather and time in Paris? (${label})`,
        }],
        tools: TOOLS,
        tool_choice: "required",
        parallel_tool_calls: true,
      });
      const names = parallel ? ["get_weather", "get_time"] : ["get_weather"];
      for (const res of [sdk, edge]) {
        assert.equal(res.choices[0].finish_reason, "tool_calls");
        const calls = res.choices[0].message.tool_calls;
        assert.deepEqual(calls.map((c) => c.function.name), names);
        for (const call of calls) {
          const schema = call.function.name === "get_weather" ? Weather : Time;
          assert.deepEqual(
            call.function.parsed_arguments,
            schema.parse(JSON.parse(call.function.arguments)),
          );
        }
        assert.equal(res.choices[0].message.parsed, null);
      }
      const args = (res) =>
        res.choices[0].message.tool_calls.map((c) => c.function.parsed_arguments);
      assert.deepEqual(args(edge), args(sdk));
      assert.deepEqual(choicesOf(edge), choicesOf(sdk));
    });

    test("a strict function tool without a parser: parsed_arguments is JSON.parse(arguments) in both", async () => {
      const tool = {
        type: "function",
        function: {
          name: "get_weather",
          strict: true,
          parameters: TOOLS[0].function.parameters,
        },
      };
      const [sdk, edge] = await parseBoth(where, {
        temperature: 0,
        messages: [{ role: "user", content: `Weather in Rome? (${label})` }],
        tools: [tool],
        tool_choice: "required",
      });
      for (const res of [sdk, edge]) {
        const [call] = res.choices[0].message.tool_calls;
        assert.deepEqual(
          call.function.parsed_arguments,
          JSON.parse(call.function.arguments),
        );
      }
      assert.deepEqual(choicesOf(edge), choicesOf(sdk));
    });

    test("a plain strict json_schema format: parsed equals JSON.parse(content) in both", async () => {
      const [sdk, edge] = await parseBoth(where, {
        temperature: 0,
        messages: [{ role: "user", content: `A raw trip (${label}).` }],
        response_format: RAW_FORMAT,
      });
      for (const res of [sdk, edge]) {
        const { message } = res.choices[0];
        assert.ok(message.parsed, "message.parsed is set");
        assert.deepEqual(message.parsed, JSON.parse(message.content));
      }
      assert.deepEqual(choicesOf(edge), choicesOf(sdk));
    });

    test("json_object and no response_format: parsed is null in both", async () => {
      for (const response_format of [{ type: "json_object" }, undefined]) {
        const [sdk, edge] = await parseBoth(where, {
          temperature: 0,
          messages: [{ role: "user", content: `Say hi as JSON (${label}).` }],
          ...(response_format && { response_format }),
        });
        assert.equal(sdk.choices[0].message.parsed, null);
        assert.equal(edge.choices[0].message.parsed, null);
        assert.deepEqual(choicesOf(edge), choicesOf(sdk));
      }
    });

    test("a zod parser that rejects the content: both reject with zod's own error", async () => {
      const Never = z.object({
        word: z.string().refine((s) => s === "\u0000never"),
      });
      const format = zodResponseFormat(Never, "never");
      const [sdk, edge] = await rejectionsOf(where, {
        temperature: 0,
        messages: [{ role: "user", content: `A word (${label}).` }],
        response_format: format,
      });
      assert.ok(sdk instanceof z.ZodError, String(sdk));
      assert.ok(edge instanceof z.ZodError, String(edge));
      assert.deepEqual(edge.issues, sdk.issues);
    });

    test("finish_reason length (max_tokens 1): both reject with LengthFinishReasonError", async () => {
      const [sdk, edge] = await both(async (lib) => {
        const { err, sync } = await failure(() =>
          parse(lib, where, {
            temperature: 0,
            max_tokens: 1,
            messages: [{ role: "user", content: `A long trip (${label}).` }],
            response_format: TRIP_FORMAT,
          })
        );
        assert.equal(sync, false);
        assert.ok(err instanceof lib.LengthFinishReasonError, String(err));
        assert.ok(err instanceof lib.OpenAIError);
        assert.equal(err.constructor.name, "LengthFinishReasonError");
        assert.match(
          err.message,
          /^Could not parse response content as the length limit was reached/,
        );
        return err;
      });
      // Pinned: the SDK's finish-reason errors keep Error's name; ours name their class.
      assert.equal(sdk.name, "Error");
      assert.equal(edge.name, "LengthFinishReasonError");
      assert.ok(!(edge instanceof sdkErrors.LengthFinishReasonError));
    });

    test("finish_reason length without a format to parse: both still reject", async () => {
      const [sdk, edge] = await rejectionsOf(where, {
        max_tokens: 1,
        messages: [{
          role: "user",
          content: `Tell me a long story (${label}).`,
        }],
      });
      assert.ok(sdk instanceof sdkErrors.LengthFinishReasonError, String(sdk));
      assert.ok(edge instanceof ours.LengthFinishReasonError, String(edge));
    });

    test("finish_reason content_filter: both reject with ContentFilterFinishReasonError", async () => {
      // The plain emulator cuts an echoed reply at its output trigger; the scripted one (and the
      // edge app before it) cuts a zod-formatted reply when asked.
      const params = parallel
        ? {
          messages: [{ role: "user", content: `A trip [filter] (${label}).` }],
          response_format: TRIP_FORMAT,
        }
        : {
          messages: [{
            role: "user",
            content: `Say __filter_output__ (${label}).`,
          }],
        };
      const [sdk, edge] = await both(async (lib) => {
        const { err, sync } = await failure(() => parse(lib, where, params));
        assert.equal(sync, false);
        assert.ok(
          err instanceof lib.ContentFilterFinishReasonError,
          String(err),
        );
        assert.ok(err instanceof lib.OpenAIError);
        assert.equal(err.constructor.name, "ContentFilterFinishReasonError");
        assert.equal(
          err.message,
          "Could not parse response content as the request was rejected by the content filter",
        );
        return err;
      });
      assert.equal(sdk.name, "Error");
      assert.equal(edge.name, "ContentFilterFinishReasonError");
    });

    test("withResponse() on parse(): data.choices[0].message.parsed set in both", async () => {
      const [sdk, edge] = await both(async (lib) => {
        const { data, response, request_id } = await parse(lib, where, {
          temperature: 0,
          messages: [{
            role: "user",
            content: `A trip with headers (${label}).`,
          }],
          response_format: TRIP_FORMAT,
        }).withResponse();
        assert.equal(response.status, 200);
        assert.equal(typeof request_id, "string");
        assert.deepEqual(
          data.choices[0].message.parsed,
          Trip.parse(JSON.parse(data.choices[0].message.content)),
        );
        return data;
      });
      assert.deepEqual(choicesOf(edge), choicesOf(sdk));
    });

    test("withResponse() on a parse() cut by length rejects in both", async () => {
      const [sdk, edge] = await both(async (lib) =>
        (await failure(() =>
          parse(lib, where, {
            max_tokens: 1,
            messages: [{
              role: "user",
              content: `Cut with headers (${label}).`,
            }],
            response_format: TRIP_FORMAT,
          }).withResponse()
        )).err
      );
      assert.ok(sdk instanceof sdkErrors.LengthFinishReasonError, String(sdk));
      assert.ok(edge instanceof ours.LengthFinishReasonError, String(edge));
    });
  });
}

describe("parse() refusals before sending, SDK and @aoai/edge", () => {
  const where = () => ({ endpoint: plain.url, apiKey: KEY });

  test("a non-strict function tool: both throw their OpenAIError at the call, nothing is sent", async () => {
    const loose = {
      type: "function",
      function: {
        name: "lookup",
        parameters: { type: "object", properties: {} },
      },
    };
    const [sdk, edge] = await both(async (lib) => {
      sent = [];
      const { err, sync } = await failure(() =>
        parse(lib, where, {
          messages: [{ role: "user", content: "Look it up." }],
          tools: [TOOLS[0], loose],
        })
      );
      assert.equal(sync, true, "thrown before returning a promise");
      assert.deepEqual(sent, [], "no request sent");
      assert.ok(err instanceof lib.OpenAIError, String(err));
      assert.ok(!(err instanceof lib.APIConnectionError));
      assert.match(err.message, /lookup/);
      assert.match(err.message, /strict: true/);
      return err;
    });
    // Pinned: the SDK throws its OpenAIError itself (name "Error"); ours is AzureOpenAIError, which
    // "@aoai/edge" also exports as OpenAIError.
    assert.equal(sdk.constructor, openai.OpenAIError);
    assert.equal(sdk.name, "Error");
    assert.equal(edge.constructor, ours.OpenAIError);
    assert.equal(edge.name, "AzureOpenAIError");
  });

  test("a tool that is not a function: both throw their OpenAIError at the call, nothing is sent", async () => {
    const custom = { type: "custom", custom: { name: "grammar" } };
    const [sdk, edge] = await both(async (lib) => {
      sent = [];
      const { err, sync } = await failure(() =>
        parse(lib, where, {
          messages: [{ role: "user", content: "Use the grammar." }],
          tools: [custom],
        })
      );
      assert.equal(sync, true);
      assert.deepEqual(sent, []);
      assert.ok(err instanceof lib.OpenAIError, String(err));
      return err;
    });
    assert.match(sdk.message, /custom/);
    assert.match(edge.message, /custom/);
  });

  test("stream: true: ours throws a TypeError before sending; the SDK sends, then rejects with one", async () => {
    const [sdk, edge] = await both(async (lib) => {
      sent = [];
      const { err, sync } = await failure(() =>
        parse(lib, where, {
          stream: true,
          messages: [{ role: "user", content: "Stream it." }],
          response_format: TRIP_FORMAT,
        })
      );
      assert.ok(err instanceof TypeError, String(err));
      return { sync, sent: sent.length };
    });
    // Pinned: the SDK posts the request and fails reading the stream as a completion.
    assert.deepEqual(sdk, { sync: false, sent: 1 });
    assert.deepEqual(edge, { sync: true, sent: 0 });
  });
});

describe("parse() of replies the emulator cannot produce (a fixed reply), SDK and @aoai/edge", () => {
  const where = () => ({ endpoint: fixed.url, apiKey: KEY });
  const Word = z.object({ word: z.string() });
  const WORD_FORMAT = zodResponseFormat(Word, "word");
  const LOOKUP = zodFunction({ name: "lookup", parameters: Word });

  /** Sets the reply to these choices and gives what parse(params) resolves to or fails with. */
  function answer(choices, params) {
    fixedReply = {
      id: "chatcmpl-fixed",
      object: "chat.completion",
      created: 1,
      model: "gpt-4o",
      choices: choices.map((c, index) => ({ index, logprobs: null, ...c })),
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    };
    return both(async (lib) => {
      const { err, value } = await parse(lib, where, {
        messages: [{ role: "user", content: "Fixed." }],
        ...params,
      }).then((value) => ({ value }), (err) => ({ err }));
      return err ? { err } : { choices: value.choices };
    });
  }
  const message = (fields) => ({
    role: "assistant",
    content: null,
    refusal: null,
    ...fields,
  });
  const call = (name, args, type = "function") => ({
    id: "call_1",
    type,
    function: { name, arguments: args },
  });

  test("a refusal (with or without content) gives parsed null in both", async () => {
    for (const content of [null, '{"word":"no"}']) {
      const [sdk, edge] = await answer(
        [{
          finish_reason: "stop",
          message: message({ content, refusal: "I can't." }),
        }],
        { response_format: WORD_FORMAT },
      );
      assert.equal(sdk.choices[0].message.parsed, null);
      assert.deepEqual(edge, sdk);
    }
  });

  test("a tool call naming no given tool gets parsed_arguments null in both", async () => {
    const [sdk, edge] = await answer(
      [{
        finish_reason: "tool_calls",
        message: message({ tool_calls: [call("ghost", '{"word":"boo"}')] }),
      }],
      { tools: [LOOKUP] },
    );
    assert.equal(
      sdk.choices[0].message.tool_calls[0].function.parsed_arguments,
      null,
    );
    assert.deepEqual(edge, sdk);
  });

  test("content and tool calls in one message: both parsed, as the SDK's", async () => {
    const [sdk, edge] = await answer(
      [{
        finish_reason: "stop",
        message: message({
          content: '{"word":"hi"}',
          tool_calls: [call("lookup", '{"word":"there"}')],
        }),
      }],
      { tools: [LOOKUP], response_format: WORD_FORMAT },
    );
    assert.deepEqual(sdk.choices[0].message.parsed, { word: "hi" });
    assert.deepEqual(
      sdk.choices[0].message.tool_calls[0].function.parsed_arguments,
      {
        word: "there",
      },
    );
    assert.deepEqual(edge, sdk);
  });

  test("content or arguments that are not JSON: both reject with JSON.parse's SyntaxError", async () => {
    const raw = {
      type: "json_schema",
      json_schema: { name: "raw", strict: true, schema: {} },
    };
    const strictTool = {
      type: "function",
      function: { name: "raw", strict: true },
    };
    for (
      const [choice, params] of [
        [{ finish_reason: "stop", message: message({ content: "not json" }) }, {
          response_format: raw,
        }],
        [{
          finish_reason: "tool_calls",
          message: message({ tool_calls: [call("raw", "not json")] }),
        }, { tools: [strictTool] }],
      ]
    ) {
      const [sdk, edge] = await answer([choice], params);
      assert.ok(sdk.err instanceof SyntaxError, String(sdk.err));
      assert.ok(edge.err instanceof SyntaxError, String(edge.err));
      assert.equal(edge.err.message, sdk.err.message);
    }
  });

  test("a second choice cut by the content filter rejects the whole call in both", async () => {
    const [sdk, edge] = await answer(
      [
        {
          finish_reason: "stop",
          message: message({ content: '{"word":"ok"}' }),
        },
        {
          finish_reason: "content_filter",
          message: message({ content: '{"wo' }),
        },
      ],
      { response_format: WORD_FORMAT, n: 2 },
    );
    assert.ok(
      sdk.err instanceof sdkErrors.ContentFilterFinishReasonError,
      String(sdk.err),
    );
    assert.ok(
      edge.err instanceof ours.ContentFilterFinishReasonError,
      String(edge.err),
    );
  });

  test("a tool call that is not a function call: both reject with their OpenAIError naming its type", async () => {
    const custom = {
      id: "call_1",
      type: "custom",
      custom: { name: "grammar", input: "x" },
    };
    const [sdk, edge] = await answer(
      [{
        finish_reason: "tool_calls",
        message: message({ tool_calls: [custom] }),
      }],
      { tools: [LOOKUP] },
    );
    for (const [err, lib] of [[sdk.err, openai], [edge.err, ours]]) {
      assert.ok(err instanceof lib.OpenAIError, String(err));
      assert.ok(!(err instanceof TypeError));
      assert.match(err.message, /function/);
      assert.match(err.message, /custom/);
    }
  });
});
