// Listeners a streamed call puts on the caller's signal: a long-lived signal (a server's shutdown
// signal shared by every call) must not collect one listener per finished stream.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../client.ts";
import { APIUserAbortError } from "../errors/mod.ts";

/** An AbortController whose signal counts the "abort" listeners attached and not removed. */
function countingController(): { controller: AbortController; live: () => number } {
  const controller = new AbortController();
  const signal = controller.signal;
  // Listener -> registered with `once` (the signal drops those itself when it aborts).
  const listeners = new Map<unknown, boolean>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = (
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ) => {
    const once = typeof options === "object" && options.once === true;
    if (type === "abort") listeners.set(listener, once);
    add(type, listener, options);
  };
  signal.removeEventListener = (
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ) => {
    if (type === "abort") listeners.delete(listener);
    remove(type, listener, options);
  };
  const live = () => [...listeners.values()].filter((once) => !(once && signal.aborted)).length;
  return { controller, live };
}

const SSE = 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m",' +
  '"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}\n\ndata: [DONE]\n\n';

function client(): AzureOpenAI {
  return new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: "sk-stream-signal-test",
    deployment: "gpt-4o",
    fetch: () =>
      Promise.resolve(new Response(SSE, { headers: { "content-type": "text/event-stream" } })),
  });
}

Deno.test("chat.completions.create() leaves no listener on the caller's signal when streams end", async () => {
  const { controller, live } = countingController();
  const c = client();
  for (let i = 0; i < 5; i++) {
    const stream = await c.chat.completions.create(
      { messages: [{ role: "user", content: "hi" }], stream: true },
      { signal: controller.signal },
    );
    const final = await stream.finalChatCompletion();
    assert.equal(final.choices[0].message.content, "hi");
  }
  assert.equal(live(), 0);
});

Deno.test("chat.completions.create() stream still aborts through the caller's signal", async () => {
  const { controller, live } = countingController();
  const stream = await client().chat.completions.create(
    { messages: [{ role: "user", content: "hi" }], stream: true },
    { signal: controller.signal },
  );
  controller.abort();
  await assert.rejects(stream.finalChatCompletion(), APIUserAbortError);
  assert.equal(live(), 0);
});

/** A fetch whose body sends one chunk, then errors when the request's signal aborts. */
function audioFetch(_request: Request, init?: RequestInit): Promise<Response> {
  const signal = init?.signal;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array([1, 2, 3]));
      signal?.addEventListener("abort", () => controller.error(signal.reason), { once: true });
    },
  });
  return Promise.resolve(new Response(body, { headers: { "content-type": "audio/mpeg" } }));
}

Deno.test("audio.speech.create() body still aborts through the caller's signal", async () => {
  const { controller } = countingController();
  const c = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: "sk-stream-signal-test",
    deployment: "tts",
    fetch: audioFetch,
  });
  const response = await c.audio.speech.create(
    { input: "hello", voice: "alloy" },
    { signal: controller.signal },
  );
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  assert.deepEqual((await reader.read()).value, new Uint8Array([1, 2, 3]));
  controller.abort();
  await assert.rejects(reader.read());
});

Deno.test("audio.speech.create() leaves no listener on the caller's signal once the body is read", async () => {
  const { controller, live } = countingController();
  const c = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: "sk-stream-signal-test",
    deployment: "tts",
    fetch: () => Promise.resolve(new Response(new Uint8Array([4, 5]))),
  });
  for (let i = 0; i < 3; i++) {
    const response = await c.audio.speech.create(
      { input: "hello", voice: "alloy" },
      { signal: controller.signal },
    );
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), new Uint8Array([4, 5]));
  }
  const cancelled = await c.audio.speech.create(
    { input: "hello", voice: "alloy" },
    { signal: controller.signal },
  );
  await cancelled.body?.cancel();
  assert.equal(live(), 0);
});

Deno.test("request() with stream: true leaves no listener on the caller's signal once the body is read", async () => {
  const { controller, live } = countingController();
  const c = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: "sk-stream-signal-test",
    fetch: () => Promise.resolve(new Response(SSE)),
  });
  for (let i = 0; i < 3; i++) {
    const response = await c.request(
      { path: "chat/completions", deployment: "gpt-4o", json: { messages: [] }, stream: true },
      { signal: controller.signal },
    );
    assert.equal(await response.text(), SSE);
  }
  assert.equal(live(), 0);
});

Deno.test("request() with stream: true body still aborts through the caller's signal", async () => {
  const { controller } = countingController();
  const c = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: "sk-stream-signal-test",
    fetch: audioFetch,
  });
  const response = await c.request(
    { path: "audio/speech", deployment: "tts", json: { input: "hi" }, stream: true },
    { signal: controller.signal },
  );
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  assert.deepEqual((await reader.read()).value, new Uint8Array([1, 2, 3]));
  controller.abort();
  await assert.rejects(reader.read());
});
