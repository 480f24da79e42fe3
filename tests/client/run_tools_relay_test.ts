// runTools({ stream: true }) relayed to a page, as the openai SDK's: the runner's
// toReadableStream() writes the chunks of every round and a message record for each tool message
// (a chunk-shaped line whose `object` is "chat.completion.chunk.message:" + its JSON), and
// fromReadableStream() ends a completion at a record or a new chunk id, so the page sees each
// round as its own completion and the tool messages (they were merged into one completion).
import assert from "node:assert/strict";
import {
  AzureOpenAI,
  AzureOpenAIError,
  type ChatCompletionChunk,
  ChatCompletionEventStream,
  ChatCompletionStreamingRunner,
} from "../../mod.ts";

const head = (round: number) => ({
  id: `chatcmpl-${round}`,
  object: "chat.completion.chunk",
  created: round,
  model: "gpt-4o",
});
const pick = (round: number, delta: object, finish_reason: string | null = null) => ({
  ...head(round),
  choices: [{ index: 0, delta, finish_reason }],
});
const ROUNDS = [
  [
    pick(1, { role: "assistant", content: null }),
    pick(1, {
      tool_calls: [{
        index: 0,
        id: "call_a",
        type: "function",
        function: { name: "add", arguments: '{"a":1,' },
      }],
    }),
    pick(1, { tool_calls: [{ index: 0, function: { arguments: '"b":2}' } }] }),
    pick(1, {}, "tool_calls"),
  ],
  [
    pick(2, { role: "assistant", content: "" }),
    pick(2, { content: "It is " }),
    pick(2, { content: "3" }),
    pick(2, {}, "stop"),
  ],
];
const TOOL = { role: "tool", tool_call_id: "call_a", content: "3" };
/** The SDK's message record: its key order too. */
const RECORD = {
  id: "chatcmpl-1",
  choices: [],
  created: 1,
  model: "gpt-4o",
  object: "chat.completion.chunk.message:" +
    JSON.stringify({ type: "message", message: TOOL, tool_call_ids: ["call_a"] }),
};
const lines = (items: object[]) => items.map((c) => JSON.stringify(c) + "\n").join("");
/** What the runner's toReadableStream() writes, as the SDK 6.49's does. */
const RELAY = lines([...ROUNDS[0], RECORD, ...ROUNDS[1]]);

function runner() {
  let round = 0;
  const client = new AzureOpenAI({
    endpoint: "https://relay.example.com",
    apiKey: "k",
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(
        new Response(
          ROUNDS[round++].map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") +
            "data: [DONE]\n\n",
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
        function: ({ a, b }: { a: number; b: number }) => a + b,
      },
    }],
    stream: true,
  });
}

/** Events by name (content with its delta), then the finals. */
async function page(stream: ChatCompletionEventStream) {
  const events: unknown[] = [];
  for (const name of ["connect", "content", "message", "functionToolCall", "chatCompletion"]) {
    stream.on(name as "end", (arg?: unknown) => {
      const { id, role, content } = (arg ?? {}) as Record<string, unknown>;
      events.push(
        name == "content"
          ? [name, arg]
          : name == "chatCompletion"
          ? [name, id]
          : arg
          ? [name, role ?? arg]
          : [name],
      );
      void content;
    });
  }
  await stream.done();
  return {
    events,
    completions: stream.allChatCompletions().map((c) => [
      c.id,
      c.choices[0].message.content,
      c.choices[0].message.tool_calls?.map((t) => [t.id, t.function.arguments]),
    ]),
    messages: stream.messages.map((m) => m.role),
    content: await stream.finalContent(),
    result: await stream.finalFunctionToolCallResult(),
  };
}

Deno.test("runTools({ stream: true }).toReadableStream() writes each round's chunks and a record per tool message", async () => {
  assert.equal(await new Response(runner().toReadableStream()).text(), RELAY);
});

Deno.test("fromReadableStream() of a runner relay: each round its own completion, the tool message added", async () => {
  const expected = {
    events: [
      ["connect"],
      ["chatCompletion", "chatcmpl-1"],
      ["message", "assistant"],
      ["functionToolCall", { name: "add", arguments: '{"a":1,"b":2}' }],
      ["message", "tool"],
      ["content", "It is "],
      ["content", "3"],
      ["chatCompletion", "chatcmpl-2"],
      ["message", "assistant"],
    ],
    completions: [
      ["chatcmpl-1", null, [["call_a", '{"a":1,"b":2}']]],
      ["chatcmpl-2", "It is 3", undefined],
    ],
    messages: ["assistant", "tool", "assistant"],
    content: "It is 3",
    result: "3",
  };
  for (const Class of [ChatCompletionEventStream, ChatCompletionStreamingRunner]) {
    const stream = Class.fromReadableStream(new Response(RELAY).body!);
    assert.ok(stream instanceof Class);
    assert.deepEqual(await page(stream), expected);
  }
  // Relayed live: the same.
  assert.deepEqual(
    await page(ChatCompletionStreamingRunner.fromReadableStream(runner().toReadableStream())),
    expected,
  );
});

Deno.test("fromReadableStream(): a record's tool_call_ids restore the calls' ids; a new chunk id starts a completion", async () => {
  // Round 1 without its call id (a relay that lost it): the record names it.
  const [first, call, ...rest] = ROUNDS[0];
  const noId = structuredClone(call) as ChatCompletionChunk;
  delete noId.choices[0].delta!.tool_calls![0].id;
  const stream = ChatCompletionEventStream.fromReadableStream(
    new Response(lines([first, noId, ...rest, RECORD, ...ROUNDS[1], ...ROUNDS[0]])).body!,
  );
  const got = await page(stream);
  assert.deepEqual(got.completions, [
    ["chatcmpl-1", null, [["call_a", '{"a":1,"b":2}']]],
    ["chatcmpl-2", "It is 3", undefined],
    ["chatcmpl-1", null, [["call_a", '{"a":1,"b":2}']]],
  ]);
  assert.deepEqual(got.messages, ["assistant", "tool", "assistant", "assistant"]);
});

Deno.test("fromReadableStream(): a body ending with a record ends with the last completion; an empty body is an error", async () => {
  const stream = ChatCompletionEventStream.fromReadableStream(
    new Response(lines([...ROUNDS[0], RECORD])).body!,
  );
  assert.equal((await stream.finalChatCompletion()).id, "chatcmpl-1");
  assert.equal(await stream.finalFunctionToolCallResult(), "3");
  assert.equal(stream.allChatCompletions().length, 1);
  // (The SDK says "request ended without sending any chunks"; ours, that it ended after 0.)
  const empty = ChatCompletionEventStream.fromReadableStream(new Response("").body!);
  await assert.rejects(empty.done(), AzureOpenAIError);
  assert.equal(empty.allChatCompletions().length, 0);
});
