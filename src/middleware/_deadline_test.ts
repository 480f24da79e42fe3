import assert from "node:assert/strict";
import { BodyDeadlines, endDeadlinesOnRead, type ParkedDeadline } from "./_deadline.ts";

/** A parked deadline that records its ends and maps errors to `mapped` (when given). */
function recorder(owner: object, mapped?: Error): ParkedDeadline & { ends: number } {
  const d = {
    owner,
    ends: 0,
    end() {
      d.ends++;
    },
    explain: () => mapped,
  };
  return d;
}

Deno.test("endDeadlinesOnRead() ends the parked deadlines only once json() read the body", async () => {
  let rest!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode('{"a":'));
      rest = c;
    },
  });
  const response = new Response(body);
  const deadlines = new BodyDeadlines();
  const d = recorder({});
  deadlines.park(d);
  endDeadlinesOnRead(response, deadlines);
  const reading = response.json();
  await Promise.resolve();
  assert.equal(d.ends, 0, "the deadline still runs while the body is incomplete");
  rest.enqueue(new TextEncoder().encode("1}"));
  rest.close();
  assert.deepEqual(await reading, { a: 1 });
  assert.equal(d.ends, 1);
  assert.equal(deadlines.size, 0);
});

Deno.test("endDeadlinesOnRead() maps a read that failed after a deadline fired", async () => {
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.error(new DOMException("aborted", "AbortError"));
    },
  });
  const response = new Response(body);
  const deadlines = new BodyDeadlines();
  const timedOut = new Error("timed out after 5 ms");
  const d = recorder({}, timedOut);
  deadlines.park(d);
  endDeadlinesOnRead(response, deadlines);
  await assert.rejects(response.text(), (err: unknown) => err === timedOut);
  assert.equal(d.ends, 1);
});

Deno.test("endDeadlinesOnRead() rethrows a failed read no deadline explains", async () => {
  const failure = new TypeError("broken body");
  const response = new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        c.error(failure);
      },
    }),
  );
  const deadlines = new BodyDeadlines();
  deadlines.park(recorder({}));
  endDeadlinesOnRead(response, deadlines);
  await assert.rejects(response.arrayBuffer(), (err: unknown) => err === failure);
});

Deno.test("endDeadlinesOnRead() keeps the deadlines while the caller reads response.body", async () => {
  const response = new Response("streamed by the caller");
  const deadlines = new BodyDeadlines();
  const d = recorder({});
  deadlines.park(d);
  endDeadlinesOnRead(response, deadlines);
  const stream = response.body;
  assert.equal(response.body, stream, "the same stream on every read of the getter");
  assert.equal(d.ends, 0);
  assert.equal(await new Response(stream).text(), "streamed by the caller");
  assert.equal(d.ends, 1, "ended with the stream");
});

Deno.test("endDeadlinesOnRead() maps a response.body error after a deadline fired", async () => {
  const response = new Response(
    new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([1]));
      },
      pull(c) {
        // Asked for the second chunk (the first fills the queue): the fetch signal aborted.
        c.error(new DOMException("aborted", "AbortError"));
      },
    }, { highWaterMark: 1 }),
  );
  const deadlines = new BodyDeadlines();
  const timedOut = new Error("timed out after 5 ms");
  const d = recorder({}, timedOut);
  deadlines.park(d);
  endDeadlinesOnRead(response, deadlines);
  const reader = response.body!.getReader();
  assert.deepEqual((await reader.read()).value, new Uint8Array([1]));
  await assert.rejects(reader.read(), (err: unknown) => err === timedOut);
  assert.equal(d.ends, 1);
});

Deno.test("endDeadlinesOnRead() ends the deadlines when the caller cancels response.body", async () => {
  let cancelled: unknown;
  const response = new Response(
    new ReadableStream<Uint8Array>({
      cancel(reason) {
        cancelled = reason;
      },
    }),
  );
  const deadlines = new BodyDeadlines();
  const d = recorder({});
  deadlines.park(d);
  endDeadlinesOnRead(response, deadlines);
  await response.body!.cancel("done with it");
  assert.equal(d.ends, 1);
  assert.equal(cancelled, "done with it");
});

Deno.test("endDeadlinesOnRead() ends the deadlines on clone()", async () => {
  const response = new Response("twice");
  const deadlines = new BodyDeadlines();
  const d = recorder({});
  deadlines.park(d);
  endDeadlinesOnRead(response, deadlines);
  const copy = response.clone();
  assert.equal(d.ends, 1);
  assert.equal(await copy.text(), "twice");
  assert.equal(await response.text(), "twice");
  assert.equal(d.ends, 1, "each deadline ends once");
});

Deno.test("endDeadlinesOnRead() leaves the response untouched when nothing is parked", () => {
  const response = new Response("x");
  endDeadlinesOnRead(response, new BodyDeadlines());
  assert.equal(Object.getPrototypeOf(response), Response.prototype);
});

Deno.test("BodyDeadlines.endOwnedBy() ends only that owner's deadlines", () => {
  const deadlines = new BodyDeadlines();
  const mine = {};
  const a = recorder(mine);
  const b = recorder({});
  deadlines.park(a);
  deadlines.park(b);
  deadlines.endOwnedBy(mine);
  assert.equal(a.ends, 1);
  assert.equal(b.ends, 0);
  assert.equal(deadlines.size, 1);
  deadlines.endAll();
  assert.equal(b.ends, 1);
  assert.equal(deadlines.size, 0);
});
