// Found by bench/soak.ts: a client.request() response never read left its timeout() deadline's
// listener on the caller's signal, one per call, until that signal aborted (a server's
// long-lived shutdown signal: never), holding each call's controller and fetch with it.
import assert from "node:assert/strict";
import { APIUserAbortError, AzureOpenAI } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { startServer } from "../helpers/server.ts";
import { countedSignal } from "../helpers/counted_signal.ts";

Deno.test("request(): 100 responses never read leave no listener on the caller's long-lived signal", async () => {
  const emulator = createEmulator();
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: emulator.fetch,
  });
  const { controller, listeners } = countedSignal();
  for (let i = 0; i < 100; i++) {
    const res = await client.request({
      path: "embeddings",
      deployment: "text-embedding-3-small",
      json: { input: `unread ${i}` },
    }, { signal: controller.signal });
    assert.equal(res.status, 200);
  }
  assert.equal(listeners(), 0);
  // One read in full leaves none either.
  const res = await client.request({
    path: "embeddings",
    deployment: "text-embedding-3-small",
    json: { input: "read" },
  }, { signal: controller.signal });
  assert.equal((await res.json()).data.length, 1);
  assert.equal(listeners(), 0);
});

Deno.test("request(): the caller's abort still reaches a body read later, or being read", async () => {
  // The body sends a piece, then stalls until cancelled.
  let cancelled = 0;
  await using server = await startServer(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return new Response(
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"a":'));
          timer = setTimeout(() => c.close(), 5000);
        },
        cancel() {
          cancelled++;
          clearTimeout(timer);
        },
      }),
      { headers: { "content-type": "application/json" } },
    );
  });
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: "sk-raw-unread-listener-1" });
  const init = { path: "embeddings", deployment: "e", json: { input: "x" } };
  // Aborted before the body was touched: reading it rejects as the caller's abort.
  const before = new AbortController();
  const res = await client.request(init, { signal: before.signal });
  before.abort();
  await assert.rejects(res.json(), APIUserAbortError);
  // Aborted while it is read.
  const during = new AbortController();
  const reading = (await client.request(init, { signal: during.signal })).text();
  setTimeout(() => during.abort(), 20);
  await assert.rejects(reading, APIUserAbortError);
  // Both bodies' connections were cancelled (the server saw it) rather than left to run out.
  for (let i = 0; i < 50 && cancelled < 2; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(cancelled, 2);
});
