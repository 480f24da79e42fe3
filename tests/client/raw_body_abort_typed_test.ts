// The body of a raw stream call (request({ stream: true }), audio.speech.create()) under the
// caller's signal: an abort ends it with APIUserAbortError whether or not fetch honours the
// signal and whether or not its data had arrived, an idle timeout with APITimeoutError, and the
// layers that watch the body (logger()) see the error the caller gets.
import assert from "node:assert/strict";
import { APITimeoutError, APIUserAbortError, AzureOpenAI, type FetchLike } from "../../mod.ts";
import { type LogEvent, logger } from "../../src/middleware/mod.ts";
import { startServer } from "../helpers/server.ts";

const KEY = "sk-raw-body-abort-typed-0001";
const CHUNK = new Uint8Array([1, 2, 3]);
const turn = () => new Promise((resolve) => setTimeout(resolve));

/**
 * A body that sends one chunk and then waits: errored with the signal's reason when `signal`
 * aborts (as the platform's fetch does), or left open when `signal` is undefined (a fetch that
 * ignores it). `cancelled` counts cancels: the connection let go.
 */
function waiting(signal: AbortSignal | undefined) {
  const state = { cancelled: 0 };
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(CHUNK);
      signal?.addEventListener("abort", () => c.error(signal.reason), { once: true });
    },
    cancel() {
      state.cancelled++;
    },
  });
  return { state, response: new Response(body, { headers: { "content-type": "audio/mpeg" } }) };
}

type Start = (client: AzureOpenAI, signal: AbortSignal) => Promise<Response>;
const CALLS: [string, Start][] = [
  [
    "request({ stream: true })",
    (client, signal) =>
      client.request({ path: "audio/speech", deployment: "tts", json: {}, stream: true }, {
        signal,
      }),
  ],
  [
    "audio.speech.create()",
    (client, signal) =>
      client.audio.speech.create({ model: "tts", input: "hi", voice: "alloy" }, { signal }),
  ],
  [
    "audio.speech.create().asResponse()",
    (client, signal) =>
      client.audio.speech.create({ model: "tts", input: "hi", voice: "alloy" }, { signal })
        .asResponse(),
  ],
  [
    "audio.speech.create().withResponse()",
    async (client, signal) =>
      (await client.audio.speech.create({ model: "tts", input: "hi", voice: "alloy" }, { signal })
        .withResponse()).response,
  ],
];

/** A client whose fetch answers with a {@link waiting} body (honouring the signal or not). */
function client(honours: boolean, streamIdleTimeoutMs?: number) {
  const bodies: ReturnType<typeof waiting>["state"][] = [];
  const fetch: FetchLike = (_request, init) => {
    const { state, response } = waiting(honours ? init?.signal ?? undefined : undefined);
    bodies.push(state);
    return Promise.resolve(response);
  };
  return {
    bodies,
    client: new AzureOpenAI({ endpoint: "http://x.test", apiKey: KEY, fetch, streamIdleTimeoutMs }),
  };
}

for (const [what, start] of CALLS) {
  for (const ms of [undefined, 60_000]) {
    const idle = ms ? " with streamIdleTimeoutMs" : "";
    Deno.test(`${what}${idle}: an abort after the data arrived fails the next read`, async () => {
      const { client: c } = client(true, ms);
      const controller = new AbortController();
      const response = await start(c, controller.signal);
      const reader = response.body!.getReader();
      await turn(); // the chunk arrived (and may have been read ahead) before the abort
      controller.abort();
      await assert.rejects(reader.read(), APIUserAbortError);
    });

    Deno.test(`${what}${idle}: a fetch that ignores the signal still ends the body at the caller's abort`, async () => {
      for (const read of ["body", "arrayBuffer"] as const) {
        const { client: c, bodies } = client(false, ms);
        const controller = new AbortController();
        const response = await start(c, controller.signal);
        let reading: Promise<unknown>;
        if (read === "body") {
          const reader = response.body!.getReader();
          assert.deepEqual((await reader.read()).value, CHUNK);
          reading = reader.read();
        } else reading = response.arrayBuffer();
        await turn();
        controller.abort();
        await assert.rejects(reading, (err) => {
          assert.ok(err instanceof APIUserAbortError, `${read}: ${err}`);
          assert.match(err.message, /aborted by the caller/);
          return true;
        });
        assert.equal(bodies[0].cancelled, 1, `${read}: the body is let go`);
      }
    });
  }

  Deno.test(`${what}: the idle timeout fails a waiting read with APITimeoutError`, async () => {
    const { client: c, bodies } = client(false, 1);
    const reader = (await start(c, new AbortController().signal)).body!.getReader();
    assert.deepEqual((await reader.read()).value, CHUNK);
    await assert.rejects(reader.read(), APITimeoutError);
    assert.equal(bodies[0].cancelled, 1);
  });
}

for (const ms of [undefined, 60_000]) {
  for (const honours of [true, false]) {
    Deno.test(`logger() logs the caller's abort of a raw stream body as a cancel (streamIdleTimeoutMs ${ms}, fetch ${honours ? "honours" : "ignores"} the signal)`, async () => {
      const events: LogEvent[] = [];
      const fetch: FetchLike = (_request, init) =>
        Promise.resolve(waiting(honours ? init?.signal ?? undefined : undefined).response);
      const c = new AzureOpenAI({
        endpoint: "http://x.test",
        apiKey: KEY,
        fetch,
        streamIdleTimeoutMs: ms,
        middleware: [logger({ onEvent: (e) => void events.push(e) })],
      });
      const controller = new AbortController();
      const response = await c.request(
        { path: "audio/speech", deployment: "tts", json: {}, stream: true },
        { signal: controller.signal },
      );
      const reader = response.body!.getReader();
      await reader.read();
      const next = reader.read();
      controller.abort();
      await assert.rejects(next, APIUserAbortError);
      const last = events.at(-1)!;
      assert.equal(last.type, "done", JSON.stringify(last));
      assert.equal(last.cancelled, true);
    });
  }
}

Deno.test("request({ stream: true }) over the network: the caller's abort lets the body go", async () => {
  for (const ms of [undefined, 60_000]) {
    let cancelled!: () => void;
    const gone = new Promise<void>((resolve) => cancelled = resolve);
    await using server = await startServer(() =>
      new Response(
        new ReadableStream<Uint8Array>({
          start: (c) => c.enqueue(CHUNK),
          cancel: () => cancelled(),
        }),
        { headers: { "content-type": "audio/mpeg" } },
      )
    );
    const c = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, streamIdleTimeoutMs: ms });
    const controller = new AbortController();
    const response = await c.request(
      { path: "audio/speech", deployment: "tts", json: {}, stream: true },
      { signal: controller.signal },
    );
    const reader = response.body!.getReader();
    assert.deepEqual((await reader.read()).value, CHUNK);
    controller.abort();
    await assert.rejects(reader.read(), APIUserAbortError);
    await gone; // the server saw the client go
  }
});

Deno.test("request() (not a stream) under timeout(): the caller's abort mid-body is one APIUserAbortError, a cancel to the logger", async () => {
  const events: LogEvent[] = [];
  const fetch: FetchLike = (_request, init) =>
    Promise.resolve(waiting(init?.signal ?? undefined).response);
  const c = new AzureOpenAI({
    endpoint: "http://x.test",
    apiKey: KEY,
    fetch,
    middleware: [logger({ onEvent: (e) => void events.push(e) })],
  });
  const controller = new AbortController();
  const response = await c.request(
    { path: "audio/speech", deployment: "tts", json: {} },
    { signal: controller.signal },
  );
  const reading = response.arrayBuffer();
  await turn();
  controller.abort();
  await assert.rejects(reading, (err) => {
    assert.ok(err instanceof APIUserAbortError, String(err));
    assert.ok(!(err.cause instanceof APIUserAbortError), "wrapped twice");
    return true;
  });
  assert.equal(events.at(-1)?.type, "done");
  assert.equal(events.at(-1)?.cancelled, true);
});
