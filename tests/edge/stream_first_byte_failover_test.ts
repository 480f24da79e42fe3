/**
 * A stream whose upstream answers 200 `text/event-stream` and then breaks (or ends) before its
 * first byte fails over to the next upstream, like an upstream that cannot be reached: nothing was
 * relayed yet. The last upstream's stream, one that broke after its first byte, and one whose
 * client left during the wait are relayed as before.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/mod.ts";
import { createEdgeApp, type EdgeAppOptions, type EdgeRequestEvent } from "../../edge/mod.ts";
import { azurePath, KEY, postJson, recordingLimiter, sseData } from "./_helpers.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const MESSAGES = [{ role: "user", content: "one two three four five" }];

/** A streamed chat request to the app (aborted by `signal`). */
function streamed(signal?: AbortSignal): Request {
  return new Request(`http://edge.test${CHAT}`, {
    method: "POST",
    headers: { "api-key": KEY, "content-type": "application/json" },
    body: JSON.stringify({ messages: MESSAGES, stream: true }),
    signal,
  });
}

/** An upstream client on the emulator `e`. */
function onEmulator(e: Emulator, i: number, options: { streamIdleTimeoutMs?: number } = {}) {
  return new AzureOpenAI({
    endpoint: `http://up${i}.local`,
    apiKey: e.apiKey,
    fetch: e.fetch,
    maxRetries: 0,
    ...options,
  });
}

/** An upstream that answers 200 `text/event-stream` with `body`; `calls` counts its requests. */
function sseUpstream(body: () => ReadableStream<Uint8Array>, options = {}) {
  const upstream = {
    calls: 0,
    client: new AzureOpenAI({
      endpoint: "http://silent.local",
      apiKey: "azure-secret-0",
      maxRetries: 0,
      fetch: () => {
        upstream.calls++;
        return Promise.resolve(
          new Response(body(), { headers: { "content-type": "text/event-stream" } }),
        );
      },
      ...options,
    }),
  };
  return upstream;
}

/** Two emulators (with `first`'s and `second`'s options) behind an app; its errors in `errors`. */
function twoEmulators(
  first: EmulatorOptions,
  second: EmulatorOptions = {},
  options: Partial<EdgeAppOptions> = {},
) {
  const ems = [createEmulator(first), createEmulator(second)];
  const errors: string[] = [];
  const app = createEdgeApp({
    upstream: ems.map((e, i) => onEmulator(e, i)),
    clientKeys: [KEY],
    onError: (m) => void errors.push(m),
    ...options,
  });
  return { ems, app, errors };
}

/** An app on `first`, then an emulator (`em`); its errors in `errors`. */
function firstThenEmulator(first: AzureOpenAI, options: Partial<EdgeAppOptions> = {}) {
  const em = createEmulator();
  const errors: string[] = [];
  const app = createEdgeApp({
    upstream: [first, onEmulator(em, 1)],
    clientKeys: [KEY],
    onError: (m) => void errors.push(m),
    ...options,
  });
  return { em, app, errors };
}

/** Asserts that `res` is a whole stream from upstream 1 (the one failed over to). */
async function assertFromUpstream1(res: Response) {
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  assert.equal(sseData(await res.text()).at(-1), "[DONE]");
}

/** Lets pending work run (one task turn: no time threshold). */
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("createEdgeApp() fails a stream over when its upstream breaks it before the first byte", async () => {
  const ems = [createEmulator({ faults: { dropStreamAfterChunks: 0 } }), createEmulator()];
  const app = createEdgeApp({
    upstream: ems.map((e, i) =>
      new AzureOpenAI({ endpoint: `http://up${i}.local`, apiKey: e.apiKey, fetch: e.fetch })
    ),
    clientKeys: [KEY],
    onError: () => {},
  });
  const res = await app.fetch(
    postJson(CHAT, { messages: [{ role: "user", content: "hi" }], stream: true }),
  );
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1"); // today: "0"
  assert.equal(sseData(await res.text()).at(-1), "[DONE]");
  assert.equal(ems[1].stats.streamsCompleted, 1);
});

Deno.test("createEdgeApp() fails a stream over when its upstream ends it empty (no byte, no error)", async () => {
  const empty = sseUpstream(() => new ReadableStream({ start: (c) => c.close() }));
  const { app, errors } = firstThenEmulator(empty.client);
  const res = await app.fetch(streamed());
  await assertFromUpstream1(res);
  assert.deepEqual(errors, [
    "chat.completions.create: upstream silent.local broke its stream before the first byte; " +
    "trying upstream 1",
  ]);
});

Deno.test("createEdgeApp() relays the last upstream's stream that breaks before its first byte, as before", async () => {
  const drop = { faults: { dropStreamAfterChunks: 0 } };
  const { ems, app, errors } = twoEmulators(drop, drop);
  const res = await app.fetch(streamed());
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  const events = sseData(await res.text());
  assert.equal(events.length, 1);
  assert.equal(JSON.parse(events[0]).error.code, "UpstreamStreamError");
  assert.equal(ems[0].stats.droppedStreams, 1);
  assert.equal(ems[1].stats.droppedStreams, 1);
  // The failover, then the last upstream's cut stream (reported by the app as any cut stream).
  assert.equal(errors.length, 2, errors.join("\n"));
  assert.match(
    errors[0],
    /upstream up0\.local broke its stream before the first byte; trying upstream 1$/,
  );
  assert.match(errors[1], /^chat: the upstream's stream broke before its end \(/);
});

Deno.test("createEdgeApp() does not fail over a stream that broke after its first byte", async () => {
  const { ems, app } = twoEmulators({ faults: { dropStreamAfterChunks: 1 } });
  const res = await app.fetch(streamed());
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "0");
  const events = sseData(await res.text());
  assert.equal(events.length, 2);
  assert.equal(JSON.parse(events[1]).error.code, "UpstreamStreamError");
  assert.equal(ems[1].stats.streamsStarted, 0);
});

Deno.test("createEdgeApp(): a client leaving while the first byte is awaited gets 499; the upstream read is aborted, nothing fails over", async () => {
  let cancelled: unknown = "not cancelled";
  let pulled!: () => void;
  const waiting = new Promise<void>((resolve) => pulled = resolve);
  const silent = sseUpstream(() =>
    new ReadableStream({
      pull: () => pulled(), // read (by the app's first-byte wait); never sends
      cancel: (reason) => void (cancelled = reason),
    }, { highWaterMark: 0 })
  );
  const events: EdgeRequestEvent[] = [];
  const { em, app, errors } = firstThenEmulator(silent.client, {
    onRequest: (e) => void events.push(e),
  });
  const client = new AbortController();
  const answer = app.fetch(streamed(client.signal));
  await waiting;
  client.abort();
  const res = await answer;
  assert.equal(res.status, 499);
  assert.equal((await res.json()).error.code, "ClientClosedRequest");
  while (events.length === 0) await turn();
  assert.equal(events[0].error, "ClientClosedRequest");
  assert.notEqual(cancelled, "not cancelled");
  assert.equal(silent.calls, 1);
  assert.equal(em.stats.requests, 0);
  assert.deepEqual(errors, []);
});

Deno.test("createEdgeApp(): an upstream silent past its streamIdleTimeoutMs before the first byte fails over", async () => {
  let cancelled = false;
  // Sends nothing: only its idle timeout ends the wait.
  const silent = sseUpstream(
    () => new ReadableStream({ cancel: () => void (cancelled = true) }),
    { streamIdleTimeoutMs: 1 },
  );
  const { app, errors } = firstThenEmulator(silent.client);
  const res = await app.fetch(streamed());
  await assertFromUpstream1(res);
  assert.ok(cancelled, "the silent upstream's body is cancelled");
  assert.deepEqual(errors, [
    "chat.completions.create: upstream silent.local timed out before the first byte; " +
    "trying upstream 1",
  ]);
});

Deno.test("createEdgeApp(): a stream failed over charges the usage of the upstream that answered; firstByteMs counts from the request", async () => {
  const clock = { t: 0 };
  const r = recordingLimiter();
  const events: EdgeRequestEvent[] = [];
  // Upstream 0 breaks at 40, before any byte; upstream 1 answers at 70.
  const broken = sseUpstream(() =>
    new ReadableStream({
      pull(c) {
        clock.t = 40;
        c.error(new TypeError("connection reset"));
      },
    })
  );
  const em = createEmulator();
  const app = createEdgeApp({
    upstream: [
      broken.client,
      new AzureOpenAI({
        endpoint: "http://up1.local",
        apiKey: em.apiKey,
        maxRetries: 0,
        fetch: (req, init) => {
          clock.t = 70;
          return em.fetch(req, init);
        },
      }),
    ],
    clientKeys: [KEY],
    tokenLimit: { limiter: r.limiter },
    now: () => clock.t,
    onError: () => {},
    onRequest: (e) => void events.push(e),
  });
  const res = await app.fetch(streamed());
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  const text = await res.text();
  assert.equal(sseData(text).at(-1), "[DONE]");
  await r.reach();
  while (events.length === 0) await turn();
  assert.equal(events[0].upstream, 1);
  assert.equal(events[0].firstByteMs, 70);
  assert.equal(events[0].error, undefined);
  // The app asked upstream 1 for its usage (a token limit): that is what is charged, once.
  assert.ok(events[0].usage && events[0].usage.total_tokens > 0);
  assert.deepEqual(r.tokens, [events[0].usage!.total_tokens]);
});

Deno.test("createEdgeApp() fails a streamed transcription over when its upstream breaks it before the first byte", async () => {
  const deployments = [{ name: "t4o", model: "gpt-4o-transcribe" }];
  const { ems, app } = twoEmulators({ deployments, faults: { dropStreamAfterChunks: 0 } }, {
    deployments,
  });
  const form = new FormData();
  form.set("file", new File([new Uint8Array(32_000)], "talk.wav", { type: "audio/wav" }));
  form.set("stream", "true");
  const res = await app.fetch(
    new Request(`http://edge.test${azurePath("t4o", "audio/transcriptions")}`, {
      method: "POST",
      headers: { "api-key": KEY },
      body: form,
    }),
  );
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  assert.match(await res.text(), /event: transcript\.text\.done\n/);
  assert.equal(ems[0].stats.droppedStreams, 1);
  assert.equal(ems[1].stats.streamsCompleted, 1);
});
