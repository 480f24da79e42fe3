// chat.completions.runTools() switch: the same SDK code (listeners on every runner event, then
// every final*() helper, `messages`, `ended` / `errored` / `aborted`) run once through the openai
// SDK's AzureOpenAI and once through the bundled core (compat/.build/core.mjs), against a local
// server answering hand-written replies in order (JSON, or server-sent events for stream: true).
// Each test asserts both give the same ordered list of (event, JSON of its arguments), the same
// request bodies (the messages appended the same way, the tools sent without their functions),
// the same final*() results and the same calls of the tool functions (arguments, runner,
// toolContext). The differences, each pinned by `normalize()` or asserted where it matters:
// - the request body: the SDK sends `model` (also in the path), ours only in the path (as
//   create() does everywhere, see sdk_switch_differences.test.mjs); compared without it;
// - errors are compared by class name and status: a tool's own throw is an OpenAIError (the SDK's
//   base class) in the SDK, an AzureOpenAIError (ours) in ours, both with the tool's message;
// - stream: true, the `chunk` event's snapshot: ours is the accumulator's completion so far
//   (object "chat.completion", content / refusal null until they come), compared by each choice's
//   text, finish reason and tool calls (as chat_stream_events_switch.test.mjs does);
// - bad input: ours throws a TypeError at the call, sending nothing, for a tool without a function
//   to run (the SDK sends the request, and fails when the model calls it) and for a zodFunction()
//   without `function` (the SDK's runner emits `error`, nothing sent); params that are no object
//   throw a TypeError in both.
// Run: `cd compat && sh ./build.sh && sh ./build_runtime.sh && node --test
// tests/run_tools_switch.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as openai from "openai";
import { zodFunction } from "openai/helpers/zod";
import { z } from "zod";
import * as ours from "../.build/core.mjs";
import { serve } from "./_serve.mjs";
import { CHAT_STREAM_EVENTS, finalsOf, withSnapshotSummaries } from "./_chat_stream_events.mjs";

const API_VERSION = "2024-10-21";
const KEY = "run-tools-switch-key";
const LIBS = [["the openai SDK", openai], ["@aoai/edge", ours]];
const EVENTS = [...CHAT_STREAM_EVENTS, "functionToolCallResult", "finalFunctionToolCallResult"];

// The replies, served in order per run (`replies`); every request body is kept (`bodies`).
let replies = [];
let bodies = [];
let server;
/** What happened in a run, in order: events by name, and what tools log. */
let trace = [];

const USAGE = { completion_tokens: 5, prompt_tokens: 20, total_tokens: 25 };
/** A reply calling `calls` ([name, arguments text] each, ids call_<round>_<i>). */
const callReply = (round, ...calls) => ({
  role: "assistant",
  content: null,
  tool_calls: calls.map(([name, args], i) => ({
    id: `call_${round}_${i}`,
    type: "function",
    function: { name, arguments: args },
  })),
});
const textReply = (content) => ({ role: "assistant", content });
const completion = (message, round) => ({
  id: `chatcmpl-${round}`,
  object: "chat.completion",
  created: 1733100000 + round,
  model: "gpt-4o-2024-08-06",
  system_fingerprint: "fp_1",
  choices: [{
    index: 0,
    message: { refusal: null, ...message },
    finish_reason: message.tool_calls ? "tool_calls" : "stop",
    logprobs: null,
  }],
  usage: USAGE,
});
/** The server-sent events of `message`: role, text in two pieces or each call in two pieces. */
function sse(message, round, usage) {
  const head = {
    id: `chatcmpl-${round}`,
    object: "chat.completion.chunk",
    created: 1733100000 + round,
    model: "gpt-4o-2024-08-06",
    system_fingerprint: "fp_1",
  };
  const chunk = (delta, finish_reason = null) => ({
    ...head,
    choices: [{ index: 0, delta, finish_reason, logprobs: null }],
  });
  const chunks = [chunk({ role: "assistant", content: message.content === null ? null : "" })];
  if (message.content) {
    const half = Math.ceil(message.content.length / 2);
    chunks.push(chunk({ content: message.content.slice(0, half) }));
    chunks.push(chunk({ content: message.content.slice(half) }));
  }
  for (const [index, call] of (message.tool_calls ?? []).entries()) {
    const args = call.function.arguments;
    const half = Math.ceil(args.length / 2);
    chunks.push(chunk({
      tool_calls: [{
        index,
        id: call.id,
        type: "function",
        function: { name: call.function.name, arguments: args.slice(0, half) },
      }],
    }));
    chunks.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] }));
  }
  chunks.push(chunk({}, message.tool_calls ? "tool_calls" : "stop"));
  if (usage) chunks.push({ ...head, choices: [], usage: USAGE });
  return chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n";
}

before(async () => {
  server = await serve(async (request) => {
    const body = await request.json();
    bodies.push(body);
    const round = bodies.length;
    const reply = replies.shift();
    if (!reply) return Response.json({ error: { message: "no reply left" } }, { status: 599 });
    if (reply.status) {
      return Response.json({ error: { code: "server_error", message: "boom" } }, {
        status: reply.status,
      });
    }
    return body.stream
      ? new Response(sse(reply, round, body.stream_options?.include_usage), {
        headers: { "content-type": "text/event-stream" },
      })
      : Response.json(completion(reply, round));
  });
});
after(async () => {
  await server?.close();
});

/** An error as both can be compared: its class name (see the top) and status. */
const errorOf = (e) => ({
  error: e?.constructor?.name == "OpenAIError" ? "AzureOpenAIError" : e?.constructor?.name,
  status: e?.status,
});

/** JSON of `value`, errors by class and status. */
function json(value) {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value, function (key, v) {
    const raw = this[key];
    return raw instanceof Error ? errorOf(raw) : v;
  }));
}

/**
 * The SDK code under test: `makeParams(record)` gives the params (its tools call `record`),
 * listeners on every event, then every final helper. `abortAt`: the event whose first emission
 * aborts the runner.
 */
async function run(lib, makeParams, { abortAt, options } = {}, served) {
  replies = structuredClone(served);
  bodies = [];
  trace = [];
  const client = new lib.AzureOpenAI({
    endpoint: server.url,
    apiKey: KEY,
    apiVersion: API_VERSION,
    maxRetries: 0,
  });
  const calls = [];
  /** The runner, once runTools() returned it (tools compare the one they get with it). */
  const made = {};
  const record = (name, result) => (args, r, context) => {
    calls.push([name, json(args), r === made.runner, json(context)]);
    if (result instanceof Error) throw result;
    return typeof result == "function" ? result(args) : result;
  };
  const afterCompletion = [];
  const runner = made.runner = client.chat.completions.runTools(makeParams(record), {
    ...options,
    ...options?.afterCompletion && {
      afterCompletion: (c, r) => afterCompletion.push([c.id, r === runner, r.messages.length]),
    },
  });
  const events = [];
  let aborted = false;
  for (const name of EVENTS) {
    runner.on(name, (...args) => {
      events.push([name, json(args)]);
      trace.push(name);
      if (name == abortAt && !aborted) aborted = true, runner.abort();
    });
  }
  const finals = await finalsOf(runner, json, errorOf);
  return {
    events,
    finals,
    calls,
    afterCompletion,
    trace,
    bodies: bodies.map(({ model: _, ...body }) => body),
  };
}

/** Takes out the chunk snapshot difference listed at the top. */
function normalize(result) {
  result.events = withSnapshotSummaries(result.events);
  return result;
}

async function compare(makeParams, served, options) {
  const results = [];
  for (const [, lib] of LIBS) results.push(normalize(await run(lib, makeParams, options, served)));
  const [theirs, ourselves] = results;
  for (const [i, event] of theirs.events.entries()) {
    assert.deepEqual(ourselves.events[i], event, `event ${i}`);
  }
  assert.equal(ourselves.events.length, theirs.events.length);
  assert.deepEqual(ourselves.bodies, theirs.bodies);
  assert.deepEqual(ourselves.finals, theirs.finals);
  assert.deepEqual(ourselves.calls, theirs.calls);
  assert.deepEqual(ourselves.afterCompletion, theirs.afterCompletion);
  assert.deepEqual(ourselves.trace, theirs.trace);
  return ourselves;
}

const USER = [{ role: "user", content: "Weather and time in Paris?" }];
const SCHEMA = { type: "object", properties: { city: { type: "string" } } };
/** A runnable tool of the SDK's shape (the `function` records its calls). */
const tool = (record, name, result, extra) => ({
  type: "function",
  function: {
    name,
    description: `The ${name}`,
    parameters: SCHEMA,
    function: record(name, result),
    ...extra,
  },
});
const Weather = z.object({ city: z.string(), days: z.number().int() });

describe("chat.completions.runTools(): the same events, requests and results as the openai SDK", () => {
  for (const stream of [false, true]) {
    const kind = stream ? "stream: true" : "not streamed";
    const base = stream ? { stream: true, stream_options: { include_usage: true } } : {};

    test(`${kind}: one tool round, then the answer (parse, toolContext, afterCompletion)`, async () => {
      const ourselves = await compare(
        (record) => ({
          model: "gpt-4o",
          messages: USER,
          ...base,
          toolContext: { user: "u1" },
          tools: [
            tool(record, "get_weather", (args) => ({ sky: "sunny", ...args }), {
              parse: JSON.parse,
            }),
          ],
        }),
        [callReply(1, ["get_weather", '{"city":"Paris"}']), textReply("Sunny in Paris.")],
        { options: { afterCompletion: true } },
      );
      assert.equal(ourselves.finals.finalContent, "Sunny in Paris.");
      assert.equal(ourselves.bodies.length, 2);
      assert.deepEqual(ourselves.bodies[1].messages.at(-1), {
        role: "tool",
        tool_call_id: "call_1_0",
        content: '{"sky":"sunny","city":"Paris"}',
      });
      assert.deepEqual(ourselves.calls, [["get_weather", { city: "Paris" }, true, { user: "u1" }]]);
      assert.deepEqual(ourselves.finals.totalUsage, {
        completion_tokens: 10,
        prompt_tokens: 40,
        total_tokens: 50,
      });
      assert.deepEqual(ourselves.finals.state, [true, false, false]);
    });

    test(`${kind}: two parallel tool calls, results in the calls' order`, async () => {
      const ourselves = await compare(
        (record) => ({
          model: "gpt-4o",
          messages: USER,
          ...base,
          tools: [
            tool(record, "get_weather", "sunny"),
            // No name: the function's own name is the tool's.
            {
              type: "function",
              function: {
                parameters: {},
                function: async function get_time() {
                  await new Promise((resolve) => setTimeout(resolve, 2));
                  return undefined;
                },
              },
            },
          ],
        }),
        [
          callReply(1, ["get_weather", '{"city":"Paris"}'], ["get_time", "{}"]),
          textReply("Sunny, and it is noon."),
        ],
      );
      assert.deepEqual(ourselves.bodies[1].messages.slice(-2).map((m) => m.content), [
        "sunny",
        "undefined",
      ]);
      assert.deepEqual(ourselves.bodies[0].tools[1].function.name, "get_time");
    });

    test(`${kind}: a zodFunction tool with its function`, async () => {
      const ourselves = await compare(
        (record) => ({
          model: "gpt-4o",
          messages: USER,
          ...base,
          tools: [
            zodFunction({
              name: "get_weather",
              parameters: Weather,
              description: "The weather",
              function: record("get_weather", ({ city, days }) => `${days} days of sun in ${city}`),
            }),
            // No description: the SDK sends "" for it.
            zodFunction({
              name: "get_time",
              parameters: z.object({}),
              function: record("get_time", "noon"),
            }),
          ],
        }),
        [callReply(1, ["get_weather", '{"city":"Paris","days":2}']), textReply("Sunny.")],
      );
      assert.deepEqual(ourselves.calls[0][1], { city: "Paris", days: 2 });
      assert.equal(ourselves.bodies[0].tools[0].function.strict, true);
      assert.equal(ourselves.bodies[0].tools[1].function.description, "");
      assert.equal(ourselves.finals.finalFunctionToolCallResult, "2 days of sun in Paris");
    });

    test(`${kind}: a tool that throws ends the run with its error, after the others settled`, async () => {
      const ourselves = await compare(
        (record) => ({
          model: "gpt-4o",
          messages: USER,
          ...base,
          tools: [
            tool(record, "get_weather", new Error("weather service down")),
            // Settles a macrotask later, still before the error.
            tool(record, "get_time", async () => {
              await new Promise((resolve) => setTimeout(resolve, 0));
              trace.push("get_time settled");
              return "noon";
            }),
          ],
        }),
        [callReply(1, ["get_weather", "{}"], ["get_time", "{}"]), textReply("never asked")],
      );
      assert.equal(ourselves.bodies.length, 1);
      assert.equal(ourselves.calls.length, 2);
      assert.ok(ourselves.trace.includes("get_time settled"));
      assert.ok(ourselves.trace.indexOf("get_time settled") < ourselves.trace.indexOf("error"));
      assert.deepEqual(ourselves.finals.done, { error: "AzureOpenAIError", status: undefined });
      assert.deepEqual(ourselves.finals.state, [true, true, false]);
    });

    test(`${kind}: arguments that fail to parse and an unknown tool are answered to the model`, async () => {
      const ourselves = await compare(
        (record) => ({
          model: "gpt-4o",
          messages: USER,
          ...base,
          tools: [tool(record, "get_weather", "sunny", { parse: JSON.parse })],
        }),
        [
          callReply(1, ["get_weather", "{not json"], ["get_moon", "{}"]),
          textReply("Sorry."),
        ],
      );
      const [parseError, unknown] = ourselves.bodies[1].messages.slice(-2).map((m) => m.content);
      assert.match(parseError, /JSON/);
      assert.equal(
        unknown,
        'Invalid tool_call: "get_moon". Available options are: "get_weather". Please try again',
      );
      assert.equal(ourselves.calls.length, 0);
    });

    test(`${kind}: maxChatCompletions reached`, async () => {
      const ourselves = await compare(
        (record) => ({
          model: "gpt-4o",
          messages: USER,
          ...base,
          tools: [tool(record, "get_weather", "sunny")],
        }),
        [1, 2, 3].map((round) => callReply(round, ["get_weather", "{}"])),
        { options: { maxChatCompletions: 2 } },
      );
      assert.equal(ourselves.bodies.length, 2);
      assert.equal(ourselves.finals.finalContent, null);
      assert.equal(ourselves.finals.finalFunctionToolCallResult, "sunny");
    });

    test(`${kind}: a named tool_choice runs that function once and ends`, async () => {
      const ourselves = await compare(
        (record) => ({
          model: "gpt-4o",
          messages: USER,
          ...base,
          tool_choice: { type: "function", function: { name: "get_time" } },
          tools: [tool(record, "get_weather", "sunny"), tool(record, "get_time", "noon")],
        }),
        [callReply(1, ["get_weather", "{}"], ["get_time", "{}"], ["get_time", "{}"])],
      );
      assert.equal(ourselves.bodies.length, 1);
      assert.deepEqual(ourselves.calls.map(([name]) => name), ["get_time"]);
    });

    test(`${kind}: abort mid-loop (in a functionToolCall listener)`, async () => {
      const ourselves = await compare(
        (record) => ({
          model: "gpt-4o",
          messages: USER,
          ...base,
          tools: [tool(record, "get_weather", "sunny")],
        }),
        [callReply(1, ["get_weather", "{}"]), textReply("never sent")],
        { abortAt: "functionToolCall" },
      );
      assert.equal(ourselves.bodies.length, 1);
      assert.deepEqual(ourselves.finals.done, { error: "APIUserAbortError", status: undefined });
      assert.deepEqual(ourselves.finals.state, [true, true, true]);
    });

    test(`${kind}: an error status on round 2`, async () => {
      const ourselves = await compare(
        (record) => ({
          model: "gpt-4o",
          messages: USER,
          ...base,
          tools: [tool(record, "get_weather", "sunny")],
        }),
        [callReply(1, ["get_weather", "{}"]), { status: 500 }],
      );
      assert.equal(ourselves.bodies.length, 2);
      assert.deepEqual(ourselves.finals.done, { error: "InternalServerError", status: 500 });
    });
  }

  test("a tool's own error: the same message in both", async () => {
    const messages = [];
    for (const [, lib] of LIBS) {
      replies = [callReply(1, ["get_weather", "{}"])];
      const client = new lib.AzureOpenAI({
        endpoint: server.url,
        apiKey: KEY,
        apiVersion: API_VERSION,
      });
      const runner = client.chat.completions.runTools({
        model: "gpt-4o",
        messages: USER,
        tools: [tool(() => () => {
          throw new Error("weather service down");
        }, "get_weather")],
      });
      messages.push(await runner.done().then(() => "resolved", (e) => e.message));
    }
    assert.deepEqual(messages, ["weather service down", "weather service down"]);
  });

  test("bad input: ours throws a TypeError at the call and sends nothing; the SDK's runner errors", async () => {
    const fnless = {
      model: "gpt-4o",
      messages: USER,
      tools: [{ type: "function", function: { name: "f", parameters: {} } }],
    };
    const zodless = {
      model: "gpt-4o",
      messages: USER,
      tools: [zodFunction({ name: "w", parameters: Weather })],
    };
    // [params, what the SDK sends first]: a tool without a function is sent (the SDK fails only
    // when the model calls it); a zodFunction() without `function` fails before sending.
    for (const [params, sdkSends] of [[fnless, 1], [zodless, 0], [undefined, 0]]) {
      replies = [{ status: 400 }];
      bodies = [];
      const options = { endpoint: server.url, apiKey: KEY, apiVersion: API_VERSION, maxRetries: 0 };
      const sdk = new openai.AzureOpenAI(options);
      // No params: the SDK's throws a TypeError at the call too (reading params.stream).
      if (params) await assert.rejects(sdk.chat.completions.runTools(params).done());
      else assert.throws(() => sdk.chat.completions.runTools(params), TypeError);
      assert.equal(bodies.length, sdkSends);
      bodies = [];
      const client = new ours.AzureOpenAI(options);
      assert.throws(
        () => client.chat.completions.runTools(params),
        (e) =>
          e instanceof TypeError &&
          (params ? /tools\[0\] \("\w"\) has no function to run/ : /params object/).test(e.message),
      );
      assert.equal(bodies.length, 0);
    }
  });
});
