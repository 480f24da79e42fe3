// chat.completions.stream() switch: the same SDK code (listeners on every event of the SDK's
// ChatCompletionStream, then every final*() helper) run once through the openai SDK's AzureOpenAI
// and once through the bundled core (compat/.build/core.mjs), against the emulator, a scripted
// emulator (two parallel tool calls) and a server answering 404. Each test asserts both give the
// same ordered list of (event, JSON of its arguments) and the same final*() results. The
// differences, each pinned by `normalize()` below and asserted where it matters:
// - the `chunk` event's snapshot: ours is the accumulator's completion so far (object
//   "chat.completion", content / refusal null until they come and "" after an empty first delta,
//   filters merged); compared by each
//   choice's text, refusal, finish reason and tool calls;
// - `content.delta`'s `parsed` and `tool_calls.function.arguments.delta`'s `parsed_arguments`: the
//   SDK parses the partial JSON so far, ours gives none (asserted: ours is undefined);
// - the final completion: the SDK keeps a chunk's `usage: null` where ours leaves usage out;
// - ids and `created` differ from request to request (each client makes its own), so are masked.
// Run: `cd compat && sh ./build.sh && sh ./build_runtime.sh && node --test
// tests/chat_stream_events_switch.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as openai from "openai";
import { zodFunction, zodResponseFormat } from "openai/helpers/zod";
import { z } from "zod";
import * as ours from "../.build/core.mjs";
import { createEmulator } from "../.build/emulator.mjs";
import { serve } from "./_serve.mjs";

const API_VERSION = "2024-10-21";
const KEY = "chat-stream-events-key";
const LIBS = [["the openai SDK", openai], ["@aoai/edge", ours]];

const EVENTS = [
  "connect",
  "chunk",
  "content",
  "content.delta",
  "content.done",
  "refusal.delta",
  "refusal.done",
  "tool_calls.function.arguments.delta",
  "tool_calls.function.arguments.done",
  "logprobs.content.delta",
  "logprobs.content.done",
  "logprobs.refusal.delta",
  "logprobs.refusal.done",
  "message",
  "functionToolCall",
  "chatCompletion",
  "finalContent",
  "finalMessage",
  "finalChatCompletion",
  "finalFunctionToolCall",
  "totalUsage",
  "error",
  "abort",
  "end",
];

const Weather = z.object({ city: z.string(), days: z.number().int() });
const Time = z.object({ timezone: z.string() });
const Trip = z.object({ city: z.string(), days: z.number().int(), tags: z.array(z.string()) });

let plain, scripted, missing;
before(async () => {
  const emulator = createEmulator({ apiKeys: [KEY] });
  plain = await serve((request) => emulator.fetch(request));
  const upstream = createEmulator({
    apiKeys: [KEY],
    script: (req) =>
      Array.isArray(req.body.tools)
        ? {
          toolCalls: [
            { name: "get_weather", arguments: { city: "Paris", days: 2 } },
            { name: "get_time", arguments: { timezone: "Europe/Paris" } },
          ],
        }
        : undefined,
  });
  scripted = await serve((request) => upstream.fetch(request));
  missing = await serve(() =>
    Response.json({ error: { code: "DeploymentNotFound", message: "no such deployment" } }, {
      status: 404,
    })
  );
});
after(async () => {
  await plain?.close();
  await scripted?.close();
  await missing?.close();
});

/** An error as both can be compared: its class name and status. */
const errorOf = (e) => ({ error: e?.constructor?.name, status: e?.status });

/** JSON of `value` with ids and timestamps masked (each client's request gets its own). */
function json(value) {
  if (value === undefined) return undefined;
  // The value before toJSON(): errors by class and status (ours have a toJSON, the SDK's not).
  return JSON.parse(JSON.stringify(value, function (key, v) {
    const raw = this[key];
    return raw instanceof Error
      ? errorOf(raw)
      : (key == "id" || key == "created") && v != null
      ? "<masked>"
      : v;
  }));
}

/** The SDK code under test: listeners on every event, then every final helper. */
async function run(lib, url, params, { abortAt } = {}) {
  const client = new lib.AzureOpenAI({
    endpoint: url,
    apiKey: KEY,
    apiVersion: API_VERSION,
    maxRetries: 0,
  });
  const stream = client.chat.completions.stream(params);
  const events = [];
  for (const name of EVENTS) {
    stream.on(name, (...args) => {
      events.push([name, json(args)]);
      if (name == abortAt) stream.abort();
    });
  }
  const settle = (promise) => promise.then(json, errorOf);
  const finals = {
    done: await settle(stream.done()),
    finalChatCompletion: await settle(stream.finalChatCompletion()),
    finalContent: await settle(stream.finalContent()),
    finalMessage: await settle(stream.finalMessage()),
    finalFunctionToolCall: await settle(stream.finalFunctionToolCall()),
    totalUsage: await settle(stream.totalUsage()),
    allChatCompletions: json(stream.allChatCompletions()),
  };
  return { events, finals };
}

/** Takes out the differences listed at the top (returning what was taken from `content.delta`). */
function normalize({ events, finals }) {
  const partial = [];
  const out = events.map(([name, args]) => {
    if (name == "chunk") {
      const [chunk, snapshot] = args;
      return [name, [
        chunk,
        snapshot.choices.map((c) => ({
          index: c.index,
          content: c.message.content || null,
          refusal: c.message.refusal || null,
          finish_reason: c.finish_reason,
          tool_calls: c.message.tool_calls?.map((t) => [t.function.name, t.function.arguments]),
        })),
      ]];
    }
    if (name == "content.delta" || name == "tool_calls.function.arguments.delta") {
      const { parsed, parsed_arguments, ...rest } = args[0];
      partial.push(parsed ?? parsed_arguments);
      return [name, [rest]];
    }
    return [name, args];
  });
  const completion = (c) => {
    if (c && typeof c == "object" && "choices" in c && c.usage == null) delete c.usage;
    return c;
  };
  for (const [name, args] of out) {
    if (name == "chatCompletion" || name == "finalChatCompletion") completion(args[0]);
  }
  completion(finals.finalChatCompletion);
  finals.allChatCompletions.forEach(completion);
  return { events: out, finals, partial };
}

async function compare(url, params, options) {
  const results = [];
  for (const [, lib] of LIBS) results.push(normalize(await run(lib, url(), params, options)));
  const [theirs, ourselves] = results;
  for (const [i, event] of theirs.events.entries()) {
    assert.deepEqual(ourselves.events[i], event, `event ${i}`);
  }
  assert.equal(ourselves.events.length, theirs.events.length);
  assert.deepEqual(ourselves.finals, theirs.finals);
  // Ours gives no partial parse.
  assert.ok(ourselves.partial.every((p) => p === undefined));
  return { theirs, ourselves };
}

const USER = [{ role: "user", content: "Hello there" }];

describe("chat.completions.stream(): the same events and results as the openai SDK", () => {
  test("plain content, with usage and logprobs", async () => {
    const { ourselves } = await compare(() => plain.url, {
      model: "gpt-4o",
      messages: USER,
      logprobs: true,
      stream_options: { include_usage: true },
    });
    const names = ourselves.events.map(([n]) => n);
    assert.ok(names.includes("content.done") && names.includes("logprobs.content.done"));
    assert.equal(names.at(-1), "end");
    assert.equal(ourselves.finals.finalContent, "You said: Hello there");
  });

  test("two parallel tool calls (zodFunction)", async () => {
    const { theirs, ourselves } = await compare(() => scripted.url, {
      model: "gpt-4o",
      messages: USER,
      tools: [
        zodFunction({ name: "get_weather", parameters: Weather }),
        zodFunction({ name: "get_time", parameters: Time }),
      ],
    });
    const done = ourselves.events.filter(([n]) => n == "tool_calls.function.arguments.done");
    assert.deepEqual(done.map(([, [e]]) => e.parsed_arguments), [
      { city: "Paris", days: 2 },
      { timezone: "Europe/Paris" },
    ]);
    assert.deepEqual(ourselves.finals.finalFunctionToolCall.parsed_arguments, {
      timezone: "Europe/Paris",
    });
    // The SDK's partial parse of the arguments so far, which ours does not give.
    assert.ok(theirs.partial.some((p) => p !== undefined));
  });

  test("a zodResponseFormat", async () => {
    const { ourselves } = await compare(() => plain.url, {
      model: "gpt-4o",
      messages: USER,
      response_format: zodResponseFormat(Trip, "trip"),
    });
    const [[, [done]]] = ourselves.events.filter(([n]) => n == "content.done");
    assert.deepEqual(done.parsed, JSON.parse(done.content));
    assert.deepEqual(ourselves.finals.finalMessage.parsed, done.parsed);
  });

  test("an error status", async () => {
    const { ourselves } = await compare(() => missing.url, { model: "gpt-4o", messages: USER });
    assert.deepEqual(ourselves.events.map(([n]) => n), ["error", "end"]);
    assert.deepEqual(ourselves.finals.done, { error: "NotFoundError", status: 404 });
  });

  test("abort() at the first content event", async () => {
    const { ourselves } = await compare(
      () => plain.url,
      { model: "gpt-4o", messages: USER },
      { abortAt: "content" },
    );
    assert.deepEqual(ourselves.events.slice(-2).map(([n]) => n), ["abort", "end"]);
    assert.deepEqual(ourselves.finals.done, { error: "APIUserAbortError", status: undefined });
  });
});
