// chat.completions.stream(): `logprobs.content.delta` / `logprobs.refusal.delta` for each chunk
// with such logprobs, with the chunk's and the choice's so far, as the SDK's; a refusal's text
// gives `refusal.delta` only (no `refusal` event: `content` has no refusal twin in the SDK).
// (The SDK 6.49 gives the first chunk's tokens twice, in its `content` too: its snapshot starts as
// that chunk's own array and then appends the chunk to it; ours does not.)
import assert from "node:assert/strict";
import { clientStreaming } from "./_helpers.ts";

const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
const tok = (token: string) => ({ token, logprob: -0.5, bytes: null, top_logprobs: [] });
const piece = (delta: object, logprobs: object | null, finish_reason: string | null = null) =>
  `data: ${
    JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs, finish_reason }] })
  }\n\n`;

function stream(body: string) {
  const client = clientStreaming(body);
  return client.chat.completions.stream({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    logprobs: true,
  });
}

/** The events named, in order, each with a copy of its first argument as it was then (the
 * snapshot arrays are the live ones, as the SDK's). */
function record(s: ReturnType<typeof stream>, names: string[]) {
  const seen: [string, unknown][] = [];
  for (const name of names) {
    s.on(
      name as never,
      ((arg: unknown) => seen.push([name, structuredClone(arg)])) as never,
    );
  }
  return seen;
}

Deno.test("stream(): logprobs.content.delta per chunk with the choice's logprobs so far", async () => {
  const s = stream(
    piece({ role: "assistant", content: "Hi" }, { content: [tok("Hi")], refusal: null }) +
      piece({ content: " you" }, { content: [tok(" you")], refusal: null }) +
      piece({}, null, "stop") + "data: [DONE]\n\n",
  );
  const seen = record(s, ["logprobs.content.delta", "logprobs.refusal.delta"]);
  await s.done();
  assert.deepEqual(seen, [
    ["logprobs.content.delta", { content: [tok("Hi")], snapshot: [tok("Hi")] }],
    ["logprobs.content.delta", { content: [tok(" you")], snapshot: [tok("Hi"), tok(" you")] }],
  ]);
});

Deno.test("stream(): a refusal: refusal.delta and logprobs.refusal.delta, no refusal event", async () => {
  const s = stream(
    piece({ role: "assistant", refusal: "No" }, { content: null, refusal: [tok("No")] }) +
      piece({ refusal: "pe" }, { content: null, refusal: [tok("pe")] }) +
      piece({}, null, "stop") + "data: [DONE]\n\n",
  );
  const seen = record(s, [
    "refusal",
    "refusal.delta",
    "logprobs.content.delta",
    "logprobs.refusal.delta",
  ]);
  await s.done();
  assert.deepEqual(seen, [
    ["refusal.delta", { delta: "No", snapshot: "No" }],
    ["logprobs.refusal.delta", { refusal: [tok("No")], snapshot: [tok("No")] }],
    ["refusal.delta", { delta: "pe", snapshot: "Nope" }],
    ["logprobs.refusal.delta", { refusal: [tok("pe")], snapshot: [tok("No"), tok("pe")] }],
  ]);
});
