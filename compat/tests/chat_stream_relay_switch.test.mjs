// chat.completions.stream() relayed to a page: the server's `stream.toReadableStream()` and the
// page's `ChatCompletionStream.fromReadableStream()` (the openai SDK's event class; ours is
// ChatCompletionEventStream) across the two packages. Each server (SDK or ours) streams the same
// Azure reply; both write the same bytes, and each page (SDK or ours) reading either body sees the
// same events, with the same arguments, as the SDK's page reading the SDK's server.
// Run: `cd compat && sh ./build.sh && sh ./build_runtime.sh && node --test
// tests/chat_stream_relay_switch.test.mjs`.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as openai from "openai";
import { ChatCompletionStream as SdkEventStream } from "openai/lib/ChatCompletionStream";
import { ChatCompletionStreamingRunner as SdkRunner } from "openai/lib/ChatCompletionStreamingRunner";
import * as ours from "../.build/core.mjs";
import { CHAT_STREAM_EVENTS as EVENTS, finalsOf } from "./_chat_stream_events.mjs";

const AZ = { id: "chatcmpl-az", object: "chat.completion.chunk", created: 7, model: "gpt-4o" };
const pick = (delta, finish_reason = null) => ({
  ...AZ,
  choices: [{ index: 0, delta, finish_reason, logprobs: null }],
});
const CHUNKS = [
  pick({ role: "assistant", content: "" }),
  pick({ content: "Light" }),
  pick({ content: "houses ✨" }),
  pick({}, "stop"),
  { ...AZ, choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } },
];
const SSE = CHUNKS.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n";

/** The body a server on `lib` relays: `stream.toReadableStream()` of a chat.completions.stream(). */
function relay(lib) {
  const client = new lib.AzureOpenAI({
    endpoint: "https://relay.example.com",
    apiKey: "relay-switch-key",
    apiVersion: "2024-10-21",
    fetch: () =>
      Promise.resolve(new Response(SSE, { headers: { "content-type": "text/event-stream" } })),
  });
  return client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "hi" }],
    stream_options: { include_usage: true },
  }).toReadableStream();
}

/** What a page's listeners see: every event with the JSON of its arguments, then the finals. */
async function page(EventClass, body) {
  const stream = EventClass.fromReadableStream(body);
  const events = [];
  for (const name of EVENTS) {
    stream.on(name, (...args) => events.push([name, JSON.parse(JSON.stringify(args))]));
  }
  await stream.done();
  const completion = await stream.finalChatCompletion();
  return { events, content: await stream.finalContent(), usage: completion.usage };
}

test("both servers' toReadableStream() write the same JSON lines", async () => {
  const [sdk, edge] = await Promise.all(
    [openai, ours].map((lib) => new Response(relay(lib)).text()),
  );
  assert.equal(edge, sdk);
  assert.equal(edge, CHUNKS.map((c) => JSON.stringify(c) + "\n").join(""));
});

test("a page on either package reads a server on either: the same events as SDK to SDK", async () => {
  const expected = await page(SdkEventStream, relay(openai));
  assert.equal(expected.content, "Lighthouses ✨");
  // The SDK's `chunk` snapshot is its own; compare ours by name and chunk only.
  const strip = ({ events, ...rest }) => ({
    ...rest,
    events: events.map(([n, args]) => n == "chunk" ? [n, args[0]] : [n, args]),
  });
  for (const server of [openai, ours]) {
    for (
      const [name, EventClass] of [["SDK", SdkEventStream], [
        "ours",
        ours.ChatCompletionEventStream,
      ]]
    ) {
      const got = await page(EventClass, relay(server));
      assert.deepEqual(
        strip(got).events.map(([n]) => n),
        strip(expected).events.map(([n]) => n),
        `${name} page, ${server == ours ? "our" : "SDK"} server`,
      );
      assert.deepEqual(
        strip(got).events,
        strip(expected).events,
      );
      assert.equal(got.content, expected.content);
      assert.deepEqual(got.usage, expected.usage);
    }
  }
});

// runTools({ stream: true }) relayed: one tool round, then the answer. The runner's
// toReadableStream() writes both rounds' chunks and a message record for the tool message; a page
// rebuilding it (the SDK's ChatCompletionStream or ChatCompletionStreamingRunner, ours
// ChatCompletionEventStream or ChatCompletionStreamingRunner) sees each round as its own
// completion and the tool message.
const RUNNER_EVENTS = [...EVENTS, "functionToolCallResult", "finalFunctionToolCallResult"];
const round = (n, ...deltas) =>
  deltas.map(([delta, finish_reason = null]) => ({
    ...AZ,
    id: `chatcmpl-${n}`,
    created: n,
    choices: [{ index: 0, delta, finish_reason, logprobs: null }],
  })).concat({
    ...AZ,
    id: `chatcmpl-${n}`,
    created: n,
    choices: [],
    usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  });
const ROUNDS = [
  round(
    1,
    [{ role: "assistant", content: null }],
    [{
      tool_calls: [{
        index: 0,
        id: "call_1",
        type: "function",
        function: { name: "add", arguments: '{"a":1,' },
      }],
    }],
    [{ tool_calls: [{ index: 0, function: { arguments: '"b":2}' } }] }],
    [{}, "tool_calls"],
  ),
  round(2, [{ role: "assistant", content: "" }], [{ content: "It is " }], [{ content: "3" }], [
    {},
    "stop",
  ]),
];

/** The body a server on `lib` relays: a streamed runTools() runner's toReadableStream(). */
function runnerRelay(lib) {
  let n = 0;
  const client = new lib.AzureOpenAI({
    endpoint: "https://relay.example.com",
    apiKey: "relay-switch-key",
    apiVersion: "2024-10-21",
    fetch: () =>
      Promise.resolve(
        new Response(
          ROUNDS[n++].map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n",
          { headers: { "content-type": "text/event-stream" } },
        ),
      ),
  });
  return client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "1 + 2?" }],
    tools: [{
      type: "function",
      function: {
        name: "add",
        parameters: {},
        parse: JSON.parse,
        function: ({ a, b }) => a + b,
      },
    }],
    stream: true,
    stream_options: { include_usage: true },
  }).toReadableStream();
}

/** What a page's listeners see (the chunk snapshot left out, see above), then every final. */
async function runnerPage(from, body) {
  const stream = from(body);
  const events = [];
  for (const name of RUNNER_EVENTS) {
    stream.on(
      name,
      (...args) =>
        events.push([name, JSON.parse(JSON.stringify(name == "chunk" ? args[0] : args))]),
    );
  }
  const finals = await finalsOf(
    stream,
    (v) => v === undefined ? undefined : JSON.parse(JSON.stringify(v)),
    (e) => ({ error: e?.message }),
  );
  return { events, finals };
}

test("a streamed runTools() relay: both servers write the same JSON lines, a record per tool message", async () => {
  const [sdk, edge] = await Promise.all(
    [openai, ours].map((lib) => new Response(runnerRelay(lib)).text()),
  );
  assert.equal(edge, sdk);
  const lines = edge.trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, ROUNDS[0].length + 1 + ROUNDS[1].length);
  assert.match(lines[ROUNDS[0].length].object, /^chat\.completion\.chunk\.message:/);
});

test("a streamed runTools() relay: every page over every server sees the SDK page's events and finals", async () => {
  const PAGES = [
    ["SDK ChatCompletionStream", (b) => SdkEventStream.fromReadableStream(b)],
    ["SDK ChatCompletionStreamingRunner", (b) => SdkRunner.fromReadableStream(b)],
    ["our ChatCompletionEventStream", (b) => ours.ChatCompletionEventStream.fromReadableStream(b)],
    [
      "our ChatCompletionStreamingRunner",
      (b) => ours.ChatCompletionStreamingRunner.fromReadableStream(b),
    ],
  ];
  const expected = await runnerPage(PAGES[0][1], runnerRelay(openai));
  assert.equal(expected.finals.finalContent, "It is 3");
  assert.equal(expected.finals.finalFunctionToolCallResult, "3");
  assert.equal(expected.finals.allChatCompletions.length, 2);
  assert.deepEqual(expected.finals.messages.map((m) => m.role), ["assistant", "tool", "assistant"]);
  for (const server of [openai, ours]) {
    for (const [name, from] of PAGES) {
      const got = await runnerPage(from, runnerRelay(server));
      const where = `${name} page, ${server == ours ? "our" : "SDK"} server`;
      assert.deepEqual(got.events.map(([n]) => n), expected.events.map(([n]) => n), where);
      assert.deepEqual(got.events, expected.events, where);
      assert.deepEqual(got.finals, expected.finals, where);
    }
  }
  // The runner statics give runners, as the SDK's.
  assert.ok(
    ours.ChatCompletionStreamingRunner.fromReadableStream(runnerRelay(ours)) instanceof
      ours.ChatCompletionStreamingRunner,
  );
  assert.ok(SdkRunner.fromReadableStream(runnerRelay(openai)) instanceof SdkRunner);
});
