// The streams as the client returns them, against the in-process emulator: the
// accumulated reply must equal the non-streamed reply for the same request.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../client.ts";
import { createEmulator } from "../emulator/mod.ts";
import type { EmulatorOptions } from "../emulator/mod.ts";
import { APIConnectionError, AzureOpenAIError } from "../errors/mod.ts";
import type { ChatCompletionCreateParams } from "../types/mod.ts";
import { ChatCompletionStream } from "./chat_completion_stream.ts";
import { CompletionStream } from "./completion_stream.ts";

function setup(options?: EmulatorOptions) {
  const emulator = createEmulator(options);
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: (request) => emulator.fetch(request),
  });
  return { emulator, client };
}

const WEATHER_TOOL = {
  type: "function",
  function: {
    name: "get_weather",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
} as const;

const CASES: Array<[string, ChatCompletionCreateParams]> = [
  ["plain", {
    model: "gpt-4o",
    messages: [{ role: "user", content: "Tell me about lighthouses" }],
  }],
  ["n=2 with logprobs", {
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hello there, how are you?" }],
    n: 2,
    logprobs: true,
    top_logprobs: 2,
  }],
  ["forced tool call", {
    model: "gpt-4o",
    messages: [{ role: "user", content: "Weather in Paris?" }],
    tools: [WEATHER_TOOL],
    tool_choice: "required",
  }],
];

for (const [name, params] of CASES) {
  Deno.test(`ChatCompletionStream.finalChatCompletion() equals the non-streamed reply (${name})`, async () => {
    // A fixed clock: the two calls must not straddle a second (their `created` would differ).
    const { client } = setup({ now: () => 1_700_000_000_000 });
    const plain = await client.chat.completions.create({ ...params, stream: false });
    const stream = await client.chat.completions.create({
      ...params,
      stream: true,
      stream_options: { include_usage: true },
    });
    assert.ok(stream instanceof ChatCompletionStream);
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.deepEqual(chunks[0].choices, []);
    assert.ok(chunks[0].prompt_filter_results !== undefined);
    const final = await stream.finalChatCompletion();
    // Ids are random per request: check their form, then compare everything else.
    assert.ok(final.id.startsWith("chatcmpl-"));
    final.id = plain.id;
    final.choices.forEach((choice, i) => {
      choice.message.tool_calls?.forEach((call, k) => {
        assert.match(call.id, /^call_/);
        call.id = plain.choices[i].message.tool_calls![k].id;
      });
    });
    assert.deepEqual(final, plain);
    if (name === "forced tool call") assert.ok(plain.choices[0].message.tool_calls!.length > 0);
  });
}

Deno.test("CompletionStream.finalCompletion() equals the non-streamed completion", async () => {
  const { client } = setup({ now: () => 1_700_000_000_000 });
  const params = { model: "gpt-35-turbo-instruct", prompt: "Once upon a time", max_tokens: 30 };
  const plain = await client.completions.create(params);
  const stream = await client.completions.create({
    ...params,
    stream: true,
    stream_options: { include_usage: true },
  });
  assert.ok(stream instanceof CompletionStream);
  const final = await stream.finalCompletion();
  assert.deepEqual({ ...final, id: plain.id }, plain);
});

Deno.test("ChatCompletionStream from the client: finalChatCompletion() beside toReadableStream() (the proxy pattern) leaves the proxied body whole", async () => {
  const { client } = setup({ chunkSize: 1 });
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Tell me about lighthouses" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  // As an edge handler does it: keep the final reply for a log or cache, proxy the stream.
  const final = stream.finalChatCompletion();
  const body = stream.toReadableStream();
  await new Promise((resolve) => setTimeout(resolve, 0)); // the runtime sends the body later
  const text = await new Response(body).text();
  assert.ok(text.endsWith("}\n"));
  // What the proxy's client receives folds into the same reply.
  const again = ChatCompletionStream.fromReadableStream(new Response(text).body!);
  assert.deepEqual(await again.finalChatCompletion(), await final);
  assert.ok((await final).choices[0].message.content);
});

Deno.test("CompletionStream from the client: finalCompletion() during a for await loop takes no chunk from it", async () => {
  const { client } = setup({ chunkSize: 1 });
  const stream = await client.completions.create({
    model: "gpt-35-turbo-instruct",
    prompt: "Once upon a time",
    max_tokens: 30,
    stream: true,
  });
  const final = stream.finalCompletion();
  let text = "";
  for await (const chunk of stream) {
    text += chunk.choices[0]?.text ?? "";
    await new Promise((resolve) => setTimeout(resolve, 0)); // a consumer doing some work
  }
  assert.equal(text, (await final).choices[0].text);
  assert.ok(text.length > 0);
});

Deno.test("ChatCompletionStream from the client cancels the emulator stream on break", async () => {
  const { client, emulator } = setup({ chunkSize: 1 });
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Write a long story about the sea and the wind" }],
    stream: true,
  });
  let n = 0;
  for await (const _ of stream) if (++n === 3) break;
  assert.equal(emulator.stats.cancelledStreams, 1);
  assert.equal(emulator.stats.streamsCompleted, 0);
});

Deno.test("ChatCompletionStream from the client surfaces a dropped emulator stream as APIConnectionError", async () => {
  const { client } = setup({ chunkSize: 1, faults: { dropStreamAfterChunks: 3 } });
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Write a long story about the sea" }],
    stream: true,
  });
  await assert.rejects(() => stream.finalChatCompletion(), APIConnectionError);
});

Deno.test("ChatCompletionStream from the client rejects a malformed chunk", async () => {
  const { client } = setup({ chunkSize: 1, faults: { malformedChunkAt: 2 } });
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Write a long story about the sea" }],
    stream: true,
  });
  await assert.rejects(() => stream.finalChatCompletion(), AzureOpenAIError);
});
