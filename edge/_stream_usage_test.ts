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

Deno.test("takesStreamOptions() is true for v1 and dated versions from 2024-08 on", () => {
  for (const v of ["v1", "2024-08-01-preview", "2024-10-21", "2025-04-01-preview", "preview"]) {
    assert.equal(takesStreamOptions(v), true, v);
  }
  for (const v of ["2024-07-01-preview", "2024-06-01", "2024-05-01-preview", "2024-02-01"]) {
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

const usageEvent = `data: {"id":"c","choices":[],"usage":${JSON.stringify(USAGE)}}`;

/** A body the test writes to, and what came out of `withoutUsageEvent()` so far. */
function pushed() {
  let source!: ReadableStreamDefaultController<Uint8Array>;
  let cancelled: unknown = "not cancelled";
  const body = new ReadableStream<Uint8Array>({
    start: (c) => void (source = c),
    cancel: (reason) => void (cancelled = reason),
  });
  const seen: unknown[] = [];
  const reader = withoutUsageEvent(body, (u) => seen.push(u)).getReader();
  let got = new Uint8Array(0);
  let closed = false;
  void (async () => {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      const more = new Uint8Array(got.length + next.value.length);
      more.set(got);
      more.set(next.value, got.length);
      got = more;
    }
    closed = true;
  })().catch(() => {});
  return {
    seen,
    reader,
    push: (text: string) => source.enqueue(encoder.encode(text)),
    close: () => source.close(),
    /** The bytes out so far, after a few task turns (bounded, no time threshold). */
    async out(): Promise<Uint8Array> {
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
      return got;
    },
    closed: () => closed,
    cancelled: () => cancelled,
  };
}

Deno.test("withoutUsageEvent() hands the bytes it keeps on as they came: a BOM, invalid UTF-8, a character cut at the end", async () => {
  const bytes = (...parts: Array<string | number[]>) => {
    const all = parts.flatMap((p) => typeof p === "string" ? [...encoder.encode(p)] : p);
    return new Uint8Array(all);
  };
  const upstream = bytes(
    [0xef, 0xbb, 0xbf],
    chunk("a") + "\n\n",
    'data: {"x":"',
    [0xff, 0xc3, 0x28, 0xe2, 0x82],
    '"}\n\n',
    usageEvent + "\n\n",
    "data: [DONE]\n\n",
    "data: ",
    [0xe2, 0x82],
  );
  const expected = bytes(
    [0xef, 0xbb, 0xbf],
    plain("a") + "\n\n",
    'data: {"x":"',
    [0xff, 0xc3, 0x28, 0xe2, 0x82],
    '"}\n\n',
    "data: [DONE]\n\n",
    "data: ",
    [0xe2, 0x82],
  );
  for (const size of [1, 2, 5, 4096]) {
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= upstream.length) return controller.close();
        controller.enqueue(upstream.slice(at, at += size));
      },
    });
    const seen: unknown[] = [];
    const out = new Uint8Array(
      await new Response(withoutUsageEvent(body, (u) => seen.push(u))).arrayBuffer(),
    );
    assert.deepEqual([...out], [...expected], `pieces of ${size}`);
    assert.deepEqual(seen, [USAGE]);
  }
});

Deno.test("withoutUsageEvent() hands an event on as soon as its blank line arrived, whatever its line ends", async () => {
  for (
    const [ending, rest] of [["\n\n", ""], ["\r\n\r\n", ""], ["\r\r", ""], ["\n\r\n", ""], [
      "\r\n\r",
      "\n",
    ]]
  ) {
    const p = pushed();
    const event = chunk("a").replace("data: ", "id: 1\nevent: delta\ndata: ");
    p.push(event + ending);
    const expected = plain("a").replace("data: ", "id: 1\nevent: delta\ndata: ") + ending;
    assert.equal(new TextDecoder().decode(await p.out()), expected, JSON.stringify(ending));
    p.push(rest + usageEvent + ending + rest + "data: [DONE]" + ending + rest);
    p.close();
    assert.equal(
      new TextDecoder().decode(await p.out()),
      expected + rest + "data: [DONE]" + ending + rest,
      `the usage event and its line ends are out (${JSON.stringify(ending)})`,
    );
    assert.deepEqual(p.seen, [USAGE]);
  }
});

Deno.test("withoutUsageEvent() holds at most a bounded part of an event that does not end", async () => {
  const p = pushed();
  const piece = "x".repeat(64 * 1024);
  p.push("data: ");
  for (let i = 0; i < 40; i++) p.push(piece);
  const out = await p.out();
  assert.ok(out.length > 0, "the client gets the bytes of an overlong event before it ends");
  assert.ok(!p.closed());
  p.push("\n\n" + usageEvent + "\n\n" + "data: [DONE]\n\n");
  p.close();
  const all = new TextDecoder().decode(await p.out());
  assert.equal(all, "data: " + piece.repeat(40) + "\n\ndata: [DONE]\n\n");
  assert.deepEqual(p.seen, [USAGE], "the events after it are looked at again");
});

Deno.test("withoutUsageEvent() cancels the upstream body when its reader cancels", async () => {
  const p = pushed();
  p.push(chunk("a") + "\n\n");
  await p.out();
  await p.reader.cancel("gone");
  assert.equal(p.cancelled(), "gone");
});

Deno.test("withoutUsageEvent() takes out only the usage-only event, in the shapes Azure sends", async () => {
  const filter = '{"prompt_index":0,"content_filter_results":{}}';
  const upstream = [
    // Azure's first chunk: no choices, prompt_filter_results, usage null (keys in order).
    `data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[${filter}],"usage":null}`,
    `data: {"choices":[{"delta":{"content":"\\"usage\\":null,"},"index":0}],"id":"c","usage":null}`,
    `data: {"usage":null,"choices":[{"delta":{"content":"x"},"index":0,"usage":{"total_tokens":1}}]}`,
    ": keep-alive",
    `data: {"choices":[],"created":1,"id":"c","model":"m","object":"chat.completion.chunk",\ndata: "system_fingerprint":"fp","usage":${
      JSON.stringify(USAGE)
    }}`,
    "data: [DONE]",
  ].join("\n\n") + "\n\n";
  const expected = [
    `data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[${filter}]}`,
    `data: {"choices":[{"delta":{"content":"\\"usage\\":null,"},"index":0}],"id":"c"}`,
    `data: {"choices":[{"delta":{"content":"x"},"index":0,"usage":{"total_tokens":1}}]}`,
    ": keep-alive",
    "data: [DONE]",
  ].join("\n\n") + "\n\n";
  for (const size of [1, 3, 4096]) {
    const seen: unknown[] = [];
    const out = withoutUsageEvent(pieces(upstream, size), (u) => seen.push(u));
    assert.equal(await new Response(out).text(), expected, `pieces of ${size}`);
    assert.deepEqual(seen, [USAGE]);
  }
});
