// How a stream's errors name it. One built by hand without `operation` said "stream (POST) stream
// ended…" and "stream stream (POST) failed…": the default name doubled the word the messages add,
// and the method was a guess (the request is unknown). It is "stream" alone now, with the
// response's url when it has one; a named stream (the client's) words them as before.
import assert from "node:assert/strict";
import { Stream } from "./stream.ts";

const CUT = 'data: {"n":1}\n\n';
const FAILED = 'event: error\ndata: {"error":{"code":"server_error","message":"boom"}}\n\n';

async function message(text: string, operation?: string, url?: string): Promise<string> {
  const response = new Response(text, { headers: { "content-type": "text/event-stream" } });
  if (url) Object.defineProperty(response, "url", { value: url });
  try {
    for await (const _ of new Stream(response, { operation }));
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail(`no error from ${text}`);
}

Deno.test("a Stream built without an operation names itself 'stream' once in its errors, with no guessed method", async () => {
  assert.equal(
    await message(CUT),
    "stream ended before [DONE] after 1 chunks; the connection was closed early, retry the request",
  );
  assert.equal(await message(FAILED), "stream failed with status 500 (code server_error): boom");
  assert.match(
    await message(CUT, undefined, "https://example.test/sse"),
    /^stream \(https:\/\/example\.test\/sse\) ended before \[DONE\]/,
  );
  assert.match(
    await message(FAILED, undefined, "https://example.test/sse"),
    /^stream \(https:\/\/example\.test\/sse\) failed with status 500/,
  );
});

Deno.test("a named Stream's errors keep the operation and the method", async () => {
  assert.match(
    await message(CUT, "chat.completions.create"),
    /^chat\.completions\.create \(POST\) stream ended before \[DONE\]/,
  );
  assert.match(
    await message(FAILED, "chat.completions.create"),
    /^chat\.completions\.create stream \(POST\) failed with status 500/,
  );
});
