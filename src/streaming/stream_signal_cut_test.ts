// A stream under the caller's signal (its body guarded) whose body fails mid-way fails as one
// without a signal does: a cut (a TypeError, as Deno's fetch gives, or any other failure) is
// APIConnectionError saying how many chunks came, the failure as its cause (not the guard's
// "lost the connection" copy); a typed error of no cause the body failed with (a relay's, as a
// stream rebuilt from toReadableStream() gets) is thrown as it is.
import assert from "node:assert/strict";
import { Stream } from "./stream.ts";
import { APIConnectionError, AzureOpenAIError } from "../errors/mod.ts";

/** One event, then the body fails with `error`. */
function failing(error: unknown): Response {
  let pulls = 0;
  return new Response(
    new ReadableStream<Uint8Array>({
      pull(c) {
        if (pulls++) c.error(error);
        else c.enqueue(new TextEncoder().encode('data: {"n":1}\n\n'));
      },
    }, { highWaterMark: 0 }),
  );
}

async function read(stream: Stream<{ n: number }>, seen: number[]): Promise<void> {
  for await (const chunk of stream) seen.push(chunk.n);
}

for (const signal of [undefined, new AbortController().signal]) {
  const under = signal ? "under" : "without";
  for (const cause of [new TypeError("connection reset"), new RangeError("connection reset")]) {
    Deno.test(`Stream ${under} a caller's signal: a ${cause.name} mid-body says how many chunks came`, async () => {
      const operation = "chat.completions.create";
      const stream = new Stream<{ n: number }>(failing(cause), { signal, operation });
      const seen: number[] = [];
      await assert.rejects(
        read(stream, seen),
        (e) =>
          e instanceof APIConnectionError && e.cause === cause &&
          /^chat\.completions\.create \(POST\) stream broke after 1 chunks: connection reset/
            .test(e.message),
      );
      assert.deepEqual(seen, [1]);
    });
  }

  Deno.test(`Stream ${under} a caller's signal: a typed error of no cause the body failed with is thrown as it is`, async () => {
    const typed = new AzureOpenAIError("chat.completions.create stream failed upstream");
    const seen: number[] = [];
    await assert.rejects(read(new Stream(failing(typed), { signal }), seen), (e) => e === typed);
    assert.deepEqual(seen, [1]);
  });
}
