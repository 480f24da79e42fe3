import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { retry } from "../../src/middleware/retry.ts";
import { APITimeoutError } from "../../src/errors/api_error.ts";
import { createEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/mod.ts";
import { createEdgeApp, type EdgeApp, type EdgeAppOptions, MemoryCache } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, sseData } from "./_helpers.ts";
import { cancelCounted, firstThenEmulator } from "./_first_upstream.ts";

/** An emulator upstream with its own key and the requests it saw. */
interface Up {
  emulator: Emulator;
  key: string;
  /** Method, path and query of each request it got. */
  seen: string[];
  /** Bodies of the requests it got. */
  bodies: Promise<string>[];
}

interface Failover {
  app: EdgeApp;
  ups: Up[];
  /** The lines given to onError. */
  errors: string[];
  /** The injected clock (ms), shared by the app and the emulators. */
  clock: { now: number };
  call(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

/** An app with `n` emulator upstreams (hosts up0.local, up1.local, ...), primary first. */
function failoverApp(
  n: number,
  options: Partial<Omit<EdgeAppOptions, "upstream">> & {
    emulators?: EmulatorOptions[];
    /** Default api-version of each upstream client. */
    apiVersions?: string[];
  } = {},
): Failover {
  const clock = { now: 1_000_000 };
  const now = () => clock.now;
  const ups = Array.from({ length: n }, (_, i): Up => {
    const key = `upstream-${i}-secret-key-${crypto.randomUUID()}`;
    const emulator = createEmulator({ apiKeys: [key], now, ...options.emulators?.[i] });
    return { emulator, key, seen: [], bodies: [] };
  });
  const clients = ups.map((up, i) =>
    new AzureOpenAI({
      endpoint: `http://up${i}.local`,
      apiKey: up.key,
      apiVersion: options.apiVersions?.[i],
      fetch: (req, init) => {
        const url = new URL(req.url);
        up.seen.push(`${req.method} ${url.pathname}${url.search}`);
        up.bodies.push(req.clone().text());
        return up.emulator.fetch(req, init);
      },
    })
  );
  const errors: string[] = [];
  const { emulators: _e, apiVersions: _v, ...rest } = options;
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: (line) => errors.push(line),
    now,
    ...rest,
    upstream: clients,
  });
  return {
    app,
    ups,
    errors,
    clock,
    call(path, init = {}) {
      const { json, ...requestInit } = init;
      const headers = new Headers(requestInit.headers);
      if (!headers.has("api-key")) headers.set("api-key", KEY);
      if (json !== undefined) {
        headers.set("content-type", "application/json");
        requestInit.body = JSON.stringify(json);
        requestInit.method ??= "POST";
      }
      return app.fetch(new Request(`http://edge.test${path}`, { ...requestInit, headers }));
    },
  };
}

const CHAT = azurePath("gpt-4o", "chat/completions");
const EMBEDDINGS = azurePath("text-embedding-3-small", "embeddings");
const hi = { messages: [{ role: "user", content: "hi" }] };

/** Fails with the keys of `ups` found in `text`. */
function assertNoKey(ups: Up[], text: string, where: string): void {
  for (const up of ups) assert.ok(!text.includes(up.key), `upstream key in ${where}: ${text}`);
}

Deno.test("createEdgeApp() with two upstreams answers from the second when the primary's rate limit answers 429", async () => {
  const f = failoverApp(2, { emulators: [{ rateLimits: { requestsPerMinute: 1 } }] });
  const first = await f.call(CHAT, { json: hi });
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("x-aoai-upstream"), "0");
  await first.body?.cancel();
  const second = await f.call(CHAT, { json: hi });
  assert.equal(second.status, 200);
  assert.equal(second.headers.get("x-aoai-upstream"), "1");
  assert.equal((await second.json()).choices[0].message.content, "You said: hi");
  assert.equal(f.ups[0].seen.length, 2);
  assert.equal(f.ups[1].seen.length, 1);
  assert.deepEqual(f.errors, [
    "chat.completions.create: upstream up0.local answered 429; trying upstream 1",
  ]);
});

for (const status of [500, 502, 503, 504]) {
  Deno.test(`createEdgeApp() fails over to the next upstream on ${status}`, async () => {
    const f = failoverApp(3);
    f.ups[0].emulator.failNext(1, status);
    f.ups[1].emulator.failNext(1, status);
    const res = await f.call(CHAT, { json: hi });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-aoai-upstream"), "2");
    await res.body?.cancel();
    assert.deepEqual(f.ups.map((u) => u.seen.length), [1, 1, 1]);
    assert.deepEqual(f.errors, [
      `chat.completions.create: upstream up0.local answered ${status}; trying upstream 1`,
      `chat.completions.create: upstream up1.local answered ${status}; trying upstream 2`,
    ]);
  });
}

Deno.test("createEdgeApp() relays a 400 or 404 of the primary without failing over", async () => {
  const f = failoverApp(2);
  f.ups[0].emulator.failNext(1, 400);
  const res = await f.call(CHAT, { json: hi });
  assert.equal(res.status, 400);
  assert.equal(res.headers.get("x-aoai-upstream"), "0");
  await res.body?.cancel();
  const missing = await f.call(azurePath("no-such-deployment", "chat/completions"), { json: hi });
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
  assert.equal(f.ups[1].seen.length, 0);
  assert.deepEqual(f.errors, []);
});

Deno.test("createEdgeApp() fails over when the primary's fetch throws (connection error)", async () => {
  const emulator = createEmulator({ apiKeys: ["second-upstream-key-0001"] });
  const errors: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: (line) => errors.push(line),
    upstream: [
      {
        endpoint: "https://down.example",
        apiKey: "first-upstream-key-0001",
        fetch: () => Promise.reject(new TypeError("connection refused")),
      },
      { endpoint: "http://up1.local", apiKey: emulator.apiKey, fetch: emulator.fetch },
    ],
  });
  const res = await app.fetch(
    new Request(`http://edge.test${CHAT}`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify(hi),
    }),
  );
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  await res.body?.cancel();
  assert.deepEqual(errors, [
    "chat.completions.create: upstream down.example unreachable; trying upstream 1",
  ]);
});

Deno.test("createEdgeApp() fails over from a closed 127.0.0.1 port, and answers 502 naming the last host when every upstream is down", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const emulator = createEmulator({ apiKeys: ["second-upstream-key-0002"] });
  const errors: string[] = [];
  const closed = { endpoint: `http://127.0.0.1:${port}`, apiKey: "first-upstream-key-0002" };
  const send = (app: EdgeApp) =>
    app.fetch(
      new Request(`http://edge.test${CHAT}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify(hi),
      }),
    );
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: (line) => errors.push(line),
    upstream: [closed, {
      endpoint: "http://up1.local",
      apiKey: emulator.apiKey,
      fetch: emulator.fetch,
    }],
  });
  const res = await send(app);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  await res.body?.cancel();
  assert.deepEqual(errors, [
    `chat.completions.create: upstream 127.0.0.1:${port} unreachable; trying upstream 1`,
  ]);

  const down = createEdgeApp({
    clientKeys: [KEY],
    onError: (line) => errors.push(line),
    upstream: [
      {
        endpoint: "https://first.example",
        apiKey: "first-upstream-key-0002",
        fetch: () => Promise.reject(new TypeError("refused")),
      },
      closed,
    ],
  });
  const failed = await send(down);
  assert.equal(failed.status, 502);
  assert.equal(failed.headers.get("x-aoai-upstream"), "1");
  const error = await errorOf(failed);
  assert.equal(error.code, "UpstreamUnreachable");
  assert.match(error.message, new RegExp(`\\(127\\.0\\.0\\.1:${port}\\)`));
  assert.doesNotMatch(error.message, /first\.example/);
  for (const text of [error.message, ...errors]) {
    assert.ok(!text.includes("first-upstream-key-0002") && !text.includes("second-upstream-key"));
  }
});

Deno.test("createEdgeApp() fails over on an upstream timeout", async () => {
  const emulator = createEmulator({ apiKeys: ["second-upstream-key-0003"] });
  const errors: string[] = [];
  const slow = new AzureOpenAI({
    endpoint: "https://slow.example",
    apiKey: "first-upstream-key-0003",
  });
  // A client whose every call times out (as timeout() reports it), without waiting for a timer.
  const timingOut = {
    endpoint: slow.endpoint,
    apiVersion: slow.apiVersion,
    request: () => Promise.reject(new APITimeoutError("chat.completions.create timed out")),
  } as unknown as AzureOpenAI;
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: (line) => errors.push(line),
    upstream: [timingOut, {
      endpoint: "http://up1.local",
      apiKey: emulator.apiKey,
      fetch: emulator.fetch,
    }],
  });
  const req = () =>
    new Request(`http://edge.test${CHAT}`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify(hi),
    });
  const res = await app.fetch(req());
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  await res.body?.cancel();
  assert.deepEqual(errors, [
    "chat.completions.create: upstream slow.example timed out; trying upstream 1",
  ]);
  // The last upstream timing out is the client's answer: 504 naming it.
  const lastRes = await createEdgeApp({
    clientKeys: [KEY],
    onError: () => {},
    upstream: [
      {
        endpoint: "https://first.example",
        apiKey: "first-upstream-key-0003",
        fetch: () => Promise.reject(new TypeError("refused")),
      },
      timingOut,
    ],
  }).fetch(req());
  assert.equal(lastRes.status, 504);
  const error = await errorOf(lastRes);
  assert.equal(error.code, "UpstreamTimeout");
  assert.match(error.message, /\(slow\.example\)/);
});

Deno.test("createEdgeApp() relays the last upstream's 429 with its retry-after when every upstream fails", async () => {
  const f = failoverApp(2, { emulators: [{}, { faults: { retryAfterMs: 7000 } }] });
  f.ups[0].emulator.failNext(1, 503);
  f.ups[1].emulator.failNext(1, 429);
  const res = await f.call(CHAT, { json: hi });
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  assert.equal(res.headers.get("retry-after"), "7");
  assert.equal(res.headers.get("retry-after-ms"), "7000");
  assert.equal((await errorOf(res)).code, "429");
  assert.deepEqual(f.errors, [
    "chat.completions.create: upstream up0.local answered 503; trying upstream 1",
  ]);
});

Deno.test("createEdgeApp() skips a primary that answered 429 until its retry-after passes, then uses it again", async () => {
  const f = failoverApp(2, { emulators: [{ faults: { retryAfterMs: 5000 } }] });
  f.ups[0].emulator.failNext(1, 429);
  const first = await f.call(CHAT, { json: hi });
  assert.equal(first.headers.get("x-aoai-upstream"), "1");
  await first.body?.cancel();
  assert.deepEqual(f.ups.map((u) => u.seen.length), [1, 1]);

  f.clock.now += 4999;
  const cooling = await f.call(CHAT, { json: hi });
  assert.equal(cooling.headers.get("x-aoai-upstream"), "1");
  await cooling.body?.cancel();
  assert.deepEqual(f.ups.map((u) => u.seen.length), [1, 2], "the primary is skipped");

  // Cooldowns are per deployment: embeddings still go to the primary.
  const other = await f.call(EMBEDDINGS, { json: { input: "x" } });
  assert.equal(other.headers.get("x-aoai-upstream"), "0");
  await other.body?.cancel();

  f.clock.now += 1;
  const back = await f.call(CHAT, { json: hi });
  assert.equal(back.headers.get("x-aoai-upstream"), "0");
  await back.body?.cancel();
  assert.deepEqual(f.ups.map((u) => u.seen.length), [3, 2]);
});

Deno.test("createEdgeApp() caps a cooldown at 60 s whatever retry-after says", async () => {
  const f = failoverApp(2, { emulators: [{ faults: { retryAfterMs: 3_600_000 } }] });
  f.ups[0].emulator.failNext(1, 429);
  await (await f.call(CHAT, { json: hi })).body?.cancel();
  f.clock.now += 59_999;
  const cooling = await f.call(CHAT, { json: hi });
  assert.equal(cooling.headers.get("x-aoai-upstream"), "1");
  await cooling.body?.cancel();
  f.clock.now += 1;
  const back = await f.call(CHAT, { json: hi });
  assert.equal(back.headers.get("x-aoai-upstream"), "0");
  await back.body?.cancel();
});

Deno.test("createEdgeApp() tries every upstream in order when all are cooling down", async () => {
  const f = failoverApp(2, {
    emulators: [{ faults: { retryAfterMs: 5000 } }, { faults: { retryAfterMs: 9000 } }],
  });
  f.ups[0].emulator.failNext(1, 429);
  f.ups[1].emulator.failNext(1, 429);
  const both = await f.call(CHAT, { json: hi });
  assert.equal(both.status, 429);
  await both.body?.cancel();
  f.clock.now += 1000;
  const res = await f.call(CHAT, { json: hi });
  assert.equal(res.status, 200, "never refused locally");
  assert.equal(res.headers.get("x-aoai-upstream"), "0");
  await res.body?.cancel();
  assert.deepEqual(f.ups.map((u) => u.seen.length), [2, 1]);
});

Deno.test("createEdgeApp() fails a streamed chat over on the status and streams from the second upstream", async () => {
  const f = failoverApp(2);
  f.ups[0].emulator.failNext(1, 429);
  const res = await f.call(CHAT, { json: { ...hi, stream: true } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  const events = sseData(await res.text());
  assert.equal(events.at(-1), "[DONE]");
  const text = events.slice(0, -1).map((e) => JSON.parse(e).choices[0]?.delta?.content ?? "")
    .join("");
  assert.equal(text, "You said: hi");
  assert.equal(f.ups[1].emulator.stats.streamsCompleted, 1);
});

Deno.test("createEdgeApp() does not fail over a stream that broke after its body was relayed", async () => {
  const f = failoverApp(2, { emulators: [{ faults: { dropStreamAfterChunks: 2 } }] });
  const res = await f.call(CHAT, { json: { ...hi, stream: true } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "0");
  // The stream ends with the error event of a cut stream (see stream_cut_ending_test.ts).
  assert.match(await res.text(), /"code":"UpstreamStreamError"/);
  assert.equal(f.ups[1].seen.length, 0);
});

Deno.test("createEdgeApp() fails a multipart audio transcription over with the file intact", async () => {
  const files: { name: string; size: number; type: string }[] = [];
  const f = failoverApp(2, {
    emulators: [{}, {
      transcript: (file) => {
        files.push({ name: file.name, size: file.size, type: file.type });
        return "second upstream heard it";
      },
    }],
  });
  f.ups[0].emulator.failNext(1, 503);
  const audio = new Uint8Array(3000).map((_, i) => i % 251);
  const form = new FormData();
  form.append("file", new File([audio], "speech.wav", { type: "audio/wav" }));
  form.append("response_format", "json");
  const res = await f.call(azurePath("whisper", "audio/transcriptions"), {
    method: "POST",
    body: form,
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  assert.deepEqual(await res.json(), { text: "second upstream heard it" });
  assert.deepEqual(files, [{ name: "speech.wav", size: 3000, type: "audio/wav" }]);
  // The same bytes reached both upstreams.
  const [sentFirst, sentSecond] = [await f.ups[0].bodies[0], await f.ups[1].bodies[0]];
  const payload = (body: string) =>
    body.slice(body.indexOf("\r\n\r\n") + 4, body.lastIndexOf("\r\n--"));
  assert.ok(sentFirst.length > 3000 && sentSecond.length > 3000);
  assert.equal(payload(sentFirst).split("\r\n--")[0], payload(sentSecond).split("\r\n--")[0]);
});

Deno.test("createEdgeApp() embeddings cache: a miss served by the second upstream is a hit later, with no upstream touched", async () => {
  const f = failoverApp(2, {
    cache: new MemoryCache(),
    emulators: [{ faults: { retryAfterMs: 2000 } }],
  });
  f.ups[0].emulator.failNext(1, 429);
  const miss = await f.call(EMBEDDINGS, { json: { input: ["a", "b"] } });
  assert.equal(miss.status, 200);
  assert.equal(miss.headers.get("x-aoai-cache"), "miss");
  assert.equal(miss.headers.get("x-aoai-upstream"), "1");
  const missed = await miss.json();

  // Past the cooldown: the lookup runs on the primary's pipeline and finds what the second stored.
  f.clock.now += 2000;
  const before = f.ups.map((u) => u.seen.length);
  const hit = await f.call(EMBEDDINGS, { json: { input: ["a", "b"] } });
  assert.equal(hit.headers.get("x-aoai-cache"), "hit");
  assert.equal(hit.headers.get("x-aoai-upstream"), null, "no upstream answered a hit");
  assert.deepEqual((await hit.json()).data, missed.data);
  assert.deepEqual(f.ups.map((u) => u.seen.length), before, "a hit goes to no upstream");

  // And while the primary cools down, the lookup runs on the second's pipeline: still a hit.
  f.ups[0].emulator.failNext(1, 429);
  const partial = await f.call(EMBEDDINGS, { json: { input: ["a", "c"] } });
  assert.equal(partial.headers.get("x-aoai-cache"), "partial");
  assert.equal(partial.headers.get("x-aoai-upstream"), "1");
  await partial.body?.cancel();
  const sent = JSON.parse(await f.ups[1].bodies.at(-1)!);
  assert.deepEqual(sent.input, ["c"], "only the missing input goes to the answering upstream");
  const count = f.ups.map((u) => u.seen.length);
  const cooling = await f.call(EMBEDDINGS, { json: { input: ["c", "b", "a"] } });
  assert.equal(cooling.headers.get("x-aoai-cache"), "hit");
  await cooling.body?.cancel();
  assert.deepEqual(f.ups.map((u) => u.seen.length), count);
});

Deno.test("createEdgeApp() chat cache: a completion the second upstream answered is a hit on the primary's pipeline", async () => {
  const f = failoverApp(2, {
    cache: new MemoryCache(),
    chatCache: true,
    emulators: [{ faults: { retryAfterMs: 1000 } }],
    // Different default api-versions (used on /v1/ routes) must not split the cache either.
    apiVersions: ["2024-10-21", "2024-06-01"],
  });
  f.ups[0].emulator.failNext(1, 429);
  const body = {
    model: "gpt-4o",
    temperature: 0,
    messages: [{ role: "user", content: "cache me" }],
  };
  const miss = await f.call("/v1/chat/completions", { json: body });
  assert.equal(miss.headers.get("x-aoai-upstream"), "1");
  assert.equal(miss.headers.get("x-aoai-cache"), "miss");
  await miss.body?.cancel();
  f.clock.now += 1000;
  const before = f.ups.map((u) => u.seen.length);
  const hit = await f.call("/v1/chat/completions", { json: body });
  assert.equal(hit.headers.get("x-aoai-cache"), "hit");
  await hit.body?.cancel();
  const streamed = await f.call("/v1/chat/completions", { json: { ...body, stream: true } });
  assert.equal(streamed.headers.get("x-aoai-cache"), "hit");
  await streamed.body?.cancel();
  assert.deepEqual(f.ups.map((u) => u.seen.length), before);
});

Deno.test("createEdgeApp() chat cache: a streamed miss fails over and is stored for the next call", async () => {
  const f = failoverApp(2, { cache: new MemoryCache(), chatCache: true });
  f.ups[0].emulator.failNext(1, 503);
  const body = { temperature: 0, messages: [{ role: "user", content: "stream me" }], stream: true };
  const miss = await f.call(CHAT, { json: body });
  assert.equal(miss.headers.get("x-aoai-cache"), "miss");
  assert.equal(miss.headers.get("x-aoai-upstream"), "1");
  await miss.text();
  const before = f.ups.map((u) => u.seen.length);
  const hit = await f.call(CHAT, { json: { ...body, stream: false } });
  assert.equal(hit.headers.get("x-aoai-cache"), "hit");
  assert.equal((await hit.json()).choices[0].message.content, "You said: stream me");
  assert.deepEqual(f.ups.map((u) => u.seen.length), before);
});

Deno.test("createEdgeApp() keeps the DALL-E 2 image operations on the primary upstream", async () => {
  const version = "2023-09-01-preview";
  const f = failoverApp(2, { emulators: [{ operationPolls: 0 }, { operationPolls: 0 }] });
  const submit = () =>
    f.call(`/openai/images/generations:submit?api-version=${version}`, {
      json: { prompt: "a lighthouse", n: 1, size: "256x256" },
    });
  f.ups[0].emulator.failNext(1, 429);
  const throttled = await submit();
  assert.equal(throttled.status, 429, "the primary's 429 is relayed, not failed over");
  assert.equal(throttled.headers.get("x-aoai-upstream"), "0");
  await throttled.body?.cancel();

  const accepted = await submit();
  assert.equal(accepted.status, 202);
  assert.equal(accepted.headers.get("x-aoai-upstream"), "0");
  const location = accepted.headers.get("operation-location") ?? "";
  assert.match(location, /^http:\/\/edge\.test\/openai\/operations\/images\/[^/?]+\?/);
  await accepted.body?.cancel();

  // A poll goes to the primary even when it fails there.
  f.ups[0].emulator.failNext(1, 503);
  const failed = await f.call(new URL(location).pathname + new URL(location).search);
  assert.equal(failed.status, 503);
  assert.equal(failed.headers.get("x-aoai-upstream"), "0");
  await failed.body?.cancel();
  const poll = await f.call(new URL(location).pathname + new URL(location).search);
  assert.equal(poll.status, 200);
  assert.equal((await poll.json()).status, "succeeded");
  const removed = await f.call(new URL(location).pathname + new URL(location).search, {
    method: "DELETE",
  });
  assert.equal(removed.headers.get("x-aoai-upstream"), "0");
  await removed.body?.cancel();
  assert.equal(f.ups[1].seen.length, 0);
  assert.deepEqual(f.errors, []);
});

Deno.test("createEdgeApp() stops failing over when the client went away", async () => {
  const emulator = createEmulator({ apiKeys: ["second-upstream-key-0004"] });
  for (const primaryAnswer of ["throws", "503"] as const) {
    const controller = new AbortController();
    let secondCalls = 0;
    const errors: string[] = [];
    const app = createEdgeApp({
      clientKeys: [KEY],
      onError: (line) => errors.push(line),
      upstream: [
        {
          endpoint: "https://first.example",
          apiKey: "first-upstream-key-0004",
          // The client disconnects while the primary is asked.
          fetch: (_req, init) => {
            controller.abort();
            return primaryAnswer === "throws"
              ? Promise.reject(init?.signal?.reason ?? new Error("aborted"))
              : Promise.resolve(new Response("{}", { status: 503 }));
          },
        },
        {
          endpoint: "http://up1.local",
          apiKey: emulator.apiKey,
          fetch: (req, init) => {
            secondCalls++;
            return emulator.fetch(req, init);
          },
        },
      ],
    });
    const res = await app.fetch(
      new Request(`http://edge.test${CHAT}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify(hi),
        signal: controller.signal,
      }),
    );
    assert.equal(res.status, primaryAnswer === "throws" ? 499 : 503);
    await res.body?.cancel();
    assert.equal(secondCalls, 0, primaryAnswer);
    assert.deepEqual(errors, [], primaryAnswer);
  }
});

Deno.test("createEdgeApp() with several upstreams puts no upstream key in any answer, header or onError line", async () => {
  const f = failoverApp(3, { cache: new MemoryCache(), chatCache: true });
  const seen: string[] = [];
  const record = async (res: Response) => {
    res.headers.forEach((value, name) => seen.push(`${name}: ${value}`));
    seen.push(await res.text());
  };
  f.ups[0].emulator.failNext(1, 429);
  f.ups[1].emulator.failNext(1, 503);
  await record(await f.call(CHAT, { json: hi }));
  f.ups[0].emulator.failNext(1, 500);
  f.ups[1].emulator.failNext(1, 502);
  f.ups[2].emulator.failNext(1, 504);
  await record(await f.call(EMBEDDINGS, { json: { input: ["k"] } }));
  for (const up of f.ups) up.emulator.failNext(1, 429);
  await record(await f.call(CHAT, { json: { ...hi, stream: true } }));
  await record(await f.call(EMBEDDINGS, { json: { input: ["k"] } }));
  assert.ok(f.errors.length >= 5);
  for (const text of [...seen, ...f.errors]) assertNoKey(f.ups, text, "app output");
});

Deno.test("createEdgeApp() with one upstream answers x-aoai-upstream: 0 and never reports a failover", async () => {
  const f = failoverApp(1);
  f.ups[0].emulator.failNext(1, 429);
  const res = await f.call(CHAT, { json: hi });
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("x-aoai-upstream"), "0");
  await res.body?.cancel();
  const next = await f.call(CHAT, { json: hi });
  assert.equal(next.status, 200, "a single upstream is never skipped");
  await next.body?.cancel();
  assert.deepEqual(f.errors, []);
});

Deno.test("createEdgeApp() says which upstream of the array is wrong", () => {
  const ok = { endpoint: "https://a.openai.azure.com", apiKey: "upstream-secret-key-1" };
  const make = (upstream: unknown) =>
    createEdgeApp({ clientKeys: [KEY], upstream: upstream as EdgeAppOptions["upstream"] });
  assert.throws(() => make([]), /createEdgeApp: upstream is an empty array/);
  assert.throws(
    () => make([ok, null]),
    /createEdgeApp: upstream\[1\] must be an AzureOpenAI client or its options/,
  );
  assert.throws(() => make([ok, "https://b.openai.azure.com"]), /upstream\[1\] must be/);
  assert.throws(
    () => make([ok, { endpoint: "not a url", apiKey: "upstream-secret-key-2" }]),
    (err: Error) =>
      err instanceof TypeError &&
      /^createEdgeApp: upstream\[1\]: AzureOpenAI: /.test(err.message) &&
      !err.message.includes("upstream-secret-key"),
  );
  assert.throws(
    () => make([ok, { endpoint: "https://b.openai.azure.com" }]),
    /createEdgeApp: upstream\[1\]: AzureOpenAI: /,
  );
  assert.throws(
    () => make([ok, ok, { ...ok, apiVersion: "v1" }]),
    (err: Error) =>
      err instanceof TypeError &&
      err.message.includes('upstream[2] uses api-version "v1" but upstream[0] uses "2024-10-21"') &&
      !err.message.includes("upstream-secret-key"),
  );
  assert.throws(
    () => make([{ ...ok, apiVersion: "v1" }, ok]),
    /upstream\[1\] uses api-version "2024-10-21" but upstream\[0\] uses "v1"/,
  );
  assert.throws(
    () => createEdgeApp({ clientKeys: [KEY], upstream: ok, now: 5 as unknown as () => number }),
    /createEdgeApp: now must be a function/,
  );
  // Valid arrays: clients, options, one element, all on v1.
  make([ok]);
  make([new AzureOpenAI(ok), { ...ok, endpoint: "https://b.openai.azure.com" }]);
  make([{ ...ok, apiVersion: "v1" }, { ...ok, apiVersion: "v1" }]);
});

Deno.test("createEdgeApp() counts rateLimit.requestsPerMinute with the now option's clock", async () => {
  const f = failoverApp(1, { rateLimit: { requestsPerMinute: 1 } });
  const first = await f.call(CHAT, { json: hi });
  assert.equal(first.status, 200);
  await first.body?.cancel();
  const refused = await f.call(CHAT, { json: hi });
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("x-aoai-upstream"), null, "refused by the app itself");
  await refused.body?.cancel();
  f.clock.now += 60_000;
  const again = await f.call(CHAT, { json: hi });
  assert.equal(again.status, 200);
  await again.body?.cancel();
});

Deno.test("createEdgeApp() cancels the body of the answer it fails over from", async () => {
  const first = cancelCounted(503, { "content-type": "application/json" });
  const { app } = firstThenEmulator(first.fetch);
  for (const stream of [false, true]) {
    const res = await app.fetch(
      new Request(`http://edge.test${CHAT}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify({ ...hi, stream }),
      }),
    );
    assert.equal(res.headers.get("x-aoai-upstream"), "1");
    await res.body?.cancel();
  }
  assert.equal(first.cancelled(), 2);
});

Deno.test("createEdgeApp() with upstreamMaxRetries treats a 429 asking for more than a minute as a 429: fails over, cools down, or relays it", async () => {
  // retry() does not wait over a minute: it throws instead, which must not become a 500.
  const slow = { faults: { retryAfterMs: 3_600_000 } };
  const f = failoverApp(2, { upstreamMaxRetries: 2, emulators: [slow] });
  f.ups[0].emulator.failNext(1, 429);
  const res = await f.call(CHAT, { json: hi });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  await res.body?.cancel();
  assert.deepEqual(f.errors, [
    "chat.completions.create: upstream up0.local answered 429; trying upstream 1",
  ]);
  const next = await f.call(CHAT, { json: hi });
  assert.equal(next.headers.get("x-aoai-upstream"), "1", "the primary cools down");
  await next.body?.cancel();
  assert.deepEqual(f.ups.map((u) => u.seen.length), [1, 2]);

  const one = failoverApp(1, { upstreamMaxRetries: 2, emulators: [slow] });
  one.ups[0].emulator.failNext(1, 429);
  const relayed = await one.call(CHAT, { json: hi });
  assert.equal(relayed.status, 429);
  assert.equal(relayed.headers.get("retry-after"), "3600");
  assert.equal(relayed.headers.get("x-aoai-upstream"), "0");
  assert.equal((await errorOf(relayed)).code, "429");
  assert.deepEqual(one.errors, []);
});

Deno.test("createEdgeApp() puts no client key in an onError line, even one sent as the deployment", async () => {
  // A key pasted as the deployment name is in the upstream URL an error message quotes.
  const clientKey = "Tz4Kq8Wm2Yx6Vn3Pj7Rb5Lc9";
  const errors: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY, clientKey],
    onError: (line) => errors.push(line),
    upstream: ["first", "second"].map((name) => ({
      endpoint: `https://${name}.example`,
      apiKey: `${name}-upstream-key-0007`,
      fetch: () => Promise.reject(new TypeError("connection refused")),
    })),
  });
  const res = await app.fetch(
    new Request(`http://edge.test${azurePath(clientKey, "chat/completions")}`, {
      method: "POST",
      headers: { "api-key": clientKey, "content-type": "application/json" },
      body: JSON.stringify(hi),
    }),
  );
  assert.equal(res.status, 502);
  await res.body?.cancel();
  assert.equal(errors.length, 2);
  assert.match(errors[1], /upstream second\.example unreachable: /);
  for (const line of errors) assert.ok(!line.includes(clientKey), line);
});

Deno.test("createEdgeApp() skips an unreachable upstream for every deployment for 5 s, then tries it again", async () => {
  const emulator = createEmulator({ apiKeys: ["second-upstream-key-0002"] });
  const clock = { now: 1_000_000 };
  let primaryTries = 0;
  const errors: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: (line) => errors.push(line),
    now: () => clock.now,
    upstream: [
      {
        endpoint: "https://down.example",
        apiKey: "first-upstream-key-0002",
        fetch: () => {
          primaryTries++;
          return Promise.reject(new TypeError("connection refused"));
        },
      },
      { endpoint: "http://up1.local", apiKey: emulator.apiKey, fetch: emulator.fetch },
    ],
  });
  const send = async (path: string, body: unknown) => {
    const res = await app.fetch(
      new Request(`http://edge.test${path}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-aoai-upstream"), "1");
    await res.body?.cancel();
  };
  await send(CHAT, hi);
  assert.equal(primaryTries, 1);
  // Within 5 s, for this and any other deployment, the primary is not tried.
  clock.now += 4_999;
  await send(CHAT, hi);
  await send(EMBEDDINGS, { input: "x" });
  assert.equal(primaryTries, 1);
  assert.equal(errors.length, 1, errors.join("\n"));
  clock.now += 1;
  await send(CHAT, hi);
  assert.equal(primaryTries, 2, "tried again once the 5 s passed");
});

Deno.test("createEdgeApp() tries an upstream cooling down after a 429 as a last resort when the others fail, and uses it in its place once it answered", async () => {
  const f = failoverApp(3, { emulators: [{}, { faults: { retryAfterMs: 9000 } }] });
  f.ups[0].emulator.failNext(1, 503);
  f.ups[1].emulator.failNext(1, 429);
  const first = await f.call(CHAT, { json: hi });
  assert.equal(first.headers.get("x-aoai-upstream"), "2");
  await first.body?.cancel();
  f.clock.now += 1000; // upstream 1 cools down for 8 s more
  f.ups[0].emulator.failNext(1, 503);
  f.ups[2].emulator.failNext(1, 503);
  const res = await f.call(CHAT, { json: hi });
  assert.equal(res.status, 200, "the cooling upstream is tried after the others failed");
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  await res.body?.cancel();
  assert.deepEqual(f.ups.map((u) => u.seen.length), [2, 2, 2]);
  // It answered: its cooldown is over, so it comes before upstream 2 again.
  f.ups[0].emulator.failNext(1, 503);
  const back = await f.call(CHAT, { json: hi });
  assert.equal(back.headers.get("x-aoai-upstream"), "1");
  await back.body?.cancel();
  assert.deepEqual(f.ups.map((u) => u.seen.length), [3, 3, 2]);
  assert.deepEqual(f.errors, [
    "chat.completions.create: upstream up0.local answered 503; trying upstream 1",
    "chat.completions.create: upstream up1.local answered 429; trying upstream 2",
    "chat.completions.create: upstream up0.local answered 503; trying upstream 2",
    "chat.completions.create: upstream up2.local answered 503; trying upstream 1",
    "chat.completions.create: upstream up0.local answered 503; trying upstream 1",
  ]);
});

Deno.test("createEdgeApp() tries an upstream skipped as unreachable as a last resort when the others fail", async () => {
  const first = createEmulator({ apiKeys: ["first-upstream-key-0010"] });
  const second = createEmulator({ apiKeys: ["second-upstream-key-0010"] });
  let primaryTries = 0;
  const errors: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: (line) => errors.push(line),
    now: () => 1_000_000,
    upstream: [
      {
        endpoint: "https://flaky.example",
        apiKey: first.apiKey,
        // Refuses the first connection only: the 5 s skip that follows is stale at once.
        fetch: (req, init) =>
          ++primaryTries === 1
            ? Promise.reject(new TypeError("connection refused"))
            : first.fetch(req, init),
      },
      { endpoint: "http://up1.local", apiKey: second.apiKey, fetch: second.fetch },
    ],
  });
  const send = () =>
    app.fetch(
      new Request(`http://edge.test${CHAT}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify(hi),
      }),
    );
  const one = await send();
  assert.equal(one.headers.get("x-aoai-upstream"), "1");
  await one.body?.cancel();
  second.failNext(1, 503);
  const two = await send();
  assert.equal(two.status, 200);
  assert.equal(two.headers.get("x-aoai-upstream"), "0", "the skipped primary as a last resort");
  await two.body?.cancel();
  // It answered: no longer skipped.
  const three = await send();
  assert.equal(three.headers.get("x-aoai-upstream"), "0");
  await three.body?.cancel();
  assert.equal(primaryTries, 3);
  assert.equal(second.stats.requests, 2);
  assert.deepEqual(errors, [
    "chat.completions.create: upstream flaky.example unreachable; trying upstream 1",
    "chat.completions.create: upstream up1.local answered 503; trying upstream 0",
  ]);
});

Deno.test("createEdgeApp() tries upstreams that all cool down in the order their cooldowns end", async () => {
  const f = failoverApp(2, {
    emulators: [{ faults: { retryAfterMs: 9000 } }, { faults: { retryAfterMs: 5000 } }],
  });
  f.ups[0].emulator.failNext(1, 429);
  f.ups[1].emulator.failNext(1, 429);
  const both = await f.call(CHAT, { json: hi });
  assert.equal(both.status, 429);
  await both.body?.cancel();
  f.clock.now += 1000;
  const res = await f.call(CHAT, { json: hi });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1", "the one whose cooldown ends first");
  await res.body?.cancel();
  assert.deepEqual(f.ups.map((u) => u.seen.length), [1, 2]);
});

Deno.test("createEdgeApp() answers 429 with the soonest cooldown end, contacting no upstream, once every upstream repeated its 429 while cooling down", async () => {
  const f = failoverApp(2, {
    emulators: [{ faults: { retryAfterMs: 5000 } }, { faults: { retryAfterMs: 9000 } }],
  });
  for (const up of f.ups) up.emulator.failNext(1, 429);
  await (await f.call(CHAT, { json: hi })).body?.cancel();
  f.clock.now += 1000;
  // Both cool down: each gets one early try, and repeats its 429 (the client gets the last).
  for (const up of f.ups) up.emulator.failNext(1, 429);
  const repeated = await f.call(CHAT, { json: hi });
  assert.equal(repeated.status, 429);
  assert.equal(repeated.headers.get("x-aoai-upstream"), "1");
  assert.equal(repeated.headers.get("retry-after"), "9");
  await repeated.body?.cancel();
  assert.deepEqual(f.ups.map((u) => u.seen.length), [2, 2]);

  // Upstream 0 said 5 s at t+1 s: 3.5 s are left at t+2.5 s.
  f.clock.now += 1500;
  const refused = await f.call(CHAT, { json: hi });
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("retry-after"), "4");
  assert.equal(refused.headers.get("retry-after-ms"), "3500");
  assert.equal(refused.headers.get("x-aoai-upstream"), null, "answered by the app itself");
  const error = await errorOf(refused);
  assert.equal(error.code, "UpstreamsCoolingDown");
  assert.match(error.message, /retry after 4 seconds/);
  assert.deepEqual(f.ups.map((u) => u.seen.length), [2, 2], "no upstream was contacted");
  assert.equal(
    f.errors.at(-1),
    "chat.completions.create: every upstream is cooling down; answered 429 (retry after 4 s)",
  );
  // Other deployments are not cooling down.
  const other = await f.call(EMBEDDINGS, { json: { input: "x" } });
  assert.equal(other.headers.get("x-aoai-upstream"), "0");
  await other.body?.cancel();

  f.clock.now += 3500;
  const back = await f.call(CHAT, { json: hi });
  assert.equal(back.status, 200);
  assert.equal(back.headers.get("x-aoai-upstream"), "0");
  await back.body?.cancel();
  for (const text of f.errors) assertNoKey(f.ups, text, "onError");
});

Deno.test("createEdgeApp() serves cache hits while every upstream cools down, and refuses only what must go upstream", async () => {
  const slow = { faults: { retryAfterMs: 5000 } };
  const f = failoverApp(2, { cache: new MemoryCache(), chatCache: true, emulators: [slow, slow] });
  const stored = await f.call(EMBEDDINGS, { json: { input: ["a"] } });
  assert.equal(stored.headers.get("x-aoai-cache"), "miss");
  await stored.body?.cancel();
  const chat = { temperature: 0, messages: [{ role: "user", content: "cached" }] };
  await (await f.call(CHAT, { json: chat })).body?.cancel();
  // Every upstream answers 429 twice: on its turn, then on its early try.
  for (let i = 0; i < 2; i++) {
    for (const up of f.ups) up.emulator.failNext(1, 429);
    const res = await f.call(EMBEDDINGS, { json: { input: ["b"] } });
    assert.equal(res.status, 429);
    await res.body?.cancel();
  }
  for (let i = 0; i < 2; i++) {
    for (const up of f.ups) up.emulator.failNext(1, 429);
    await (await f.call(CHAT, { json: hi })).body?.cancel();
  }
  const seen = f.ups.map((u) => u.seen.length);

  const hit = await f.call(EMBEDDINGS, { json: { input: ["a"] } });
  assert.equal(hit.status, 200);
  assert.equal(hit.headers.get("x-aoai-cache"), "hit");
  await hit.body?.cancel();
  const chatHit = await f.call(CHAT, { json: { ...chat, stream: true } });
  assert.equal(chatHit.status, 200);
  assert.equal(chatHit.headers.get("x-aoai-cache"), "hit");
  await chatHit.body?.cancel();
  for (const input of [["b"], ["a", "b"]]) {
    const refused = await f.call(EMBEDDINGS, { json: { input } });
    assert.equal(refused.status, 429, input.join());
    assert.equal((await errorOf(refused)).code, "UpstreamsCoolingDown");
  }
  assert.deepEqual(f.ups.map((u) => u.seen.length), seen, "no upstream was contacted");
});

Deno.test("createEdgeApp() does not spend a cooling upstream's early try on a streamed chat's cache lookup", async () => {
  const slow = { faults: { retryAfterMs: 5000 } };
  const f = failoverApp(2, { cache: new MemoryCache(), chatCache: true, emulators: [slow, slow] });
  for (const up of f.ups) up.emulator.failNext(1, 429);
  await (await f.call(CHAT, { json: hi })).body?.cancel();
  const body = { temperature: 0, messages: [{ role: "user", content: "stream me" }], stream: true };
  const res = await f.call(CHAT, { json: body });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-cache"), "miss");
  assert.equal(res.headers.get("x-aoai-upstream"), "0");
  await res.text();
  assert.deepEqual(f.ups.map((u) => u.seen.length), [2, 1]);
});

Deno.test("createEdgeApp() with upstreamMaxRetries fails a 429 over at once when another upstream is ready, instead of waiting it out", async () => {
  const f = failoverApp(2, {
    upstreamMaxRetries: 2,
    emulators: [{ faults: { retryAfterMs: 30 } }],
  });
  f.ups[0].emulator.failNext(3, 429);
  const res = await f.call(CHAT, { json: hi });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  await res.body?.cancel();
  assert.deepEqual(f.ups.map((u) => u.seen.length), [1, 1], "no retry on the primary");
  assert.deepEqual(f.errors, [
    "chat.completions.create: upstream up0.local answered 429; trying upstream 1",
  ]);
  // Streams too.
  f.clock.now += 30;
  const stream = await f.call(CHAT, { json: { ...hi, stream: true } });
  assert.equal(stream.headers.get("x-aoai-upstream"), "1");
  await stream.text();
  assert.deepEqual(f.ups.map((u) => u.seen.length), [2, 2]);

  // Also when the upstream client has a retry() of its own (the app's layers then run inside it).
  const emulators = [0, 1].map((i) =>
    createEmulator({ apiKeys: [`upstream-key-00${i}1`], faults: { retryAfterMs: 30 } })
  );
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: () => {},
    upstreamMaxRetries: 2,
    cache: new MemoryCache(),
    upstream: emulators.map((e, i) =>
      new AzureOpenAI({
        endpoint: `http://up${i}.local`,
        apiKey: e.apiKey,
        fetch: e.fetch,
        middleware: [retry()],
      })
    ),
  });
  emulators[0].failNext(3, 429);
  const own = await app.fetch(
    new Request(`http://edge.test${EMBEDDINGS}`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ input: "x" }),
    }),
  );
  assert.equal(own.headers.get("x-aoai-upstream"), "1");
  await own.body?.cancel();
  assert.deepEqual(emulators.map((e) => e.stats.requests), [1, 1]);
});

Deno.test("createEdgeApp() with upstreamMaxRetries waits a 429 out on the upstream when the others cool down", async () => {
  const f = failoverApp(2, {
    upstreamMaxRetries: 2,
    emulators: [{ faults: { retryAfterMs: 1 } }, { faults: { retryAfterMs: 3_600_000 } }],
  });
  f.ups[0].emulator.failNext(1, 429);
  f.ups[1].emulator.failNext(1, 429);
  const both = await f.call(CHAT, { json: hi });
  assert.equal(both.status, 429);
  assert.equal(both.headers.get("x-aoai-upstream"), "1");
  await both.body?.cancel();
  // Upstream 1 cools down for a minute: the primary's next 429 is waited out, on the primary.
  f.clock.now += 1;
  f.ups[0].emulator.failNext(1, 429);
  const res = await f.call(CHAT, { json: hi });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "0");
  await res.body?.cancel();
  assert.deepEqual(f.ups.map((u) => u.seen.length), [3, 1]);
});
