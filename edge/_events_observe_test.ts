/**
 * `observeResponse()` itself: the times it reports, the hold it ends and lets go, and which
 * replies a client dropped are read on for their usage (with a token limit) rather than cancelled.
 */
import assert from "node:assert/strict";
import type { Hold } from "./_events.ts";
import { chunked, observe } from "../tests/edge/_observe.ts";

Deno.test("observeResponse: a reply whose first byte and end come at its start reports 0 ms, and never less", async () => {
  for (const now of [1000, 400]) {
    const { response, delivered } = observe(chunked(['{"a":1}'], "application/json"), {
      start: 1000,
      now: () => now,
    });
    await response.text();
    const { event } = await delivered;
    assert.equal(event.durationMs, 0, `now ${now}`);
    assert.equal(event.firstByteMs, 0, `now ${now}`);
  }
});

Deno.test("observeResponse: the request's hold is ended when the body ends, then let go once the charge is handed on", async () => {
  const log: string[] = [];
  const hold: Hold = {
    tokens: 5,
    set: () => {},
    end: () => void log.push("end"),
    release: () => void log.push("release"),
  };
  const { response, delivered } = observe(
    chunked(['{"usage":{"prompt_tokens":2,"total_tokens":3}}'], "application/json"),
    { charges: true, record: { hold } },
  );
  await response.text();
  assert.deepEqual(log, ["end"], "ended as the body ends, before the delivery");
  const { charged } = await delivered;
  assert.deepEqual(charged, [3]);
  assert.deepEqual(log, ["end", "release"]);
});

Deno.test("observeResponse: a text reply of a transcription not billed by tokens is cancelled when its client leaves, not read on", async () => {
  let reads = 0;
  let cancelled: unknown;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (++reads > 3) return controller.close();
      controller.enqueue(new TextEncoder().encode("some transcribed words "));
    },
    cancel(reason) {
      cancelled = reason;
    },
  }, { highWaterMark: 0 });
  const { response, delivered } = observe(
    new Response(body, { headers: { "content-type": "text/plain" } }),
    { route: "audio", charges: true, record: {} },
  );
  const reader = response.body!.getReader();
  await reader.read();
  // Nothing is read ahead of the client: a task later, still one read.
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(reads, 1);
  await reader.cancel("gone");
  const { event, charged } = await delivered;
  assert.equal(cancelled, "gone");
  assert.equal(reads, 1);
  assert.equal(event.error, "ClientClosedRequest");
  assert.deepEqual(charged, []);
});

Deno.test("observeResponse: a JSON reply of a charged route its client drops is read to its end and charged its usage", async () => {
  for (const route of ["chat", "completions", "embeddings", "audio"] as const) {
    const json = JSON.stringify({
      text: "x".repeat(100),
      usage: { prompt_tokens: 4, total_tokens: 9 },
    });
    const { response, delivered } = observe(
      chunked([json.slice(0, 50), json.slice(50, 80), json.slice(80)], "application/json"),
      { route, charges: true },
    );
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel("gone");
    const { event, charged } = await delivered;
    assert.deepEqual(charged, [9], route);
    assert.equal(event.error, "ClientClosedRequest", route);
  }
});

/** A finite body of `chunks` that counts its reads. */
function counted(chunks: string[], type: string) {
  const state = { reads: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[state.reads++];
      if (chunk === undefined) return controller.close();
      controller.enqueue(new TextEncoder().encode(chunk));
    },
  }, { highWaterMark: 0 });
  return { response: new Response(body, { headers: { "content-type": type } }), state };
}

const USAGE_JSON = JSON.stringify({ object: "list", usage: { prompt_tokens: 6, total_tokens: 6 } });

Deno.test("observeResponse: for a client already gone, an uncharged reply is left unread and its event has no usage", async () => {
  const gone = new AbortController();
  gone.abort();
  const { response: upstream, state } = counted(
    [USAGE_JSON.slice(0, 20), USAGE_JSON.slice(20)],
    "application/json",
  );
  const { response, delivered } = observe(upstream, {
    route: "embeddings",
    request: new Request("http://edge.test/x", { method: "POST", signal: gone.signal }),
  });
  assert.equal(response, upstream, "handed back as it is");
  const { event } = await delivered;
  assert.equal(event.error, "ClientClosedRequest");
  assert.equal(event.usage, undefined);
  assert.equal(state.reads, 0);
});

Deno.test("observeResponse: for a client already gone, a charged JSON reply is drained (the client gets no body) and charged", async () => {
  const gone = new AbortController();
  gone.abort();
  const { response: upstream, state } = counted(
    [USAGE_JSON.slice(0, 20), USAGE_JSON.slice(20)],
    "application/json",
  );
  const { response, delivered } = observe(upstream, {
    route: "embeddings",
    charges: true,
    request: new Request("http://edge.test/x", { method: "POST", signal: gone.signal }),
  });
  assert.equal(response.body, null);
  assert.equal(response.status, 200);
  const { event, charged } = await delivered;
  assert.deepEqual(charged, [6]);
  assert.deepEqual(event.usage, { prompt_tokens: 6, total_tokens: 6 });
  assert.equal(event.error, "ClientClosedRequest");
  assert.equal(state.reads, 3);
});

Deno.test("observeResponse: a reply without a tap (an image) whose body breaks is delivered as UpstreamStreamError", async () => {
  let n = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (n++ === 0) controller.enqueue(new Uint8Array([1, 2, 3]));
      else controller.error(new Error("connection reset"));
    },
  }, { highWaterMark: 0 });
  const { response, delivered } = observe(
    new Response(body, { headers: { "content-type": "image/png" } }),
    { route: "images" },
  );
  await assert.rejects(response.arrayBuffer(), /connection reset/);
  const { event } = await delivered;
  assert.equal(event.error, "UpstreamStreamError");
});

Deno.test("observeResponse: firstByteMs is the first chunk with a byte in it (an empty one is no first byte)", async () => {
  let clock = 1000;
  const chunks = [new Uint8Array(0), new Uint8Array([97]), new Uint8Array([98, 99])];
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      clock = 1000 + 100 * i;
      const chunk = chunks[i++];
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  }, { highWaterMark: 0 });
  const { response, delivered } = observe(
    new Response(body, { headers: { "content-type": "application/json" } }),
    { start: 1000, now: () => clock },
  );
  assert.equal(await response.text(), "abc");
  const { event } = await delivered;
  assert.equal(event.firstByteMs, 100);
  assert.equal(event.durationMs, 300);
});

Deno.test("observeResponse: a reply without a tap (an image) its client cancels is delivered as ClientClosedRequest, the upstream cancelled", async () => {
  let cancelled: unknown;
  const body = new ReadableStream<Uint8Array>({
    pull: (controller) => controller.enqueue(new Uint8Array([1, 2, 3])),
    cancel: (reason) => void (cancelled = reason),
  }, { highWaterMark: 0 });
  const { response, delivered } = observe(
    new Response(body, { headers: { "content-type": "image/png" } }),
    { route: "images" },
  );
  const reader = response.body!.getReader();
  await reader.read();
  await reader.cancel("gone");
  const { event } = await delivered;
  assert.equal(event.error, "ClientClosedRequest");
  assert.equal(cancelled, "gone");
});
