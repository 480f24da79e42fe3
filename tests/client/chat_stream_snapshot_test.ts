// chat.completions.stream()'s snapshot is one object updated in place by every chunk, as the
// openai SDK's (`chunk`'s second argument, `currentChatCompletionSnapshot`): a copy per chunk
// made a reply quadratic in its length (4,000 chunks with logprobs took 51 s against 0.1 s for
// create()'s stream; /tmp measurements in the commit message). A choice whose index skips one
// (only choice 1 streamed) is read too.
import assert from "node:assert/strict";
import { AzureOpenAI, type ChatCompletion } from "../../mod.ts";

const sse = (chunks: object[]) =>
  chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n";
const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };

function client(body: string) {
  return new AzureOpenAI({
    endpoint: "http://stream.local",
    apiKey: "k".repeat(32),
    fetch: () =>
      Promise.resolve(new Response(body, { headers: { "content-type": "text/event-stream" } })),
  });
}
const params = { model: "gpt-4o", messages: [{ role: "user" as const, content: "hi" }] };

Deno.test("stream(): every chunk event carries the same snapshot object, updated in place", async () => {
  const logprob = { token: "a", logprob: -0.1, bytes: [97], top_logprobs: [] };
  const chunks = ["He", "ll", "o"].map((content, i) => ({
    ...base,
    choices: [{
      index: 0,
      delta: { content },
      logprobs: { content: [logprob] },
      finish_reason: i == 2 ? "stop" : null,
    }],
  }));
  const snapshots: object[] = [];
  const contents: string[] = [];
  const current: boolean[] = [];
  const stream = client(sse(chunks)).chat.completions.stream(params)
    .on("chunk", (_, snapshot) => {
      snapshots.push(snapshot);
      contents.push(snapshot.choices[0].message.content!);
      current.push(stream.currentChatCompletionSnapshot == snapshot);
    });
  await stream.done();
  assert.deepEqual(contents, ["He", "Hell", "Hello"]);
  assert.equal(new Set(snapshots).size, 1);
  assert.deepEqual(current, [true, true, true]);
  assert.equal(
    (snapshots[0] as ChatCompletion).choices[0].logprobs!.content!.length,
    3,
  );
  // As the SDK's: none once the round ended.
  assert.equal(stream.currentChatCompletionSnapshot, undefined);
  // The final completion is a copy of its own.
  const final = await stream.finalChatCompletion();
  assert.notEqual(final, snapshots[0]);
  assert.equal(final.choices[0].message.content, "Hello");
});

Deno.test("stream(): a reply whose only choice has index 1 gives its events", async () => {
  const chunks = [
    { ...base, choices: [{ index: 1, delta: { role: "assistant", content: "Hi" } }] },
    { ...base, choices: [{ index: 1, delta: {}, finish_reason: "stop" }] },
  ];
  const deltas: string[] = [];
  const done: string[] = [];
  const stream = client(sse(chunks)).chat.completions.stream(params)
    .on("content", (delta) => deltas.push(delta))
    .on("content.done", ({ content }) => done.push(content));
  await stream.done();
  assert.deepEqual(deltas, ["Hi"]);
  assert.deepEqual(done, ["Hi"]);
});
