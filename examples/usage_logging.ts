// Token usage per call with logger(): `deno run -A examples/usage_logging.ts`
import { type LogEvent, logger } from "../src/middleware/mod.ts";
import { exampleClient } from "./_client.ts";

// Illustrative rates in USD per 1M tokens: put your deployments' prices here.
const RATES: Record<string, { prompt: number; completion: number }> = {
  "gpt-4o": { prompt: 2.5, completion: 10 },
  "text-embedding-3-small": { prompt: 0.02, completion: 0 },
};

// `done` comes once a call's body was read to its end: its usage, and for a stream the time to
// the first chunk (the time to first token).
const done: LogEvent[] = [];
const client = exampleClient(undefined, [
  logger({ onEvent: (event) => event.type === "done" && done.push(event) }),
]);

await client.chat.completions.create({
  model: "gpt-4o",
  messages: [{ role: "user", content: "Name one prime number." }],
});
await client.embeddings.create({
  model: "text-embedding-3-small",
  input: "The food was delicious",
});
const stream = await client.chat.completions.create({
  model: "gpt-4o",
  messages: [{ role: "user", content: "Tell me a short story about a lighthouse." }],
  stream: true,
  stream_options: { include_usage: true }, // without it a stream reports no usage
});
await stream.finalChatCompletion();

let total = 0;
for (const event of done) {
  const usage = event.usage;
  const rate = RATES[event.deployment ?? ""];
  const cost = usage && rate
    ? (usage.prompt_tokens * rate.prompt + (usage.completion_tokens ?? 0) * rate.completion) / 1e6
    : 0;
  total += cost;
  const ttft = event.firstChunkMs === undefined
    ? ""
    : `, first chunk ${event.firstChunkMs.toFixed(1)} ms`;
  console.log(
    `${event.operation}${event.stream ? " (stream)" : ""} ${event.deployment}: ` +
      `${usage?.prompt_tokens ?? "?"} in + ${usage?.completion_tokens ?? 0} out = ` +
      `${usage?.total_tokens ?? "?"} tokens, $${cost.toFixed(6)}` +
      ` (${event.durationMs?.toFixed(1)} ms${ttft})`,
  );
}
console.log(`${done.length} calls, $${total.toFixed(6)} in all`);
