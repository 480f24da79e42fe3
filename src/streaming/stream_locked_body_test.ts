// A response whose body something else already reads cannot be streamed: the error says why and
// what to do, rather than the runtime's bare "locked" error.
import assert from "node:assert/strict";
import { Stream } from "./stream.ts";

Deno.test("Stream over a body already being read throws a TypeError that says so", async () => {
  const response = new Response('data: {"n":1}\n\ndata: [DONE]\n\n');
  const reader = response.body!.getReader();
  const stream = new Stream(response, { operation: "chat.completions.create" });
  await assert.rejects(
    stream.done(),
    (error: unknown) =>
      error instanceof TypeError &&
      /the response body is already being read; create one stream per response/.test(
        error.message,
      ),
  );
  await reader.cancel();
});
