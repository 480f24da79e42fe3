// `fromReadableStream()` of a body the openai SDK's `toReadableStream()` wrote (newline-delimited
// JSON, one chunk per line, no `[DONE]`): a page switched to this package reads a server still on
// the SDK, as the SDK's own `fromReadableStream()` does.
import assert from "node:assert/strict";
import { APIConnectionError, ChatCompletionStream, ContentFilterError, Stream } from "../../mod.ts";

const chunk = (content: string, extra: Record<string, unknown> = {}) => ({
  id: "c1",
  object: "chat.completion.chunk",
  created: 1,
  model: "gpt-4o",
  choices: [{ index: 0, delta: { content }, finish_reason: null, logprobs: null }],
  ...extra,
});
const CHUNKS = [
  chunk("héllo "),
  chunk("wörld 🌍\nnext line"),
  {
    ...chunk(""),
    choices: [{ index: 0, delta: {}, finish_reason: "stop", logprobs: null }],
    usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
  },
];
/** What the SDK's toReadableStream() writes: each chunk's JSON and a line break. */
const JSON_LINES = CHUNKS.map((c) => JSON.stringify(c) + "\n").join("");
const SSE = CHUNKS.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + "data: [DONE]\n\n";

/** A body of `text`'s bytes in pieces of the given sizes (cycled), multi-byte characters split. */
function body(text: string, sizes: number[]): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0, i = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const n = sizes[i++ % sizes.length];
      controller.enqueue(bytes.slice(at, at += n));
    },
  });
}

for (const sizes of [[1 << 20], [1], [7, 1, 3], [2, 50, 5]]) {
  Deno.test(`fromReadableStream() reads the SDK's newline-delimited JSON as it reads events (pieces ${sizes})`, async () => {
    const got: unknown[] = [];
    const stream = ChatCompletionStream.fromReadableStream(body(JSON_LINES, sizes));
    for await (const c of stream) got.push(c);
    assert.deepEqual(got, CHUNKS);
    const fromLines = await ChatCompletionStream.fromReadableStream(body(JSON_LINES, sizes))
      .finalChatCompletion();
    const fromEvents = await ChatCompletionStream.fromReadableStream(body(SSE, sizes))
      .finalChatCompletion();
    assert.deepEqual(fromLines, fromEvents);
    assert.equal(fromLines.choices[0].message.content, "héllo wörld 🌍\nnext line");
    assert.equal(fromLines.usage?.total_tokens, 7);
  });
}

for (
  const [name, text] of [
    ["a last line without its line break", JSON_LINES.trimEnd()],
    ["a line cut mid-way", JSON_LINES.slice(0, JSON_LINES.length - 20)],
    ["a line cut after a colon", JSON_LINES.slice(0, JSON_LINES.lastIndexOf(":") + 1)],
  ]
) {
  Deno.test(`fromReadableStream() of JSON lines: ${name} is a cut stream, after the whole lines`, async () => {
    const got: unknown[] = [];
    await assert.rejects(
      (async () => {
        for await (const c of Stream.fromReadableStream(body(text, [13, 1]))) got.push(c);
      })(),
      (err) => {
        assert.ok(err instanceof APIConnectionError, String(err));
        assert.match(err.message, /ended before \[DONE\] after 2 chunks/);
        return true;
      },
    );
    assert.deepEqual(got, CHUNKS.slice(0, 2));
  });
}

Deno.test("fromReadableStream() of JSON lines: an error line throws the typed error after the chunks before it", async () => {
  const error = {
    error: { code: "content_filter", message: "filtered", status: 400 },
  };
  const text = JSON.stringify(CHUNKS[0]) + "\n" + JSON.stringify(error) + "\n";
  const got: unknown[] = [];
  await assert.rejects(
    (async () => {
      for await (const c of ChatCompletionStream.fromReadableStream(body(text, [5]))) got.push(c);
    })(),
    ContentFilterError,
  );
  assert.deepEqual(got, [CHUNKS[0]]);
});

Deno.test("fromReadableStream() of JSON lines: blank lines are skipped, a line that is no object fails", async () => {
  const got: unknown[] = [];
  const text = JSON.stringify(CHUNKS[0]) + "\n\n" + JSON.stringify(CHUNKS[1]) + "\n";
  for await (const c of Stream.fromReadableStream(body(text, [4]))) got.push(c);
  assert.deepEqual(got, CHUNKS.slice(0, 2));
  await assert.rejects(
    Stream.fromReadableStream(body(JSON.stringify(CHUNKS[0]) + "\n[1,2]\n", [100])).done(),
    /not a JSON object \(\[1,2\]\)/,
  );
});

Deno.test("fromReadableStream() of JSON lines: blanks before the first line (keep-alive line breaks) are skipped, as the SDK skips them", async () => {
  // A relay that sends line breaks while it waits for the first chunk, each in a piece of its
  // own, then the lines; and a first line indented by blanks.
  for (const [lead, sizes] of [["\n", [1]], ["\r\n\n", [1, 2, 300]], [" \t", [300]]] as const) {
    const got: unknown[] = [];
    for await (const c of Stream.fromReadableStream(body(lead + JSON_LINES, [...sizes]))) {
      got.push(c);
    }
    assert.deepEqual(got, CHUNKS, JSON.stringify(lead));
  }
  // Blanks alone are no stream: it ended before its first chunk.
  await assert.rejects(
    Stream.fromReadableStream(body("\n\n  \n", [1])).done(),
    /ended before \[DONE\] after 0 chunks/,
  );
  // An event stream after blank lines reads as before.
  const got: unknown[] = [];
  for await (const c of Stream.fromReadableStream(body("\n\n" + SSE, [1, 7]))) got.push(c);
  assert.deepEqual(got, CHUNKS);
});

for (const type of ["application/x-ndjson", "application/jsonl; charset=utf-8"]) {
  Deno.test(`JSON lines typed ${type} are read too`, async () => {
    const got: unknown[] = [];
    const typed = new Response(JSON_LINES, { headers: { "content-type": type } });
    for await (const c of new Stream(typed)) got.push(c);
    assert.deepEqual(got, CHUNKS);
  });
}

Deno.test("a body typed otherwise that starts with `{` is no stream (a gateway's reply), not a chunk", async () => {
  // A gateway's JSON under the event stream's type (APIM's shape, no `error` member).
  const gateway = '{"statusCode":429,"message":"Rate limit is exceeded."}\n';
  for (
    const [type, text, message] of [
      ["text/event-stream", gateway, /ended before \[DONE\] after 0 chunks/],
      ["text/event-stream", JSON_LINES, /ended before \[DONE\] after 0 chunks/],
      ["text/plain", JSON_LINES, /got text\/plain, not an event stream/],
      ["application/json; charset=utf-8", JSON_LINES, /got application\/json; charset=utf-8, not/],
      ["text/html", JSON_LINES, /got text\/html, not an event stream/],
    ]
  ) {
    const got: unknown[] = [];
    await assert.rejects(
      (async () => {
        const typed = new Response(text as string, { headers: { "content-type": type as string } });
        for await (const c of new Stream(typed)) got.push(c);
      })(),
      (err) => {
        assert.ok(err instanceof APIConnectionError, String(err));
        assert.match(err.message, message as RegExp);
        return true;
      },
    );
    assert.deepEqual(got, [], type as string);
  }
});
