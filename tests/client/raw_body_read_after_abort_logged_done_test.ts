/**
 * A raw response (client.request(), not streamed) read to its end after the caller aborted, from a
 * fetch that ignored the signal: the body arrived whole, so logger() reports it `done` (with its
 * usage, not as a cancel). The deadline timeout() parked for the body is ended, not asked to
 * explain an error there was none of (it would name the caller's abort).
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { type LogEvent, logger } from "../../src/middleware/logger.ts";

Deno.test("a raw body read whole after the caller's abort is logged done, not cancelled", async () => {
  const events: LogEvent[] = [];
  const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "0123456789abcdef0123456789abcdef",
    maxRetries: 0,
    timeoutMs: 60_000,
    middleware: [logger({ onEvent: (e) => events.push(e) })],
    // Ignores the signal: the body is in memory.
    fetch: () => Promise.resolve(Response.json({ id: "x", choices: [], usage })),
  });
  const caller = new AbortController();
  const res = await client.request({
    path: "deployments/gpt/chat/completions",
    json: { messages: [{ role: "user", content: "hi" }] },
  }, { signal: caller.signal });
  caller.abort();
  assert.deepEqual((await res.json()).usage, usage);
  const done = events.filter((e) => e.type === "done");
  assert.equal(done.length, 1, `one done event in ${events.map((e) => e.type)}`);
  assert.equal(done[0].cancelled, undefined);
  assert.deepEqual(done[0].usage, usage);
  assert.equal(done[0].error, undefined);
});
