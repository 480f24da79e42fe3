// Streams given the caller's controller (fromReadableStream(body, controller)) take their listener
// off its signal once they end: one controller reused for many streams holds none of them.
import assert from "node:assert/strict";
import { Stream } from "./stream.ts";

const SSE = 'data: {"n":1}\n\ndata: [DONE]\n\n';

Deno.test("Stream: streams that ended leave no listener on the caller's controller", async () => {
  const controller = new AbortController();
  const signal = controller.signal;
  const live = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  type Listener = EventListenerOrEventListenerObject;
  signal.addEventListener = (type: string, listener: Listener, o?: AddEventListenerOptions) => {
    if (type === "abort") live.add(listener);
    add(type, listener, o);
  };
  signal.removeEventListener = (type: string, listener: Listener, o?: EventListenerOptions) => {
    live.delete(listener);
    remove(type, listener, o);
  };
  const bodies = [SSE, SSE, 'data: {"n":1}\n\n'];
  for (const text of bodies) {
    const stream = Stream.fromReadableStream(new Response(text).body!, controller);
    await stream.done().catch(() => {}); // the last one is cut: it fails, and ends too
  }
  // Left early (its body still open, then cancelled), too.
  const open = new ReadableStream<Uint8Array>({
    start: (c) => c.enqueue(new TextEncoder().encode('data: {"n":1}\n\n')),
  });
  const left = Stream.fromReadableStream(open, controller);
  for await (const _ of left) break;
  assert.equal(live.size, 0);
});
