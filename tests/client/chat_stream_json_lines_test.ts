// chat.completions.stream()'s toReadableStream() writes JSON lines as the openai SDK's
// ChatCompletionStream does, and ChatCompletionEventStream.fromReadableStream() (the SDK's
// ChatCompletionStream.fromReadableStream()) rebuilds the event stream on a page from such a body
// (ours, the SDK's, or an event stream).
import assert from "node:assert/strict";
import { APIUserAbortError, AzureOpenAI, ChatCompletionEventStream, Stream } from "../../mod.ts";
import { startServer } from "../helpers/server.ts";

const AZ = { id: "chatcmpl-1", object: "chat.completion.chunk", created: 7, model: "gpt-4o" };
const CHUNKS = [
  {
    ...AZ,
    choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
  },
  { ...AZ, choices: [{ index: 0, delta: { content: "Hel" }, finish_reason: null }] },
  { ...AZ, choices: [{ index: 0, delta: { content: "lo" }, finish_reason: null }] },
  { ...AZ, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] },
];
const SSE = CHUNKS.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n";
const LINES = CHUNKS.map((c) => JSON.stringify(c) + "\n").join("");
const PARAMS = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };

/** Event names and their first argument, as a page's listeners see them. */
function record(stream: ChatCompletionEventStream) {
  const seen: [string, unknown][] = [];
  for (const name of ["connect", "content", "content.done", "message", "finalContent", "end"]) {
    stream.on(name as "end", (arg?: unknown) => seen.push([name, arg]));
  }
  return seen;
}

Deno.test("stream().toReadableStream() writes each chunk's JSON on a line, as the SDK's", async () => {
  await using server = await startServer(() =>
    new Response(SSE, { headers: { "content-type": "text/event-stream" } })
  );
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: "k", maxRetries: 0 });
  const text = await new Response(client.chat.completions.stream(PARAMS).toReadableStream()).text();
  assert.equal(text, LINES);
});

for (
  const [name, body] of [["JSON lines", LINES], ["an event stream", SSE]] as const
) {
  Deno.test(`ChatCompletionEventStream.fromReadableStream() of ${name} gives the events and finals`, async () => {
    const stream = ChatCompletionEventStream.fromReadableStream(new Response(body).body!);
    const seen = record(stream);
    assert.equal(await stream.finalContent(), "Hello");
    assert.deepEqual(seen.map(([n]) => n), [
      "connect",
      "content",
      "content",
      "content.done",
      "message",
      "finalContent",
      "end",
    ]);
    assert.deepEqual(seen.filter(([n]) => n == "content").map(([, d]) => d), ["Hel", "lo"]);
    const completion = await stream.finalChatCompletion();
    assert.equal(completion.choices[0].finish_reason, "stop");
    assert.equal(stream.ended, true);
  });
}

Deno.test("ChatCompletionEventStream.fromReadableStream(): abort() cancels the body", async () => {
  let cancelled: unknown = "no";
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode(JSON.stringify(CHUNKS[0]) + "\n"));
    },
    cancel(reason) {
      cancelled = reason;
    },
  });
  const stream = ChatCompletionEventStream.fromReadableStream(body);
  stream.on("chunk", () => stream.abort());
  await assert.rejects(stream.done(), APIUserAbortError);
  assert.notEqual(cancelled, "no");
  assert.equal(stream.aborted, true);
});

Deno.test("a page's Stream reads what stream().toReadableStream() wrote", async () => {
  await using server = await startServer(() =>
    new Response(SSE, { headers: { "content-type": "text/event-stream" } })
  );
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: "k", maxRetries: 0 });
  const page = Stream.fromReadableStream(client.chat.completions.stream(PARAMS).toReadableStream());
  const got: unknown[] = [];
  for await (const chunk of page) got.push(chunk);
  assert.deepEqual(got, CHUNKS);
});
