// chat.completions.stream() switch: the same SDK code (listeners on every event of the SDK's
// ChatCompletionStream, then every final*() helper) run once through the openai SDK's AzureOpenAI
// and once through the bundled core (compat/.build/core.mjs), against the emulator, a scripted
// emulator (two parallel tool calls), a server answering 404, Azure's wire shapes served byte for
// byte (prompt-filter-only first chunk, filter results, async filter chunk, usage chunk, n: 2,
// legacy function_call, finish_reason content_filter, an error payload), JSON texts streamed one
// UTF-16 unit per chunk as content (zodResponseFormat) and as tool arguments (zodFunction, strict),
// so that `content.delta`'s `parsed` and `arguments.delta`'s `parsed_arguments` (the partial parse
// of every prefix) are compared, and a connection reset.
// Each test asserts both give the same ordered list of (event, JSON of its arguments) and the same
// final*() results. The differences, each pinned by `normalize()` or the test's `differs` below and
// asserted where it matters:
// - the `chunk` event's snapshot: ours is the accumulator's completion so far (object
//   "chat.completion", content / refusal null until they come and "" after an empty first delta,
//   filters merged); compared by each choice's text, refusal, partial `parsed`, finish reason and
//   tool calls (with their partial `parsed_arguments`);
// - the final completion: the SDK keeps a chunk's `usage: null` where ours leaves usage out;
// - ids and `created` differ from request to request (each client makes its own), so are masked;
// - Azure's shapes (served byte for byte): the final completion's choices lack the asynchronous
//   filter's `content_filter_offsets` in ours (the accumulator keeps only documented fields; the
//   SDK copies any unknown choice field), and hold each category's worst verdict over the choice's
//   chunks where the SDK keeps the last chunk's `content_filter_results` (Azure's finish chunk
//   sends {}, so the SDK's final choice says nothing about a filter that ran);
// - an error payload mid-stream with code "server_error": the SDK's APIError has no status, ours
//   is InternalServerError (status 500, an APIError too), as create()'s stream types it.
// Run: `cd compat && sh ./build.sh && sh ./build_runtime.sh && node --test
// tests/chat_stream_events_switch.test.mjs`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as openai from "openai";
import { zodFunction, zodResponseFormat } from "openai/helpers/zod";
import { makeParseableResponseFormat } from "openai/lib/parser";
import { z } from "zod";
import * as ours from "../.build/core.mjs";
import { createEmulator } from "../.build/emulator.mjs";
import { serve } from "./_serve.mjs";
import { PROMPT_FILTER_CHUNK as PROMPT, SAFE_FILTERS as SAFE } from "./_azure_chunks.mjs";
import {
  CHAT_STREAM_EVENTS as EVENTS,
  finalsOf,
  withSnapshotSummaries,
} from "./_chat_stream_events.mjs";

const API_VERSION = "2024-10-21";
const KEY = "chat-stream-events-key";
const LIBS = [["the openai SDK", openai], ["@aoai/edge", ours]];

const Weather = z.object({ city: z.string(), days: z.number().int() });
const Time = z.object({ timezone: z.string() });
const Trip = z.object({ city: z.string(), days: z.number().int(), tags: z.array(z.string()) });

// Azure's wire shapes, served byte for byte (scenario by deployment name): a first chunk with
// empty `choices` and only `prompt_filter_results` (id "", created 0), choices carrying
// `content_filter_results`, an asynchronous filter's chunk with no `delta`, a last usage chunk
// with empty `choices`.
const HEAD = { id: "chatcmpl-az", object: "chat.completion.chunk", created: 1733100000 };
const AZ = { ...HEAD, model: "gpt-4o-2024-08-06", system_fingerprint: "fp_az" };
const pick = (index, delta, finish_reason = null, filters = SAFE) => ({
  content_filter_results: filters,
  delta,
  finish_reason,
  index,
  logprobs: null,
});
const az = (...choices) => ({ ...AZ, choices });
const USAGE = {
  ...AZ,
  choices: [],
  usage: { completion_tokens: 4, prompt_tokens: 9, total_tokens: 13 },
};
const FILTER_ONLY = {
  choices: [{
    content_filter_offsets: { check_offset: 0, start_offset: 0, end_offset: 9 },
    content_filter_results: SAFE,
    finish_reason: null,
    index: 0,
  }],
  created: 0,
  id: "",
  model: "",
  object: "",
};
const data = (chunk) => `data: ${JSON.stringify(chunk)}\n\n`;
const AZURE = {
  // Plain content, the asynchronous filter's chunk after the finish, usage last.
  shapes: [
    PROMPT,
    az(pick(0, { content: "", role: "assistant" }, null, {})),
    az(pick(0, { content: "Hel" })),
    az(pick(0, { content: "lo!" })),
    az(pick(0, {}, "stop", {})),
    FILTER_ONLY,
    USAGE,
  ],
  // n: 2, the two choices interleaved.
  n2: [
    PROMPT,
    az(pick(0, { content: "", role: "assistant" }, null, {})),
    az(pick(1, { content: "", role: "assistant" }, null, {})),
    az(pick(0, { content: "One" })),
    az(pick(1, { content: "Two" })),
    az(pick(1, { content: "!" })),
    az(pick(0, {}, "stop", {})),
    az(pick(1, {}, "stop", {})),
    USAGE,
  ],
  // The legacy `functions` reply: function_call deltas, finish_reason "function_call".
  legacy: [
    PROMPT,
    az(
      pick(
        0,
        { role: "assistant", content: null, function_call: { name: "get_weather", arguments: "" } },
        null,
        {},
      ),
    ),
    az(pick(0, { function_call: { arguments: '{"city":' } }, null, {})),
    az(pick(0, { function_call: { arguments: '"Paris"}' } }, null, {})),
    az(pick(0, {}, "function_call", {})),
  ],
  // The output filter cut the reply: finish_reason "content_filter", a filtered category.
  filtered: [
    PROMPT,
    az(pick(0, { content: "", role: "assistant" }, null, {})),
    az(pick(0, { content: '{"city":"Par' })),
    az(pick(0, {}, "content_filter", { ...SAFE, violence: { filtered: true, severity: "high" } })),
  ],
  // An error payload mid-stream (no [DONE] after it).
  failing: [
    PROMPT,
    az(pick(0, { content: "", role: "assistant" }, null, {})),
    az(pick(0, { content: "Par" })),
    {
      error: { code: "server_error", message: "The server had an error processing your request." },
    },
  ],
};
const azureBody = (name) => {
  const chunks = AZURE[name].map(data).join("");
  if (name == "failing") return chunks;
  return chunks + "data: [DONE]\n\n";
};

// JSON texts streamed one UTF-16 unit per chunk (surrogate pairs split): instances of the zod
// schemas above, compact and indented, the JSON schema zodResponseFormat() sends, escapes and
// unicode, whitespace between tokens.
const TRIP = { city: "Paris", days: 2, tags: ["museums", "food"] };
const TEXTS = [
  JSON.stringify(TRIP),
  JSON.stringify(TRIP, null, 2),
  JSON.stringify({ city: "Paris", days: 12 }, null, "\t"),
  JSON.stringify({ timezone: "Europe/Paris" }),
  JSON.stringify(zodResponseFormat(Trip, "trip").json_schema.schema),
  JSON.stringify({
    city: 'Zürich "Z" \\ / \n\t\u0001 € 😀 \u2028',
    days: -0.5e-3,
    tags: ["", "a\\", "\ud83d", "日本"],
    nested: { ok: true, no: false, none: null, list: [[], {}, [1, [2]]] },
  }),
  '{ "city" : "Paris" , "days" : 2 , "tags" : [ "a" , "b" ] , "x" : { } }',
];
const ANY = { type: "json_schema", json_schema: { name: "any", schema: {} } };
/** The head of those chunks (Azure's shapes). */
const CHARS_ID = { ...AZ, id: "chatcmpl-chars" };
/** The chunks of TEXTS[i], one UTF-16 unit each, as content or as a tool call's arguments. */
function charsBody(name) {
  const [kind, i] = name.split("-");
  const units = [...Array(TEXTS[i].length).keys()].map((k) => TEXTS[i][k]);
  const delta = (unit) =>
    kind == "content"
      ? { content: unit }
      : { tool_calls: [{ index: 0, function: { arguments: unit } }] };
  const first = kind == "content" ? { role: "assistant", content: "" } : {
    role: "assistant",
    content: null,
    tool_calls: [{
      index: 0,
      id: "call_1",
      type: "function",
      function: { name: "plan_trip", arguments: "" },
    }],
  };
  return [
    { ...CHARS_ID, choices: [pick(0, first, null, {})] },
    ...units.map((unit) => ({ ...CHARS_ID, choices: [pick(0, delta(unit), null, {})] })),
    { ...CHARS_ID, choices: [pick(0, {}, kind == "content" ? "stop" : "tool_calls", {})] },
  ].map(data).join("") + "data: [DONE]\n\n";
}

let plain, scripted, missing, azure, reset, chars;
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
  azure = await serve((request) => {
    const name = new URL(request.url).pathname.split("/")[3];
    return new Response(azureBody(name), { headers: { "content-type": "text/event-stream" } });
  });
  chars = await serve((request) =>
    new Response(charsBody(new URL(request.url).pathname.split("/")[3]), {
      headers: { "content-type": "text/event-stream" },
    })
  );
  // Two chunks, then the connection is reset (the body errors: the server destroys the socket).
  reset = await serve(() => {
    const enc = new TextEncoder();
    let n = 0;
    return new Response(
      new ReadableStream({
        pull(c) {
          if (n < 2) c.enqueue(enc.encode(data(AZURE.shapes[n++])));
          else c.error(new Error("connection reset"));
        },
      }),
      { headers: { "content-type": "text/event-stream" } },
    );
  });
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
  await azure?.close();
  await reset?.close();
  await chars?.close();
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
  const finals = await finalsOf(stream, json, errorOf);
  return { events, finals };
}

/** Takes out the differences listed at the top. */
function normalize({ events, finals }) {
  const out = withSnapshotSummaries(events);
  const completion = (c) => {
    if (c && typeof c == "object" && "choices" in c) {
      if (c.usage == null) delete c.usage;
      for (const choice of c.choices) delete choice?.content_filter_offsets;
    }
    return c;
  };
  for (const [name, args] of out) {
    if (name == "chatCompletion" || name == "finalChatCompletion") completion(args[0]);
  }
  completion(finals.finalChatCompletion);
  finals.allChatCompletions.forEach(completion);
  return { events: out, finals };
}

/** The completions in a normalized run: events' and final*() results. */
const completionsOf = ({ events, finals }) =>
  [
    ...events.filter(([n]) => n == "chatCompletion" || n == "finalChatCompletion").map(([, [c]]) =>
      c
    ),
    finals.finalChatCompletion,
    ...finals.allChatCompletions,
  ].filter((c) => c?.choices);

async function compare(url, params, options, differs = (theirs) => theirs) {
  const results = [];
  for (const [, lib] of LIBS) results.push(normalize(await run(lib, url(), params, options)));
  const [theirs, ourselves] = results;
  differs(theirs, ourselves);
  for (const [i, event] of theirs.events.entries()) {
    assert.deepEqual(ourselves.events[i], event, `event ${i}`);
  }
  assert.equal(ourselves.events.length, theirs.events.length);
  assert.deepEqual(ourselves.finals, theirs.finals);
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
    const { ourselves } = await compare(() => scripted.url, {
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
    // The partial parse of the arguments so far (compared with the SDK's by compare()).
    const partial = ourselves.events.filter(([n]) => n == "tool_calls.function.arguments.delta")
      .map(([, [e]]) => e.parsed_arguments);
    assert.deepEqual(partial.at(-1), { timezone: "Europe/Paris" });
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
    // The partial parse of the content so far (compared with the SDK's by compare()).
    const partial = ourselves.events.filter(([n]) => n == "content.delta").map(([, [e]]) =>
      e.parsed
    );
    assert.deepEqual(partial.at(-1), done.parsed);
  });

  test("JSON texts one UTF-16 unit per chunk: every prefix's partial parse (format and tools)", async () => {
    // The call is plan_trip's: a strict tool (its arguments parsed as JSON, whatever the text).
    const tools = [
      zodFunction({ name: "get_weather", parameters: Weather }),
      { type: "function", function: { name: "plan_trip", strict: true, parameters: {} } },
    ];
    for (const [i, text] of TEXTS.entries()) {
      const { ourselves } = await compare(() => chars.url, {
        model: `content-${i}`,
        messages: USER,
        // What zodResponseFormat() makes (its helper), parsing any JSON (zod's strict schemas
        // cannot take every text).
        response_format: makeParseableResponseFormat(ANY, JSON.parse),
      });
      const deltas = ourselves.events.filter(([n]) => n == "content.delta");
      assert.equal(deltas.length, text.length);
      assert.deepEqual(deltas.at(-1)[1][0].parsed, JSON.parse(text));
    }
    for (const [i, text] of TEXTS.entries()) {
      const { ourselves } = await compare(() => chars.url, {
        model: `tool-${i}`,
        messages: USER,
        tools,
      });
      const deltas = ourselves.events.filter(([n]) => n == "tool_calls.function.arguments.delta");
      assert.equal(deltas.length, text.length + 1);
      assert.deepEqual(deltas.at(-1)[1][0].parsed_arguments, JSON.parse(text));
    }
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

  test("Azure's shapes: prompt filter chunk, filter results, async filter chunk, usage chunk", async () => {
    const { ourselves } = await compare(() => azure.url, { model: "shapes", messages: USER });
    assert.equal(ourselves.finals.finalContent, "Hello!");
    assert.deepEqual(ourselves.finals.totalUsage, USAGE.usage);
    assert.equal(ourselves.finals.finalChatCompletion.prompt_filter_results.length, 1);
  });

  test("n: 2, two choices interleaved", async () => {
    const { ourselves } = await compare(
      () => azure.url,
      { model: "n2", messages: USER, n: 2 },
      {},
      (theirs, ourselves) => {
        // The SDK keeps each choice's last content_filter_results (the finish chunk's {}), ours
        // the worst verdict per category of all the choice's chunks (as create()'s accumulator).
        for (const c of completionsOf(theirs)) {
          assert.deepEqual(c.choices.map((c) => c.content_filter_results), [{}, {}]);
        }
        const ours = ourselves.finals.finalChatCompletion.choices;
        assert.deepEqual(ours.map((c) => c.content_filter_results), [SAFE, SAFE]);
        for (const c of completionsOf(theirs)) {
          for (const choice of c.choices) choice.content_filter_results = SAFE;
        }
      },
    );
    const done = ourselves.events.filter(([n]) => n == "content.done").map(([, [e]]) => e.content);
    assert.deepEqual(done, ["One", "Two!"]);
    assert.equal(ourselves.finals.finalContent, "One");
  });

  test("legacy function_call deltas", async () => {
    const { ourselves } = await compare(() => azure.url, { model: "legacy", messages: USER });
    assert.deepEqual(ourselves.finals.finalMessage.function_call, {
      name: "get_weather",
      arguments: '{"city":"Paris"}',
    });
  });

  test('finish_reason "content_filter" without a parsed format ends normally', async () => {
    const { ourselves } = await compare(() => azure.url, { model: "filtered", messages: USER });
    assert.equal(ourselves.finals.finalChatCompletion.choices[0].finish_reason, "content_filter");
    assert.equal(ourselves.finals.finalContent, '{"city":"Par');
  });

  test('finish_reason "content_filter" with a zodResponseFormat fails the stream', async () => {
    const { ourselves } = await compare(() => azure.url, {
      model: "filtered",
      messages: USER,
      response_format: zodResponseFormat(Trip, "trip"),
    });
    assert.deepEqual(ourselves.finals.done.error, "ContentFilterFinishReasonError");
  });

  test("an error payload mid-stream", async () => {
    const { ourselves } = await compare(
      () => azure.url,
      { model: "failing", messages: USER },
      {},
      (theirs) => {
        // The SDK throws an APIError without a status; ours gives Azure's code "server_error" its
        // status, 500 (InternalServerError, an APIError too), as create()'s stream does.
        const typed = { error: "InternalServerError", status: 500 };
        for (const e of theirs.events) if (e[0] == "error") e[1] = [typed];
        for (const [k, v] of Object.entries(theirs.finals)) {
          if (v?.error == "APIError") theirs.finals[k] = typed;
        }
      },
    );
    assert.deepEqual(ourselves.events.slice(-2).map(([n]) => n), ["error", "end"]);
  });

  test("a connection reset mid-stream", async () => {
    const { ourselves } = await compare(() => reset.url, { model: "gpt-4o", messages: USER });
    assert.deepEqual(ourselves.events.slice(-2).map(([n]) => n), ["error", "end"]);
  });
});
