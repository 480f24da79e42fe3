/**
 * logger()'s `done` event in isolation: exact times on an injected clock, the tail it keeps, the
 * read paths it follows, and what it does not report.
 */
import assert from "node:assert/strict";
import { compose } from "./compose.ts";
import { type LogEvent, logger, Tail } from "./logger.ts";
import { AzureOpenAI } from "../client.ts";
import { makeContext } from "../../tests/middleware/_context.ts";

const encoder = new TextEncoder();
const USAGE = '"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}';

/** A body sending `chunks`, moving `clock.t` by `step` before each (and before its end). */
function timedBody(chunks: string[], clock: { t: number }, step: number) {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      clock.t += step;
      if (i < chunks.length) c.enqueue(encoder.encode(chunks[i++]));
      else c.close();
    },
  }, { highWaterMark: 0 });
}

function run(response: () => Response, stream: boolean, clock = { t: 0 }) {
  const events: LogEvent[] = [];
  const call = compose(
    [logger({ onEvent: (e) => events.push(e), now: () => clock.t })],
    () => Promise.resolve(response()),
  );
  return { events, response: call(makeContext({ stream })) };
}

Deno.test("logger() done: a stream's firstChunkMs and durationMs on the injected clock", async () => {
  const clock = { t: 0 };
  const chunks = ['data: {"choices":[{"delta":{"content":"a"}}],"usage":null}\n\n'];
  chunks.push(`data: {"choices":[],${USAGE}}\n\n`, "data: [DONE]\n\n");
  const { events, response } = run(
    () =>
      new Response(timedBody(chunks, clock, 5), {
        headers: { "content-type": "text/event-stream" },
      }),
    true,
    clock,
  );
  const res = await response;
  clock.t = 100; // the headers came at 100: the first chunk is pulled at 105
  assert.deepEqual(events.map((e) => e.type), ["start", "end"]);
  const text = await new Response(res.body).text();
  assert.equal(text, chunks.join(""));
  const done = events[2];
  assert.equal(done.type, "done");
  assert.equal(done.firstChunkMs, 105);
  assert.equal(done.durationMs, 120); // three chunks and the end, 5 each
  assert.deepEqual(done.usage, { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
  assert.equal(events.length, 3);
});

Deno.test("logger() done: each read method gives the usage; blob gives none", async () => {
  const body = `{"id":"x","choices":[],${USAGE}}`;
  const usage = { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 };
  for (const method of ["text", "json", "arrayBuffer", "bytes", "blob", "body"] as const) {
    const { events, response } = run(() => Response.json(JSON.parse(body)), false);
    const res = await response;
    if (method === "body") await new Response(res.body).arrayBuffer();
    else await res[method]();
    assert.deepEqual(events.map((e) => e.type), ["start", "end", "done"], method);
    assert.deepEqual(events[2].usage, method === "blob" ? undefined : usage, method);
    assert.equal(events[2].firstChunkMs, undefined, `${method}: not a stream`);
  }
});

Deno.test("logger() done: a 204 is done at once; a body never read, cloned or failed is not", async () => {
  const nothing = run(() => new Response(null, { status: 204 }), false);
  await nothing.response;
  assert.deepEqual(nothing.events.map((e) => e.type), ["start", "end", "done"]);
  const unread = run(() => new Response("{}"), false);
  await unread.response;
  const cloned = run(() => new Response("{}"), false);
  (await cloned.response).clone();
  const failed = run(
    () =>
      new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(encoder.encode("{"));
            c.error(new TypeError("reset"));
          },
        }),
      ),
    false,
  );
  await assert.rejects((await failed.response).text(), /reset/);
  assert.deepEqual(unread.events.map((e) => e.type), ["start", "end"]);
  assert.deepEqual(cloned.events.map((e) => e.type), ["start", "end"]);
  assert.deepEqual(failed.events.map((e) => e.type), ["start", "end", "error"]);
});

Deno.test("logger() done: two loggers on one call both get done with the usage", async () => {
  const events: string[] = [];
  const call = compose(
    [
      logger({ onEvent: (e) => events.push(`outer ${e.type} ${e.usage?.total_tokens ?? ""}`) }),
      logger({ onEvent: (e) => events.push(`inner ${e.type} ${e.usage?.total_tokens ?? ""}`) }),
    ],
    () => Promise.resolve(Response.json(JSON.parse(`{${USAGE}}`))),
  );
  await (await call(makeContext())).text();
  assert.deepEqual(events.slice(4), ["inner done 10", "outer done 10"]);
});

Deno.test("logger() done: request() then json() on the default stack (timeout re-hooks the body)", async () => {
  const events: LogEvent[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: "key",
    fetch: () => Promise.resolve(Response.json(JSON.parse(`{"object":"list",${USAGE}}`))),
    middleware: [logger({ onEvent: (e) => events.push(e) })],
  });
  const res = await client.request({ path: "embeddings", deployment: "e", json: { input: "a" } });
  await res.json();
  assert.deepEqual(events.map((e) => e.type), ["start", "end", "done"]);
  assert.equal(events[2].usage?.total_tokens, 10);
});

Deno.test("logger() done: usage is the last usage object; null, strings and a cut object are not", () => {
  const tail = (text: string) => {
    const t = new Tail();
    t.push(encoder.encode(text));
    return t.usage();
  };
  assert.equal(tail('data: {"usage":null}\n\ndata: [DONE]\n\n'), undefined);
  assert.equal(tail('{"content":"say \\"usage\\": {\\"prompt_tokens\\":1}"}'), undefined);
  assert.equal(tail('{"usage":{"prompt_tokens":1,"total_tokens":'), undefined);
  assert.equal(tail('{"usage":{"type":"duration","seconds":3}}'), undefined);
  assert.deepEqual(
    tail(`data: {${USAGE}}\n\ndata: {"usage" : {"prompt_tokens":2,"total_tokens":2}}\n\n`),
    { prompt_tokens: 2, total_tokens: 2 },
  );
  assert.deepEqual(
    tail(
      '{"usage":{"type":"tokens","input_tokens":4,"input_token_details":{"text_tokens":1},' +
        '"output_tokens":5,"total_tokens":9}}',
    ),
    { prompt_tokens: 4, completion_tokens: 5, total_tokens: 9 },
  );
});

Deno.test("logger() done: the tail of a 10 MB body stays at most 16 KiB, in small or one big chunk", () => {
  const end = encoder.encode(`],${USAGE}}`);
  const filler = encoder.encode("0.123456789,".repeat(5_000)); // 60 KB
  for (const chunking of ["small", "big"]) {
    const tail = new Tail();
    const parts: Uint8Array[] = [encoder.encode('{"data":[')];
    for (let n = 0; n < 170; n++) parts.push(filler); // ~10.2 MB
    parts.push(end);
    if (chunking === "big") {
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) all.set(p, (at += p.length) - p.length);
      assert.ok(all.length > 10_000_000);
      tail.push(all);
      all.fill(0); // the consumer's bytes: the tail holds a copy
    } else {
      for (const p of parts) {
        // 1 KiB pieces, as a network might hand them
        for (let i = 0; i < p.length; i += 1024) tail.push(p.subarray(i, i + 1024));
      }
    }
    assert.ok(tail.buffer!.length <= 16 * 1024, `${chunking}: ${tail.buffer!.length}`);
    assert.ok(tail.length <= 16 * 1024);
    assert.deepEqual(tail.usage(), { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 });
  }
});
