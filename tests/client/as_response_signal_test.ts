/** asResponse() of a stream call: the caller's signal keeps no listener once the body is done. */
import assert from "node:assert/strict";
import { APITimeoutError, APIUserAbortError, AzureOpenAI } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { countedSignal } from "../helpers/counted_signal.ts";

const encoder = new TextEncoder();
const CHAT = { model: "gpt-4o", messages: [{ role: "user" as const, content: "hi" }] };

/**
 * A client whose stream bodies come from `body()` (the emulator answers everything else); the
 * request's signal errors the body, as fetch's does.
 */
function client(body?: () => ReadableStream<Uint8Array>, streamIdleTimeoutMs?: number) {
  const emulator = createEmulator();
  return new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    streamIdleTimeoutMs,
    fetch: (request, init) => {
      if (!body) return emulator.fetch(new Request(request, init));
      const signal = new Request(request, init).signal;
      const source = body().getReader();
      const relayed = new ReadableStream<Uint8Array>({
        pull: (c) =>
          new Promise<void>((resolve, reject) => {
            if (signal.aborted) reject(signal.reason);
            signal.addEventListener("abort", () => reject(signal.reason), { once: true });
            source.read().then(({ done, value }) => done ? c.close() : c.enqueue(value))
              .then(resolve, reject);
          }),
        cancel: (reason) => source.cancel(reason),
      });
      const headers = { "content-type": "text/event-stream" };
      return Promise.resolve(new Response(relayed, { headers }));
    },
  });
}

/** One event, then nothing until cancelled. */
const stalling = () =>
  new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(encoder.encode("data: {}\n\n"));
    },
  });

for (const idle of [undefined, 60_000]) {
  const label = idle ? " (with streamIdleTimeoutMs)" : "";
  Deno.test(`asResponse() of a stream leaves no listener on the caller's signal once read${label}`, async () => {
    const { signal, listeners } = countedSignal();
    const response = await client(undefined, idle).chat.completions
      .create({ ...CHAT, stream: true }, { signal }).asResponse();
    assert.match(await response.text(), /data: \[DONE\]\n\n$/);
    assert.equal(listeners(), 0);
  });

  Deno.test(`asResponse() of a stream leaves no listener once its body is cancelled${label}`, async () => {
    const { signal, listeners } = countedSignal();
    const response = await client(stalling, idle).chat.completions
      .create({ ...CHAT, stream: true }, { signal }).asResponse();
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    assert.equal(listeners(), 0);
  });

  Deno.test(`asResponse() of a stream leaves no listener once its body breaks${label}`, async () => {
    const { signal, listeners } = countedSignal();
    const broken = () =>
      new ReadableStream<Uint8Array>({
        pull(c) {
          c.error(new TypeError("connection reset"));
        },
      });
    const response = await client(broken, idle).chat.completions
      .create({ ...CHAT, stream: true }, { signal }).asResponse();
    await assert.rejects(response.text());
    assert.equal(listeners(), 0);
  });

  Deno.test(`asResponse() of a stream is still aborted by the caller's signal${label}`, async () => {
    const { controller, signal, listeners } = countedSignal();
    const response = await client(stalling, idle).chat.completions
      .create({ ...CHAT, stream: true }, { signal }).asResponse();
    const reader = response.body!.getReader();
    await reader.read();
    const next = reader.read();
    controller.abort();
    await assert.rejects(next, APIUserAbortError);
    assert.equal(listeners(), 0);
  });
}

// Iteration and request({ stream: true }) bound each wait for a chunk; the relayed body did not.
Deno.test("asResponse() of a stream applies streamIdleTimeoutMs", async () => {
  const { signal, listeners } = countedSignal();
  const response = await client(stalling, 5).chat.completions
    .create({ ...CHAT, stream: true }, { signal }).asResponse();
  const reader = response.body!.getReader();
  assert.equal(new TextDecoder().decode((await reader.read()).value), "data: {}\n\n");
  await assert.rejects(
    reader.read(),
    (err: Error) => err instanceof APITimeoutError && /streamIdleTimeoutMs/.test(err.message),
  );
  assert.equal(listeners(), 0);
});

// The stream object the call built must not cancel the relayed body itself on an abort: the
// reader would then see an empty, ended body instead of the abort.
Deno.test("asResponse() of a stream aborted before its body is read fails with APIUserAbortError", async () => {
  const { controller, signal, listeners } = countedSignal();
  const response = await client(stalling).chat.completions
    .create({ ...CHAT, stream: true }, { signal }).asResponse();
  controller.abort();
  await assert.rejects(response.text(), APIUserAbortError);
  assert.equal(listeners(), 0);
});
