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
import * as ours from "../.build/core.mjs";
import { CHAT_STREAM_EVENTS as EVENTS } from "./_chat_stream_events.mjs";

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
