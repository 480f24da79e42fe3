/**
 * One long streamed chat reply read whole through `chat.completions.create({ stream: true })` +
 * `finalChatCompletion()` and through `chat.completions.stream()` with a `content` listener +
 * `finalChatCompletion()`, fetch stubbed (the same SSE bytes each time), two rounds: what each
 * chunk costs `stream()`'s events beyond the accumulator. A snapshot copied per chunk made
 * `stream()` quadratic (4,000 chunks with top-5 logprobs: 51 s; d515920).
 *
 * Run: `deno run -A bench/stream_events_cost.ts [chunks=3000] [logprobs]`
 *
 * @module
 */
import { AzureOpenAI } from "../mod.ts";
import { countArgs } from "./_args.ts";
const USAGE = "usage: deno run -A bench/stream_events_cost.ts [chunks=3000] [logprobs]";
const withLogprobs = Deno.args[1] === "logprobs";
if (Deno.args[1] !== undefined && !withLogprobs) throw new Error(`'${Deno.args[1]}': ${USAGE}`);
const [N] = countArgs(Deno.args.slice(0, 1), [3000], USAGE);
const enc = new TextEncoder();
let body = "";
for (let i = 0; i < N; i++) {
  const tok = {
    token: "ab",
    logprob: -0.1,
    bytes: [97, 98],
    top_logprobs: Array.from(
      { length: 5 },
      () => ({ token: "ab", logprob: -0.2, bytes: [97, 98] }),
    ),
  };
  const chunk = {
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{
      index: 0,
      delta: { content: "ab" },
      finish_reason: i == N - 1 ? "stop" : null,
      logprobs: withLogprobs ? { content: [tok] } : null,
    }],
  };
  body += `data: ${JSON.stringify(chunk)}\n\n`;
}
body += "data: [DONE]\n\n";
const bytes = enc.encode(body);
const client = new AzureOpenAI({
  endpoint: "http://x.local",
  apiKey: "k".repeat(32),
  fetch: () =>
    Promise.resolve(new Response(bytes, { headers: { "content-type": "text/event-stream" } })),
});
const params = { model: "m", messages: [{ role: "user" as const, content: "hi" }] };
for (const round of [1, 2]) {
  let t = performance.now();
  const s = await client.chat.completions.create({ ...params, stream: true });
  await s.finalChatCompletion();
  const a = performance.now() - t;
  t = performance.now();
  const es = client.chat.completions.stream(params).on("content", () => {});
  await es.finalChatCompletion();
  const b = performance.now() - t;
  console.log(
    `round ${round}: ${N} chunks${withLogprobs ? " with logprobs" : ""}: create()+final ${
      a.toFixed(1)
    } ms, stream()+final ${b.toFixed(1)} ms`,
  );
}
