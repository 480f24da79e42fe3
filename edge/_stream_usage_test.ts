import assert from "node:assert/strict";
import { askingUsage, asksUsage, takesStreamOptions, withoutUsageEvent } from "./_stream_usage.ts";

const encoder = new TextEncoder();

/** `text` as a stream cut into pieces of `size` bytes (cutting multibyte characters too). */
function pieces(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = encoder.encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at += size));
    },
  });
}

const USAGE = { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 };
const chunk = (content: string) =>
  `data: {"id":"c","usage":null,"choices":[{"index":0,"delta":{"content":${
    JSON.stringify(content)
  }}}]}`;
const plain = (content: string) =>
  `data: {"id":"c","choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}}}]}`;

Deno.test("withoutUsageEvent() takes the usage-only event out and its nulls off, however the bytes are cut", async () => {
  for (const eol of ["\n", "\r\n"]) {
    const upstream = [
      chunk("héllo €"),
      chunk(' "usage":null, in text'),
      `data: {"id":"c","choices":[],"usage":${JSON.stringify(USAGE)}}`,
      "data: [DONE]",
    ].join(eol + eol) + eol + eol;
    const expected = [plain("héllo €"), plain(' "usage":null, in text'), "data: [DONE]"]
      .join(eol + eol) + eol + eol;
    for (const size of [1, 2, 3, 7, 64, 4096]) {
      const seen: unknown[] = [];
      const out = withoutUsageEvent(pieces(upstream, size), (u) => seen.push(u));
      assert.equal(await new Response(out).text(), expected, `eol ${JSON.stringify(eol)}, ${size}`);
      assert.deepEqual(seen, [USAGE]);
    }
  }
});

Deno.test("withoutUsageEvent() passes through a stream with no usage-only event, and a cut last event", async () => {
  const upstream = [
    plain("a"),
    `data: {"id":"c","choices":[{"index":0,"delta":{}}],"usage":${JSON.stringify(USAGE)}}`,
    ": a comment",
    "data: [DONE]",
  ].join("\n\n") + '\n\ndata: {"cut';
  const seen: unknown[] = [];
  const out = withoutUsageEvent(pieces(upstream, 5), (u) => seen.push(u));
  assert.equal(await new Response(out).text(), upstream);
  assert.deepEqual(seen, [], "usage beside choices is not a usage-only event");
});

Deno.test("takesStreamOptions() is true for v1 and dated versions from 2024-06 on", () => {
  for (const v of ["v1", "2024-06-01", "2024-10-21", "2025-04-01-preview", "preview"]) {
    assert.equal(takesStreamOptions(v), true, v);
  }
  for (const v of ["2024-05-01-preview", "2024-02-01", "2023-05-15"]) {
    assert.equal(takesStreamOptions(v), false, v);
  }
});

Deno.test("askingUsage() keeps the other stream options and leaves the body as it was", () => {
  const body = { stream: true, stream_options: { other: 1 } };
  assert.deepEqual(askingUsage(body), {
    stream: true,
    stream_options: { other: 1, include_usage: true },
  });
  assert.deepEqual(body, { stream: true, stream_options: { other: 1 } });
  assert.deepEqual(askingUsage({ stream: true, stream_options: null }).stream_options, {
    include_usage: true,
  });
  assert.equal(asksUsage(body), false);
  assert.equal(asksUsage({ stream_options: { include_usage: true } }), true);
  assert.equal(asksUsage({ stream_options: { include_usage: "yes" } }), false);
});
