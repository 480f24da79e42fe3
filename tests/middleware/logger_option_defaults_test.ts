// logger()'s defaults and its error and streaming paths that no other test pinned: headers are
// off by default, bodies cut at 2,000 characters, an `undefined` among `secrets` (an unset
// environment variable) is skipped, an error that is not the SDK's is rethrown as it is.
import assert from "node:assert/strict";
import { compose } from "../../src/middleware/compose.ts";
import { type LogEvent, logger, type LoggerOptions } from "../../src/middleware/logger.ts";
import type { MiddlewareContext, Terminal } from "../../src/middleware/types.ts";
import { makeContext } from "./_context.ts";

async function run(
  options: LoggerOptions,
  terminal: Terminal,
  extra: Partial<MiddlewareContext> = {},
) {
  const events: LogEvent[] = [];
  const ctx = makeContext({
    request: new Request("https://x.test/openai/v1/chat/completions", {
      method: "POST",
      body: JSON.stringify({ text: "q".repeat(2_500) }),
      headers: { "content-type": "application/json", "x-note": "n" },
    }),
    ...extra,
  });
  let result: unknown;
  try {
    const res = await compose([logger({ onEvent: (e) => events.push(e), ...options })], terminal)(
      ctx,
    );
    // Through body (as a stream is read): the logger sees the chunks pass.
    const reader = res.body!.getReader();
    while (!(await reader.read()).done) { /* read on */ }
    result = res;
  } catch (err) {
    result = err;
  }
  return { events, result };
}

const ok = () => Promise.resolve(Response.json({ ok: true }, { headers: { "x-up": "u" } }));

Deno.test("logger() logs no headers unless logHeaders: true", async () => {
  const { events } = await run({}, ok);
  assert.deepEqual(events.map((e) => e.type), ["start", "end", "done"]);
  for (const e of events) {
    assert.equal(e.requestHeaders, undefined, e.type);
    assert.equal(e.responseHeaders, undefined, e.type);
  }
  const on = await run({ logHeaders: true }, ok);
  assert.equal(on.events[0].requestHeaders?.["x-note"], "n");
  assert.equal(on.events[1].responseHeaders?.["x-up"], "u");
});

Deno.test("logger() cuts logged bodies at 2,000 characters by default", async () => {
  const { events } = await run({ logBodies: true }, ok);
  const body = events[0].requestBody!;
  assert.equal(body.length, 2_000 + "… (2511 chars)".length, body.slice(-20));
  assert.ok(body.endsWith("q… (2511 chars)"));
  const longer = await run({ logBodies: true, maxBodyChars: 2_001 }, ok);
  assert.ok(longer.events[0].requestBody!.endsWith("qq… (2511 chars)"));
  assert.equal(longer.events[0].requestBody!.length, 2_001 + "… (2511 chars)".length);
});

Deno.test("logger() skips entries of secrets that are not strings (an unset env variable)", async () => {
  const secrets = [undefined, "", "sk-271828182845"] as string[];
  const { events } = await run(
    { secrets },
    () => Promise.resolve(new Response("denied sk-271828182845", { status: 403 })),
  );
  assert.deepEqual(events.map((e) => e.type), ["start", "end", "done"]);
  const logged = await run(
    { secrets, logBodies: true },
    () => Promise.resolve(new Response("denied sk-271828182845", { status: 403 })),
  );
  assert.equal(logged.events[1].responseBody, "denied ***");
});

Deno.test("logger() rethrows an error that is not the SDK's as it is, its event without status", async () => {
  let t = 10;
  const boom = Object.assign(new TypeError("socket hang up"), { status: 599, requestId: "x" });
  const { events, result } = await run({ now: () => t }, () => {
    t = 35;
    return Promise.reject(boom);
  });
  assert.equal(result, boom);
  const error = events[1];
  assert.equal(error.type, "error");
  assert.equal(error.status, undefined);
  assert.equal(error.requestId, undefined);
  assert.equal(error.durationMs, 25);
  assert.deepEqual(error.error, { name: "TypeError", message: "socket hang up" });
});

Deno.test("logger() treats a call as streamed when ctx.stream says so or the body is an event stream", async () => {
  const sse = () =>
    Promise.resolve(
      new Response("data: {}\n\ndata: [DONE]\n\n", {
        headers: { "content-type": "text/event-stream" },
      }),
    );
  let t = 0;
  const clock = () => t++;
  for (
    const [terminal, stream] of [[sse, false], [ok, true]] as const
  ) {
    const { events } = await run({ logBodies: true, now: clock }, terminal, { stream });
    const [, end, done] = events;
    assert.equal(end.responseBody, undefined, `stream ${stream}: a stream's body is not logged`);
    assert.equal(done.type, "done");
    assert.equal(typeof done.firstChunkMs, "number", `stream ${stream}`);
  }
  const plain = await run({ logBodies: true, now: clock }, ok, { stream: false });
  assert.equal(plain.events[1].responseBody, '{"ok":true}');
  assert.equal(plain.events[2].firstChunkMs, undefined);
});

Deno.test("logger() done: durationMs and firstChunkMs count from the call's start", async () => {
  let t = 1_000;
  const events: LogEvent[] = [];
  const ctx = makeContext({ stream: true });
  const res = await compose([logger({ onEvent: (e) => events.push(e), now: () => t })], () => {
    t = 1_030;
    return Promise.resolve(
      new Response("data: {}\n\ndata: [DONE]\n\n", {
        headers: { "content-type": "text/event-stream" },
      }),
    );
  })(ctx);
  t = 1_050;
  const reader = res.body!.getReader();
  await reader.read();
  t = 1_090;
  while (!(await reader.read()).done) { /* read on */ }
  const [, end, done] = events;
  assert.equal(end.durationMs, 30);
  assert.equal(done.type, "done");
  assert.equal(done.firstChunkMs, 50);
  assert.equal(done.durationMs, 90);
  assert.equal(events.length, 3, "one done");
});
