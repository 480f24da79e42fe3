// ServerSentEventParser's maxBufferSize error shows a wrong value as the client's option errors
// do: a string quoted, a long one (a key pasted there by mistake) masked. Before, it printed the
// value raw: `got abc`, and a pasted key in full.
import assert from "node:assert/strict";
import { ServerSentEventParser, ServerSentEventParserStream } from "../../mod.ts";

const key = "sk-sse-max-buffer-size-secret-0123456789abcdef";

Deno.test("maxBufferSize: a string is quoted, a long one masked, in the parser's and the stream's error", () => {
  for (
    const make of [
      (max: unknown) => new ServerSentEventParser(() => {}, { maxBufferSize: max as number }),
      (max: unknown) => new ServerSentEventParserStream({ maxBufferSize: max as number }),
    ]
  ) {
    for (const [value, shown] of [["abc", '"abc"'], [key, '"***"'], [-1, "-1"]] as const) {
      assert.throws(() => make(value), (err: Error) => {
        assert.ok(err instanceof RangeError, String(err));
        assert.equal(
          err.message,
          `maxBufferSize must be a positive number of characters, got ${shown}`,
        );
        return true;
      });
    }
  }
});
