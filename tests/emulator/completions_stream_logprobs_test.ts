import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { chunksOf, post, readSse } from "../../src/emulator/_testing.ts";
import { CompletionAccumulator } from "../../src/streaming/completion_accumulator.ts";
import type { CompletionChunk } from "../../src/types/mod.ts";

const PATH = "/openai/deployments/gpt-35-turbo-instruct/completions";

Deno.test("a streamed legacy completion with logprobs accumulates to the non-streamed choices (empty reply, stop, echo, n > 1)", async () => {
  const e = createEmulator();
  const bodies: Record<string, unknown>[] = [
    { prompt: "The quick brown fox", logprobs: 2 },
    { prompt: "The quick brown fox", logprobs: 0 },
    // `stop` cuts the whole reply: the text is "" and the logprobs arrays are empty.
    { prompt: "The quick brown fox", logprobs: 2, stop: "You" },
    { prompt: ["a", "b"], n: 2, logprobs: 1, stop: "You" },
    { prompt: "The quick brown fox", logprobs: 1, max_tokens: 0 },
    { prompt: "Hi.", logprobs: 3, echo: true, stop: "You" },
    { prompt: "The quick brown fox", stop: "You" },
    { prompt: "The quick brown fox" },
  ];
  for (const body of bodies) {
    const what = JSON.stringify(body);
    const plain = await (await post(e, PATH, body)).json();
    const res = await post(e, PATH, { ...body, stream: true });
    assert.equal(res.status, 200, what);
    const acc = new CompletionAccumulator();
    for (const chunk of chunksOf(await readSse(res))) {
      acc.add(chunk as unknown as CompletionChunk);
    }
    const streamed = acc.result();
    assert.equal(streamed.choices.length, plain.choices.length, what);
    const strip = (choices: Record<string, unknown>[]) =>
      choices.map(({ index, text, finish_reason, logprobs }) => ({
        index,
        text,
        finish_reason,
        logprobs,
      }));
    assert.deepEqual(
      strip(streamed.choices as unknown as Record<string, unknown>[]),
      strip(plain.choices),
      what,
    );
  }
});
