/**
 * logger()'s `done` event under hostile use: responses the client hands on (streams read to
 * `[DONE]`, a locked body), usage the body only seems to carry (a transcription's text), the
 * tail released once done, a gateway echoing the key, retries, and bodies never read. Real
 * emulator, real local servers.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator, type EmulatorOptions } from "../../src/emulator/mod.ts";
import { compose } from "../../src/middleware/compose.ts";
import { type LogEvent, logger, Tail } from "../../src/middleware/logger.ts";
import { retry } from "../../src/middleware/retry.ts";
import type { Middleware } from "../../src/middleware/types.ts";
import { startServer } from "../helpers/server.ts";
import { makeContext } from "./_context.ts";

const MESSAGES = [{ role: "user" as const, content: "one two three four" }];

function setup(
  options: EmulatorOptions = {},
  stack: (log: Middleware) => Middleware[] = (log) => [log],
  timeoutMs?: number,
) {
  const emulator = createEmulator(options);
  const events: LogEvent[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: emulator.fetch,
    timeoutMs,
    middleware: stack(logger({ onEvent: (e) => events.push(e) })),
  });
  const dones = () => events.filter((e) => e.type === "done");
  return { emulator, events, client, dones };
}

Deno.test("logger() done: a stream read to [DONE] is not cancelled (for await, finalChatCompletion, toReadableStream, tee)", async () => {
  for (const how of ["for await", "final", "toReadableStream", "tee"]) {
    const { client, dones } = setup();
    const stream = await client.chat.completions.create({
      model: "gpt-4o",
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    if (how === "for await") { for await (const _ of stream) { /* on */ } }
    else if (how === "final") await stream.finalChatCompletion();
    else if (how === "toReadableStream") await new Response(stream.toReadableStream()).text();
    else {
      const [a, b] = stream.tee();
      for await (const _ of a) { /* on */ }
      for await (const _ of b) { /* on */ }
    }
    const [done, ...more] = dones();
    assert.equal(more.length, 0, how);
    assert.equal(done.cancelled, undefined, `${how}: read to [DONE], not cancelled`);
    assert.ok(done.usage!.total_tokens > 0, how);
    assert.ok(done.firstChunkMs !== undefined, how);
  }
  // Leaving early still is a cancel, with the usage only if its chunk had passed.
  const { client, dones } = setup();
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: MESSAGES,
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const _ of stream) break;
  assert.equal(dones()[0].cancelled, true);
  assert.equal(dones()[0].usage, undefined);
});

Deno.test("logger() done: a raw event stream whose body ends at [DONE] unread is cancelled only before it", async () => {
  const body =
    'data: {"choices":[],"usage":{"prompt_tokens":1,"total_tokens":3}}\n\ndata: [DONE]\n\n';
  for (
    const [chunks, cancelled] of [[[body], undefined], [[body.slice(0, 40), body], true]] as const
  ) {
    const events: LogEvent[] = [];
    const call = compose(
      [logger({ onEvent: (e) => events.push(e) })],
      () =>
        Promise.resolve(
          new Response(
            new ReadableStream({
              start(c) {
                for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk));
              },
            }),
            { headers: { "content-type": "text/event-stream" } },
          ),
        ),
    );
    const reader = (await call(makeContext({ stream: true }))).body!.getReader();
    await reader.read();
    await reader.cancel();
    assert.equal(events[2].type, "done");
    assert.equal(events[2].cancelled, cancelled, `${chunks.length} chunks`);
  }
});

Deno.test("logger() done: a transcription's text reply gives no usage, whatever its text says", async () => {
  const said = 'he said "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 999}';
  for (const response_format of ["text", "srt", "vtt"] as const) {
    const { client, dones } = setup({
      transcript: said,
      deployments: [{ name: "t4o", model: "gpt-4o-transcribe" }, {
        name: "whisper",
        model: "whisper",
      }],
    });
    const file = new File([new Uint8Array(64)], "memo.wav", { type: "audio/wav" });
    const text = await client.audio.transcriptions.create({
      model: "whisper",
      file,
      response_format,
    });
    assert.ok(String(text).includes('"total_tokens": 999'), response_format);
    assert.equal(dones()[0].usage, undefined, response_format);
  }
  // The same text inside a JSON reply is escaped: the real usage is taken.
  const { client, dones } = setup({ script: () => ({ content: said }) });
  const reply = await client.chat.completions.create({ model: "gpt-4o", messages: MESSAGES });
  assert.equal(reply.choices[0].message.content, said);
  assert.equal(dones()[0].usage!.total_tokens, reply.usage!.total_tokens);
  assert.notEqual(reply.usage!.total_tokens, 999);
});

Deno.test("logger() done: text() after body.getReader() rejects as on a plain Response (body locked)", async () => {
  const plain = new Response("{}");
  plain.body!.getReader();
  await assert.rejects(plain.text(), TypeError);
  for (const timeoutMs of [undefined, 0]) {
    const { client, dones } = setup({}, undefined, timeoutMs);
    const res = await client.request({
      path: "chat/completions",
      deployment: "gpt-4o",
      json: { messages: MESSAGES },
    });
    const reader = res.body!.getReader();
    await assert.rejects(res.text(), TypeError, `timeoutMs ${timeoutMs}`);
    // The reader still has the whole body, and the call is done once it ends.
    let text = "";
    const decoder = new TextDecoder();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      text += decoder.decode(next.value, { stream: true });
    }
    assert.ok(JSON.parse(text).usage.total_tokens > 0);
    assert.equal(res.bodyUsed, true);
    await assert.rejects(res.json(), TypeError);
    assert.equal(dones().length, 1);
    assert.equal(dones()[0].usage!.total_tokens, JSON.parse(text).usage.total_tokens);
  }
  // Taken but not read yet: text() reads it (as a plain Response), and the call is done.
  const { client, dones } = setup();
  const res = await client.request({
    path: "chat/completions",
    deployment: "gpt-4o",
    json: { messages: MESSAGES },
  });
  const body = res.body;
  assert.equal(res.body, body);
  assert.ok(JSON.parse(await res.text()).usage);
  assert.equal(res.bodyUsed, true);
  assert.equal(dones().length, 1);
  assert.ok(dones()[0].usage);
});

Deno.test("logger() done: the 16 KiB tail is let go once done (read to its end or cancelled)", async () => {
  const tails: Tail[] = [];
  const push = Tail.prototype.push;
  Tail.prototype.push = function (this: Tail, chunk: Uint8Array) {
    if (!tails.includes(this)) tails.push(this);
    return push.call(this, chunk);
  };
  try {
    const { client, dones } = setup();
    const kept: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const stream = await client.chat.completions.create({
        model: "gpt-4o",
        messages: MESSAGES,
        stream: true,
        stream_options: { include_usage: true },
      });
      if (i === 0) await stream.finalChatCompletion();
      else if (i === 1) { for await (const _ of stream) break; }
      else {
        const res = await client.request({
          path: "embeddings",
          deployment: "text-embedding-3-small",
          json: { input: "a" },
        });
        await new Response(res.body).arrayBuffer();
        kept.push(res);
        await stream.finalChatCompletion();
      }
      kept.push(stream); // the caller keeps them: the tails must not stay with them
    }
    assert.equal(dones().length, 4);
    assert.equal(tails.length, 4);
    for (const tail of tails) assert.equal(tail.buffer, undefined);
  } finally {
    Tail.prototype.push = push;
  }
});

Deno.test("logger() done: a gateway echoing the api-key at the body's end puts no key in done", async () => {
  const key = "k3y-" + "s".repeat(28);
  await using server = await startServer((seen) =>
    new Response(
      `{"object":"list","data":[],"usage":{"prompt_tokens":1,"total_tokens":1},` +
        `"echo":{"api-key":"${seen.headers.get("api-key")}","usage":"${key}"}}`,
      { headers: { "content-type": "application/json", "x-request-id": "r1" } },
    )
  );
  const events: LogEvent[] = [];
  const client = new AzureOpenAI({
    endpoint: server.url,
    apiKey: key,
    middleware: [logger({ onEvent: (e) => events.push(e) })],
  });
  const res = await client.request({ path: "embeddings", deployment: "e", json: { input: "a" } });
  await new Response(res.body).text();
  const done = events.find((e) => e.type === "done")!;
  assert.deepEqual(done.usage, { prompt_tokens: 1, total_tokens: 1 });
  assert.ok(!JSON.stringify(events).includes(key));
  assert.ok(!JSON.stringify(events).includes("s".repeat(8)));
});

Deno.test("logger() done: inside retry(), each discarded attempt's body is done as cancelled, without usage", async () => {
  const { client, events } = setup(
    { faults: { failNext: { count: 2, status: 429 }, retryAfterMs: 1 } },
    (log) => [retry({ sleep: () => Promise.resolve() }), log],
  );
  await client.embeddings.create({ model: "text-embedding-3-small", input: "a" });
  const seen = events.map((e) =>
    `${e.type} ${e.status ?? ""}${e.cancelled ? " cancelled" : ""}${e.usage ? " usage" : ""}`
  );
  assert.deepEqual(seen, [
    "start ",
    "end 429",
    "done 429 cancelled",
    "start ",
    "end 429",
    "done 429 cancelled",
    "start ",
    "end 200",
    "done 200 usage",
  ]);
  // Outside retry(): one call, one done.
  const outside = setup({ faults: { failNext: { count: 2, status: 429 }, retryAfterMs: 1 } });
  await outside.client.embeddings.create({ model: "text-embedding-3-small", input: "a" });
  assert.deepEqual(outside.events.map((e) => e.type), ["start", "end", "done"]);
  assert.equal(outside.events[1].retries?.length, 2);
});

Deno.test("logger() done: 1,000 calls with bodies never read: no done, no listener left by the logger", async () => {
  /** Net listeners each stack leaves on the caller's signal, and the events it logged. */
  const run = async (withLogger: boolean) => {
    const events: LogEvent[] = [];
    const emulator = createEmulator();
    const client = new AzureOpenAI({
      endpoint: "http://emulator.local",
      apiKey: emulator.apiKey,
      fetch: emulator.fetch,
      middleware: withLogger ? [logger({ onEvent: (e) => events.push(e) })] : [],
    });
    const signal = new AbortController().signal;
    let listeners = 0;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (...args: Parameters<typeof add>) => (listeners++, add(...args));
    signal.removeEventListener = (...args: Parameters<typeof remove>) => (
      listeners--, remove(...args)
    );
    for (let i = 0; i < 1_000; i++) {
      const res = await client.request(
        { path: "embeddings", deployment: "text-embedding-3-small", json: { input: "a" } },
        { signal },
      );
      assert.equal(res.status, 200);
    }
    return { events, listeners };
  };
  const bare = await run(false);
  const logged = await run(true);
  assert.equal(logged.listeners, bare.listeners);
  assert.equal(logged.events.length, 2_000);
  assert.ok(logged.events.every((e) => e.type === "start" || e.type === "end"));
});

Deno.test("logger() done: usage off the tail: boundaries, UTF-8 cut at its start, odd counts, [DONE] after it", () => {
  const encoder = new TextEncoder();
  const usageOf = (...chunks: string[]) => {
    const tail = new Tail();
    for (const chunk of chunks) tail.push(encoder.encode(chunk));
    return tail.usage();
  };
  const usage = '"usage":{"prompt_tokens":2,"completion_tokens":3,"total_tokens":5}';
  const counts = { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 };
  // The usage chunk, then [DONE], in one chunk or three.
  const sse = `data: {"choices":[],${usage}}\n\ndata: [DONE]\n\n`;
  assert.deepEqual(usageOf(sse), counts);
  assert.deepEqual(usageOf(sse.slice(0, 30), sse.slice(30, 60), sse.slice(60)), counts);
  // A usage cut by the 8 KiB boundary is not guessed at; one just inside it is read.
  const pad = (n: number) => "x".repeat(n);
  const body = `{"a":"${pad(9_000)}",${usage}}`;
  assert.deepEqual(usageOf(body), counts);
  const cut = `{${usage},"b":"${pad(8 * 1024 - 40)}"}`;
  assert.equal(usageOf(cut), undefined);
  // Multi-byte characters cut at the tail's start (and a huge single chunk).
  const wide = `{"a":"${"é€😀".repeat(4_000)}",${usage}}`;
  for (let shift = 0; shift < 4; shift++) {
    assert.deepEqual(usageOf(wide + " ".repeat(shift)), counts, `shift ${shift}`);
  }
  // No count that is not a finite, non-negative number.
  for (const bad of ["-1", "1e999", '"5"', "null", "true"]) {
    assert.equal(
      usageOf(`{"usage":{"prompt_tokens":1,"total_tokens":${bad}}}`),
      undefined,
      bad,
    );
  }
  // Text that only looks like a usage key, escaped in a JSON string, then a real one earlier.
  assert.deepEqual(
    usageOf(`{${usage},"c":"\\"usage\\": {\\"prompt_tokens\\":9,\\"total_tokens\\":999}"}`),
    counts,
  );
});
