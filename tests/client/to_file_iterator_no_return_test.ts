// An upload over its limit is an UploadTooLargeError (its `name` too, as logs and JSON show it),
// also from a hand-written async iterator that has no `return()` (cancelling the read must not
// call the missing method and turn the refusal into a TypeError). Mutation testing: dropping the
// name, or calling `chunks.return(...)` unguarded, survived every test.
import assert from "node:assert/strict";
import { AzureOpenAI, toFile, UploadTooLargeError } from "../../mod.ts";

/** An async iterable of `count` chunks of 1 MB whose iterator has only `next()`. */
function bare(count: number) {
  return {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        next: () =>
          Promise.resolve(
            i++ < count
              ? { done: false, value: new Uint8Array(1 << 20) }
              : { done: true, value: undefined },
          ),
      };
    },
  };
}

Deno.test("an upload over 25 MB from an async iterator without return() is an UploadTooLargeError named so", async () => {
  const sent: string[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-iterator-no-return-key-1234",
    fetch: (input) => {
      sent.push(String(input));
      return Promise.resolve(Response.json({ text: "" }));
    },
  });
  await assert.rejects(
    client.audio.transcriptions.create({
      model: "whisper",
      file: bare(30) as never,
      filename: "long.wav",
    }),
    (err: unknown) => {
      assert.ok(err instanceof UploadTooLargeError, String(err));
      assert.equal(err.name, "UploadTooLargeError");
      assert.match(
        String(err),
        /^UploadTooLargeError: audio\.transcriptions\.create: params\.file /,
      );
      return true;
    },
  );
  assert.deepEqual(sent, []);
});

Deno.test("toFile() reads an async iterator without return() to its end", async () => {
  const file = await toFile(bare(2) as never, "two.bin");
  assert.equal(file.size, 2 << 20);
  assert.equal(file.name, "two.bin");
});
