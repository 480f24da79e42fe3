import assert from "node:assert/strict";
import { compose } from "./compose.ts";
import { type LogEvent, logger } from "./logger.ts";
import { CACHE_STATE_KEY } from "./_state.ts";
import { retry } from "./retry.ts";
import type { Middleware } from "./types.ts";
import { ClientCore } from "../_internal/core.ts";
import { InternalServerError } from "../errors/api_error.ts";
import type { AzureOpenAIOptions } from "../options.ts";
import { makeContext, recordingSleep } from "../../tests/middleware/_context.ts";
import { startServer } from "../../tests/helpers/server.ts";

function collect(): { events: LogEvent[]; onEvent: (e: LogEvent) => void } {
  const events: LogEvent[] = [];
  return { events, onEvent: (e) => events.push(e) };
}

Deno.test("logger() emits start and end with status, duration, request id and attempt", async () => {
  const { events, onEvent } = collect();
  let t = 100;
  const run = compose([logger({ onEvent, now: () => t })], () => {
    t = 142;
    return Promise.resolve(new Response("{}", { headers: { "apim-request-id": "r-1" } }));
  });
  await run(makeContext({ request: new Request("https://x.test/p?api-version=1&api-key=zz") }));
  assert.equal(events.length, 2);
  const [start, end] = events;
  assert.equal(start.type, "start");
  assert.equal(start.operation, "chat.completions.create");
  assert.equal(start.deployment, "d");
  assert.equal(start.method, "GET");
  assert.equal(start.url, "https://x.test/p?api-version=1&api-key=***");
  assert.equal(start.attempt, 1);
  assert.equal(end.type, "end");
  assert.equal(end.status, 200);
  assert.equal(end.durationMs, 42);
  assert.equal(end.requestId, "r-1");
  assert.equal(end.requestBody, undefined);
  assert.equal(end.responseBody, undefined);
});

Deno.test("logger() placed first reports the retry waits and the cache status", async () => {
  const { events, onEvent } = collect();
  const { sleep } = recordingSleep();
  let n = 0;
  const run = compose(
    [logger({ onEvent }), retry({ sleep, random: () => 0 })],
    () =>
      Promise.resolve(
        n++ === 0
          ? new Response("", { status: 429, headers: { "retry-after-ms": "1500" } })
          : new Response("{}", { headers: { "x-aoai-cache": "partial" } }),
      ),
  );
  await run(makeContext());
  assert.deepEqual(events.map((e) => e.type), ["start", "end"]);
  assert.equal(events[1].cache, "partial");
  assert.deepEqual(events[1].retries, [
    { attempt: 1, waitMs: 1500, serviceAsked: true, status: 429, error: undefined },
  ]);
});

Deno.test("logger() reads the cache status from ctx.state when there is no header", async () => {
  const { events, onEvent } = collect();
  const marker: Middleware = (ctx, next) => {
    ctx.state[CACHE_STATE_KEY] = "hit";
    return next();
  };
  await compose([logger({ onEvent }), marker], () => Promise.resolve(new Response("")))(
    makeContext(),
  );
  assert.equal(events[1].cache, "hit");
});

Deno.test("logger() placed after retry() logs once per attempt", async () => {
  const { events, onEvent } = collect();
  const { sleep } = recordingSleep();
  let n = 0;
  const run = compose(
    [retry({ sleep, random: () => 0 }), logger({ onEvent })],
    () => Promise.resolve(new Response("", { status: n++ < 2 ? 503 : 200 })),
  );
  await run(makeContext());
  const ends = events.filter((e) => e.type === "end");
  assert.deepEqual(ends.map((e) => [e.attempt, e.status]), [[1, 503], [2, 503], [3, 200]]);
});

Deno.test("logger() emits an error event and rethrows the same error", async () => {
  const { events, onEvent } = collect();
  const failure = new InternalServerError("boom", { status: 500, code: "x", requestId: "r-9" });
  const run = compose([logger({ onEvent })], () => Promise.reject(failure));
  await assert.rejects(run(makeContext()), (err) => err === failure);
  assert.equal(events[1].type, "error");
  assert.deepEqual(events[1].error, {
    name: "InternalServerError",
    message: "boom",
    status: 500,
    code: "x",
  });
  assert.equal(events[1].requestId, "r-9");
});

Deno.test("logger() ignores an onEvent that throws", async () => {
  const run = compose([logger({
    onEvent: () => {
      throw new Error("sink down");
    },
  })], () => Promise.resolve(new Response("ok")));
  assert.equal(await (await run(makeContext())).text(), "ok");
});

Deno.test("logger() masks credential fields and known secrets in bodies and truncates", async () => {
  const { events, onEvent } = collect();
  const body = JSON.stringify({
    messages: [{ role: "user", content: "my password is hunter2-long" }],
    data_sources: [{ parameters: { authentication: { type: "api_key", key: "search-key-1" } } }],
    max_tokens: 5,
  });
  const run = compose(
    [logger({ onEvent, logBodies: true, secrets: ["hunter2-long"], maxBodyChars: 10_000 })],
    () => Promise.resolve(Response.json({ echoed: "hunter2-long", api_key: "k2k2k2" })),
  );
  await run(makeContext({
    request: new Request("https://x.test/p", {
      method: "POST",
      body,
      headers: { "content-type": "application/json" },
    }),
  }));
  const text = JSON.stringify(events);
  assert.ok(!text.includes("hunter2-long"));
  assert.ok(!text.includes("search-key-1"));
  assert.ok(!text.includes("k2k2k2"));
  assert.match(events[0].requestBody ?? "", /"max_tokens":5/);
  assert.match(events[0].requestBody ?? "", /"key":"\*\*\*"/);
  assert.match(events[1].responseBody ?? "", /"echoed":"\*\*\*"/);

  const short = collect();
  await compose(
    [logger({ onEvent: short.onEvent, logBodies: true, maxBodyChars: 8 })],
    () =>
      Promise.resolve(new Response("x".repeat(50), { headers: { "content-type": "text/plain" } })),
  )(
    makeContext(),
  );
  assert.equal(short.events[1].responseBody, "xxxxxxxx… (50 chars)");
});

Deno.test("logger() never reads a streaming body and does not delay it", async () => {
  const { events, onEvent } = collect();
  let finish!: () => void;
  const done = new Promise<void>((r) => finish = r);
  const body = new ReadableStream<Uint8Array>({
    async start(c) {
      c.enqueue(new TextEncoder().encode("data: 1\n\n"));
      await done;
      c.close();
    },
  });
  const run = compose(
    [logger({ onEvent, logBodies: true })],
    () => Promise.resolve(new Response(body, { headers: { "content-type": "text/event-stream" } })),
  );
  const res = await run(makeContext({ stream: true }));
  // The end event was emitted while the stream is still open.
  assert.equal(events[1].type, "end");
  assert.equal(events[1].responseBody, undefined);
  finish();
  assert.equal(await res.text(), "data: 1\n\n");
});

const AUTH_MODES: [string, (secret: string) => Partial<AzureOpenAIOptions>][] = [
  ["apiKey", (s) => ({ apiKey: s })],
  ["token", (s) => ({ token: s })],
  ["tokenProvider", (s) => ({ tokenProvider: () => Promise.resolve(s) })],
];

for (const [mode, auth] of AUTH_MODES) {
  Deno.test(`logger() emits no secret in any event with ${mode} auth`, async () => {
    const secret = `sekret-${mode}-${crypto.randomUUID()}`;
    const searchKey = `search-${crypto.randomUUID()}`;
    let n = 0;
    // A hostile server: echoes the credential it received in headers and bodies, fails first.
    await using server = await startServer((req) => {
      const got = req.headers.get("api-key") ?? req.headers.get("authorization") ?? "";
      const status = n++ === 0 ? 500 : 200;
      return new Response(JSON.stringify({ error: { message: `bad ${got}` }, seen: got }), {
        status,
        headers: {
          "content-type": "application/json",
          "x-echo": got,
          "set-cookie": `s=${secret}`,
          "apim-request-id": `req-${n}`,
        },
      });
    });
    const { events, onEvent } = collect();
    const { sleep } = recordingSleep();
    let failNext = false;
    const core = new ClientCore({
      endpoint: server.url,
      ...auth(secret),
      maxRetries: 1,
      // A transport whose error message carries the credential (the worst case).
      fetch: (req, init) => {
        if (!failNext) return fetch(req, init);
        const got = req.headers.get("api-key") ?? req.headers.get("authorization");
        return Promise.reject(new TypeError(`connection reset while sending ${got}`));
      },
      middleware: [
        logger({ onEvent, logBodies: true, logHeaders: true }),
        retry({ sleep }),
        logger({ onEvent, logBodies: true, logHeaders: true }),
      ],
    });
    const call = {
      operation: "chat.completions.create",
      method: "POST" as const,
      scope: "deployment" as const,
      deployment: "gpt-4o",
      path: "chat/completions",
      json: {
        messages: [{ role: "user", content: "hi" }],
        data_sources: [{ parameters: { authentication: { type: "api_key", key: searchKey } } }],
      },
    };
    await core.send(call); // 500 then 200
    failNext = true;
    await assert.rejects(core.send({ ...call, options: { maxRetries: 0 } }), (err: unknown) => {
      assert.ok(!String(err).includes(secret));
      return true;
    });
    assert.ok(events.length >= 8, `expected events, got ${events.length}`);
    assert.ok(events.some((e) => e.type === "error"));
    assert.ok(events.some((e) => e.responseBody?.includes("***")), "response bodies were logged");
    for (const event of events) {
      const text = JSON.stringify(event);
      assert.ok(!text.includes(secret), `${mode} secret leaked in ${text}`);
      assert.ok(!text.includes(searchKey), `search key leaked in ${text}`);
    }
  });
}
