// chat.completions.stream().toReadableStream() read back with ChatCompletionStream.fromReadableStream()
// gives the completion the event stream gave, for Azure's shapes (a prompt-filter-only first chunk,
// n: 2 interleaved, an asynchronous filter's chunk without delta, a usage chunk with no choices),
// and an error mid-stream reaches the reader typed.
import assert from "node:assert/strict";
import { AzureOpenAI, ChatCompletionStream, InternalServerError } from "../../mod.ts";
import { startServer } from "../helpers/server.ts";

const SAFE = { hate: { filtered: false, severity: "safe" } };
const AZ = { id: "chatcmpl-az", object: "chat.completion.chunk", created: 7, model: "gpt-4o" };
const TOP = { id: "", object: "", created: 0, model: "" };
const pick = (index: number, delta: unknown, finish_reason: string | null = null) => ({
  ...AZ,
  choices: [{ index, delta, finish_reason, logprobs: null, content_filter_results: SAFE }],
});
const CHUNKS = [
  {
    ...TOP,
    choices: [],
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: SAFE }],
  },
  pick(0, { role: "assistant", content: "" }),
  pick(1, { role: "assistant", content: "" }),
  pick(0, { content: "One" }),
  pick(1, { content: "Two" }),
  pick(0, {}, "stop"),
  { ...TOP, choices: [{ index: 1, finish_reason: null, content_filter_results: SAFE }] },
  pick(1, {}, "stop"),
  { ...AZ, choices: [], usage: { completion_tokens: 2, prompt_tokens: 5, total_tokens: 7 } },
];
const sse = (chunks: unknown[], end = "data: [DONE]\n\n") =>
  chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + end;

async function serving(body: string) {
  const server = await startServer(() =>
    new Response(body, { headers: { "content-type": "text/event-stream" } })
  );
  return {
    server,
    client: new AzureOpenAI({ endpoint: server.url, apiKey: "k", maxRetries: 0 }),
  };
}

const PARAMS = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hi" }], n: 2 };

Deno.test("toReadableStream() read back by fromReadableStream() gives the same completion (Azure's shapes)", async () => {
  const { server, client } = await serving(sse(CHUNKS));
  await using _ = server;
  const stream = client.chat.completions.stream(PARAMS);
  const back = ChatCompletionStream.fromReadableStream(stream.toReadableStream());
  const [read, given] = await Promise.all([
    back.finalChatCompletion(),
    stream.finalChatCompletion(),
  ]);
  // The event stream's messages carry `parsed: null`, as the SDK's.
  for (const { message } of given.choices) delete (message as { parsed?: unknown }).parsed;
  assert.deepEqual(read, given);
  assert.deepEqual(read.choices.map((c) => c.message.content), ["One", "Two"]);
  assert.equal(read.usage?.total_tokens, 7);
  assert.equal(read.prompt_filter_results?.length, 1);
});

Deno.test("toReadableStream(): an error mid-stream reaches fromReadableStream()'s reader typed", async () => {
  const failing = '{"error":{"code":"server_error","message":"boom"}}';
  const { server, client } = await serving(sse(CHUNKS.slice(0, 4), `data: ${failing}\n\n`));
  await using _ = server;
  const stream = client.chat.completions.stream(PARAMS);
  const back = ChatCompletionStream.fromReadableStream(stream.toReadableStream());
  await assert.rejects(back.finalChatCompletion(), InternalServerError);
  await assert.rejects(stream.done(), InternalServerError);
});
