/**
 * A call (not streamed) that succeeds ends the deadline timeout() parked for its body once the
 * client read it: no listener is left on the caller's signal (a long-lived signal would keep one
 * per call, and through it the call) and no deadline outlives the call.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

Deno.test("a successful call leaves no listener on the caller's signal", async () => {
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "0123456789abcdef0123456789abcdef",
    deployment: "gpt",
    maxRetries: 0,
    timeoutMs: 60_000,
    fetch: () => Promise.resolve(Response.json({ id: "c", choices: [] })),
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
  const reply = await client.chat.completions.create({
    messages: [{ role: "user", content: "hi" }],
  }, { signal });
  assert.equal(reply.id, "c");
  assert.ok(listeners.size === 0, `${listeners.size} listener(s) left on the caller's signal`);
});
