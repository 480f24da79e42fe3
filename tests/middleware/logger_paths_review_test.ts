/**
 * logger() against issue 4 along each path of a call: the events and their fields, and no
 * credential in any event, for each auth mode (apiKey, token, tokenProvider, apiKeyAuth() /
 * tokenAuth() given as middleware, an edge app's client key in defaultHeaders or per-call headers).
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import type { AzureOpenAIOptions } from "../../src/options.ts";
import { apiKeyAuth, tokenAuth } from "../../src/auth/auth_middleware.ts";
import { createEmulator, type Emulator } from "../../src/emulator/mod.ts";
import { type LogEvent, logger } from "../../src/middleware/logger.ts";
import { retry } from "../../src/middleware/retry.ts";
import { cache } from "../../src/middleware/cache.ts";
import { rateLimit } from "../../src/middleware/rate_limit.ts";
import { MemoryCache } from "../../src/cache/memory_cache.ts";
import type { Middleware } from "../../src/middleware/types.ts";

const CHAT = { model: "gpt-4o", messages: [{ role: "user" as const, content: "hello there" }] };
const STREAM = { ...CHAT, stream: true as const, stream_options: { include_usage: true } };
const noSleep = () => Promise.resolve();

/** Auth modes: the client options for a credential, and the edge client key sent beside it. */
const MODES: [string, (secret: string, clientKey: string) => Partial<AzureOpenAIOptions>][] = [
  ["apiKey", (s) => ({ apiKey: s })],
  ["token", (s) => ({ token: s })],
  ["tokenProvider", (s) => ({ tokenProvider: () => Promise.resolve(s) })],
  ["apiKeyAuth()", (s) => ({ middleware: [apiKeyAuth(s)] })],
  ["tokenAuth()", (s) => ({ middleware: [tokenAuth(() => s)] })],
  [
    "client key in defaultHeaders",
    (s, k) => ({ apiKey: s, defaultHeaders: { "x-edge-client-key": k } }),
  ],
];

/** A client on `emulator` (with its key) behind `middleware`. */
const onEmulator = (emulator: Emulator, middleware: Middleware[]) =>
  new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: emulator.fetch,
    middleware,
  });

/** `type` and `attempt` of each event, e.g. `start1 end1 done1`. */
const trail = (events: LogEvent[]) => events.map((e) => `${e.type}${e.attempt}`).join(" ");

for (const [mode, auth] of MODES) {
  Deno.test(`logger() paths: no credential in any event on any path (${mode})`, async () => {
    const secret = `sk-${crypto.randomUUID()}`;
    const clientKey = `ck-${crypto.randomUUID()}`;
    const emulator = createEmulator({ apiKeys: [secret] });
    const events: LogEvent[] = [];
    const onEvent = (e: LogEvent) => events.push(e);
    const options = auth(secret, clientKey);
    // The credential and the client key sent echoed in every reply, its header and its body (a
    // hostile gateway).
    const echo: Middleware = async (ctx, next) => {
      const sent = ctx.request.headers.get("x-edge-client-key") ?? "";
      const res = await next();
      const headers = new Headers(res.headers);
      headers.set("x-echo", `${secret} ${sent}`);
      if (!/json/.test(headers.get("content-type") ?? "")) {
        return new Response(res.body, { status: res.status, headers });
      }
      const body = await res.json();
      return Response.json({ ...body, echo: [secret, sent] }, { status: res.status, headers });
    };
    const client = new AzureOpenAI({
      endpoint: "http://emulator.local",
      fetch: emulator.fetch,
      ...options,
      middleware: [
        logger({ onEvent, logHeaders: true, logBodies: true }),
        retry({ sleep: noSleep }),
        logger({ onEvent, logHeaders: true, logBodies: true }),
        ...(options.middleware ?? []),
        echo,
      ],
    });
    const perCall = { headers: { "x-edge-client-key": clientKey } };
    // A retried call, a stream read to its end, one broken out of, a relay, tee(), asResponse(),
    // withResponse(), speech, and calls that fail: a 404, an abort, a connection error.
    emulator.failNext(1, 503);
    await client.chat.completions.create(CHAT, perCall);
    for await (const _ of await client.chat.completions.create(STREAM, perCall)) { /* all */ }
    for await (const _ of await client.chat.completions.create(STREAM)) break;
    const relayed = (await client.chat.completions.create(STREAM)).toReadableStream();
    await new Response(relayed).text();
    const [a, b] = (await client.chat.completions.create(STREAM)).tee();
    for await (const _ of a) { /* all */ }
    for await (const _ of b) { /* all */ }
    await (await client.chat.completions.create(CHAT).asResponse()).json();
    await client.chat.completions.create(CHAT, perCall).withResponse();
    const speech = await client.audio.speech.create({ model: "tts", input: "hi", voice: "alloy" });
    await speech.arrayBuffer();
    await assert.rejects(client.chat.completions.create({ ...CHAT, model: "nope" }), /404/);
    const gone = new AbortController();
    gone.abort();
    await assert.rejects(client.chat.completions.create(CHAT, { signal: gone.signal }));
    const down = new AzureOpenAI({
      endpoint: "http://emulator.local",
      ...options,
      maxRetries: 1,
      fetch: (input: RequestInfo | URL, init?: RequestInit) => {
        const headers = new Headers(init?.headers ?? (input as Request).headers);
        const sent = `${headers.get("api-key")} ${headers.get("authorization")}`;
        return Promise.reject(new TypeError(`connection reset sending ${sent}`));
      },
      middleware: [
        logger({ onEvent, logHeaders: true }),
        retry({ sleep: noSleep }),
        logger({ onEvent, logHeaders: true }),
        ...(options.middleware ?? []),
      ],
    });
    await assert.rejects(down.chat.completions.create(CHAT, perCall), /connection reset/);

    assert.ok(events.some((e) => e.responseHeaders?.["x-echo"] === "*** ***"), "echo logged");
    assert.ok(events.some((e) => e.responseBody?.includes('"echo":["***","***"]')), "body logged");
    assert.ok(events.some((e) => e.type === "error" && /connection reset/.test(e.error!.message)));
    for (const event of events) {
      const text = JSON.stringify(event);
      assert.ok(!text.includes(secret), `${mode}: credential in ${text}`);
      assert.ok(!text.includes(clientKey), `${mode}: client key in ${text}`);
    }
  });
}

Deno.test("logger() paths: a retried call: one start outside retry(), one per attempt inside, the final status", async () => {
  const emulator = createEmulator();
  const outer: LogEvent[] = [];
  const inner: LogEvent[] = [];
  const client = onEmulator(emulator, [
    logger({ onEvent: (e) => outer.push(e) }),
    retry({ sleep: noSleep }),
    logger({ onEvent: (e) => inner.push(e) }),
  ]);
  emulator.failNext(2, 503);
  await client.chat.completions.create(CHAT);
  assert.equal(trail(outer), "start1 end1 done1");
  assert.deepEqual(outer.map((e) => e.status), [undefined, 200, 200]);
  assert.deepEqual(outer[1].retries?.map((r) => [r.attempt, r.status]), [[1, 503], [2, 503]]);
  assert.equal(trail(inner), "start1 end1 done1 start2 end2 done2 start3 end3 done3");
  assert.deepEqual(inner.filter((e) => e.type === "end").map((e) => e.status), [503, 503, 200]);
  // Each discarded attempt's body was cancelled by retry(); the last one was read.
  assert.deepEqual(inner.filter((e) => e.type === "done").map((e) => e.cancelled), [
    true,
    true,
    undefined,
  ]);
  assert.equal(outer[2].usage?.total_tokens, inner[8].usage?.total_tokens);
  assert.equal(outer[1].requestId, inner[7].requestId);

  // Retries used up: `end` with the last status, no usage, no error event from the logger.
  outer.length = inner.length = 0;
  emulator.failNext(3, 500);
  await assert.rejects(client.chat.completions.create(CHAT, { maxRetries: 2 }), /500/);
  assert.equal(trail(outer), "start1 end1 done1");
  assert.equal(outer[1].status, 500);
  assert.equal(outer[1].retries?.length, 2);
});

Deno.test("logger() paths: an attempt's deadline, the caller's abort and a connection error end in `error`", async () => {
  const emulator = createEmulator();
  const events: LogEvent[] = [];
  let calls = 0;
  // Answers only once its signal aborts (with the abort), or fails to connect (`refuse`).
  let refuse = false;
  const hang = (_input: RequestInfo | URL, init?: RequestInit) => {
    calls++;
    if (refuse) return Promise.reject(new TypeError("connection refused"));
    return new Promise<Response>((_, reject) => {
      init?.signal?.addEventListener("abort", () => reject(init.signal!.reason));
    });
  };
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: hang,
    maxRetries: 0,
    middleware: [logger({ onEvent: (e) => events.push(e) })],
  });
  await assert.rejects(client.chat.completions.create(CHAT, { timeoutMs: 1 }), {
    name: "APITimeoutError",
  });
  const caller = new AbortController();
  const call = client.chat.completions.create(CHAT, { signal: caller.signal });
  while (calls < 2) await new Promise((r) => setTimeout(r, 0));
  caller.abort();
  await assert.rejects(call, { name: "APIUserAbortError" });
  refuse = true;
  await assert.rejects(client.chat.completions.create(CHAT), { name: "APIConnectionError" });
  assert.equal(trail(events), "start1 error1 start1 error1 start1 error1");
  const errors = events.filter((e) => e.type === "error");
  assert.deepEqual(errors.map((e) => e.error?.name), [
    "APITimeoutError",
    "APIUserAbortError",
    "APIConnectionError",
  ]);
  for (const e of errors) {
    assert.equal(typeof e.durationMs, "number");
    assert.equal(e.status, undefined);
    assert.equal(e.operation, "chat.completions.create");
  }
});

Deno.test("logger() paths: a call refused before anything is sent (bad params) gets no event", async () => {
  const emulator = createEmulator();
  const events: LogEvent[] = [];
  const client = onEmulator(emulator, [logger({ onEvent: (e) => events.push(e) })]);
  await assert.rejects(
    client.chat.completions.create({ messages: CHAT.messages } as never),
    /no deployment/,
  );
  await assert.rejects(client.chat.completions.create(CHAT, { timeoutMs: -1 }), TypeError);
  assert.deepEqual(events, []);
});

Deno.test("logger() paths: streams: read to the end, broken out of, cancelled through a relay", async () => {
  const emulator = createEmulator();
  const events: LogEvent[] = [];
  const client = onEmulator(emulator, [logger({ onEvent: (e) => events.push(e) })]);
  for await (const _ of await client.chat.completions.create(STREAM)) { /* all */ }
  const [whole] = events.splice(0);
  assert.equal(whole.type, "start");
  for await (const _ of await client.chat.completions.create(STREAM)) break;
  const reader = (await client.chat.completions.create(STREAM)).toReadableStream().getReader();
  await reader.read();
  await reader.cancel();
  const { data } = await client.chat.completions.create(STREAM).withResponse();
  for await (const _ of data) { /* all */ }
  const done = events.filter((e) => e.type === "done");
  assert.deepEqual(done.map((e) => e.cancelled), [true, true, undefined]);
  assert.ok(done.every((e) => e.stream && e.status === 200 && typeof e.firstChunkMs === "number"));
  assert.equal(done[0].usage, undefined);
  assert.ok((done[2].usage?.total_tokens ?? 0) > 0);
});

Deno.test("logger() paths: cache hit, miss and partial; a logger inside cache() sees only what goes upstream", async () => {
  const emulator = createEmulator();
  const store = new MemoryCache();
  const outer: LogEvent[] = [];
  const inner: LogEvent[] = [];
  const client = onEmulator(emulator, [
    logger({ onEvent: (e) => outer.push(e) }),
    cache({ store, chat: true }),
    logger({ onEvent: (e) => inner.push(e) }),
  ]);
  const model = "text-embedding-3-small";
  await client.embeddings.create({ model, input: ["a", "b"] });
  await client.embeddings.create({ model, input: ["a", "b"] });
  await client.embeddings.create({ model, input: ["a", "c"] });
  const chat = { ...CHAT, temperature: 0 };
  await client.chat.completions.create(chat);
  await client.chat.completions.create(chat);
  const ends = outer.filter((e) => e.type === "end");
  assert.deepEqual(ends.map((e) => e.cache), ["miss", "hit", "partial", "miss", "hit"]);
  const dones = outer.filter((e) => e.type === "done");
  assert.deepEqual(dones.map((e) => e.cache), ["miss", "hit", "partial", "miss", "hit"]);
  assert.deepEqual(dones.map((e) => e.usage?.prompt_tokens), [
    2,
    0,
    1,
    dones[3].usage!.prompt_tokens,
    0,
  ]);
  assert.equal(ends[1].requestId, undefined);
  // Inside cache(): the three upstream calls only, without a cache status.
  assert.equal(inner.filter((e) => e.type === "end").length, 3);
  assert.ok(inner.every((e) => e.cache === undefined));
});

Deno.test("logger() paths: placed before rateLimit(), durationMs includes the wait in its queue", async () => {
  const emulator = createEmulator();
  let clock = 0;
  const now = () => clock;
  const events: LogEvent[] = [];
  const client = onEmulator(emulator, [
    logger({ onEvent: (e) => events.push(e), now }),
    rateLimit({ maxConcurrent: 1, now }),
  ]);
  const first = await client.chat.completions.create(CHAT).asResponse();
  const second = client.chat.completions.create(CHAT);
  clock = 1_000; // the first call's body read 1 s later: the second waited that long
  await first.text();
  await second;
  const ends = events.filter((e) => e.type === "end");
  assert.deepEqual(ends.map((e) => e.durationMs), [0, 1_000]);
});

Deno.test("logger() paths: an async onEvent that rejects, or one that throws, breaks no call", async () => {
  const emulator = createEmulator();
  let seen = 0;
  for (
    const onEvent of [
      () => (seen++, Promise.reject(new Error("sink down"))),
      () => {
        seen++;
        throw new Error("sink down");
      },
    ]
  ) {
    const client = onEmulator(emulator, [logger({ onEvent })]);
    const res = await client.chat.completions.create(CHAT);
    assert.equal(res.object, "chat.completion");
    for await (const _ of await client.chat.completions.create(STREAM)) { /* all */ }
    await assert.rejects(client.chat.completions.create({ ...CHAT, model: "nope" }), /404/);
  }
  assert.equal(seen, 2 * 9);
});

Deno.test("logger() paths: logBodies: uploads are not dumped, audio is not read, long bodies are cut", async () => {
  const emulator = createEmulator();
  const events: LogEvent[] = [];
  const client = onEmulator(emulator, [
    logger({ onEvent: (e) => events.push(e), logBodies: true, maxBodyChars: 50 }),
  ]);
  const file = new File([new Uint8Array(4_000).fill(7)], "a.wav", { type: "audio/wav" });
  await client.audio.transcriptions.create({ model: "whisper", file });
  const speech = await client.audio.speech.create({ model: "tts", input: "hi", voice: "alloy" });
  await speech.arrayBuffer();
  await client.chat.completions.create(CHAT);
  const [upload, transcript, , speechEnd, , chat] = events.filter((e) => e.type !== "done");
  assert.equal(upload.requestBody, undefined);
  assert.match(transcript.responseBody ?? "", /… \(\d+ chars\)$/);
  assert.equal(speechEnd.responseBody, undefined);
  assert.match(chat.responseBody ?? "", /^.{50}… \(\d+ chars\)$/);
});
