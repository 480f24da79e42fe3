/**
 * A call ends the deadline timeout() parked for its body and unlinks the caller's signal however
 * it ends: a success (the body read), an error status (the error body read, the call rejected),
 * a stream call refused with an error status. No listener is left on the caller's signal (a
 * long-lived signal would keep one per call, and through it the call). Mutation testing: dropping
 * `endParked()` after the read or in `#send`'s catch, or `unlink()` there, survived every test.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

/** A signal that counts the listeners added and not removed. */
function countedSignal() {
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
  return { signal, left: () => listeners.size };
}

const client = (status: number) =>
  new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "0123456789abcdef0123456789abcdef",
    deployment: "gpt",
    maxRetries: 0,
    timeoutMs: 60_000,
    fetch: () =>
      Promise.resolve(
        status == 200
          ? Response.json({ id: "c", choices: [] })
          : Response.json({ error: { code: "bad", message: "no" } }, { status }),
      ),
  });
const messages = [{ role: "user" as const, content: "hi" }];

Deno.test("a successful call leaves no listener on the caller's signal", async () => {
  const { signal, left } = countedSignal();
  const reply = await client(200).chat.completions.create({ messages }, { signal });
  assert.equal(reply.id, "c");
  assert.ok(left() === 0, `${left()} listener(s) left on the caller's signal`);
});

Deno.test("a call that fails with an error status leaves no listener on the caller's signal", async () => {
  const { signal, left } = countedSignal();
  await assert.rejects(client(400).chat.completions.create({ messages }, { signal }), {
    status: 400,
  });
  assert.ok(left() === 0, `${left()} listener(s) left on the caller's signal`);
});

Deno.test("a stream call that fails with an error status leaves no listener on the caller's signal", async () => {
  const { signal, left } = countedSignal();
  await assert.rejects(
    client(400).chat.completions.create({ messages, stream: true }, { signal }),
    { status: 400 },
  );
  assert.ok(left() === 0, `${left()} listener(s) left on the caller's signal`);
});
