/**
 * A call (not streamed) that fails with an error status ends the deadline timeout() parked for its
 * body: once the error body was read and the call rejected, no listener is left on the caller's
 * signal (a long-lived signal would keep one, and through it the call, per failed call).
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

Deno.test("a call that fails with an error status leaves no listener on the caller's signal", async () => {
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "0123456789abcdef0123456789abcdef",
    deployment: "gpt",
    maxRetries: 0,
    timeoutMs: 60_000,
    fetch: () =>
      Promise.resolve(Response.json({ error: { code: "bad", message: "no" } }, { status: 400 })),
  });
  const signal = new AbortController().signal;
  const listeners = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, l: unknown, o?: unknown) => (
    listeners.add(l), add(type, l as EventListener, o as AddEventListenerOptions)
  )) as typeof add;
  signal.removeEventListener = ((type: string, l: unknown, o?: unknown) => (
    listeners.delete(l), remove(type, l as EventListener, o as EventListenerOptions)
  )) as typeof remove;
  await assert.rejects(
    client.chat.completions.create({ messages: [{ role: "user", content: "hi" }] }, { signal }),
    { status: 400 },
  );
  assert.ok(listeners.size === 0, `${listeners.size} listener(s) left on the caller's signal`);
});
