import assert from "node:assert/strict";
import { APIUserAbortError } from "../errors/api_error.ts";
import { onBodyEnd, unlinkOnEnd } from "./on_body_end.ts";

/** A body whose pulls and cancel are counted; each pull waits until `release()`. */
function watchedSource() {
  const seen = { pulls: 0, cancelled: [] as unknown[] };
  let release!: () => void;
  const body = new ReadableStream<Uint8Array>({
    pull: (c) => {
      seen.pulls++;
      return new Promise<void>((ok) => {
        release = () => {
          // A cancelled source takes nothing more.
          if (!seen.cancelled.length) c.enqueue(new TextEncoder().encode("x")), c.close();
          ok();
        };
      });
    },
    cancel: (reason) => void seen.cancelled.push(reason),
  }, { highWaterMark: 0 });
  return { body, seen, release: () => release() };
}

Deno.test("onBodyEnd(): cancelling body cancels the response's own stream with the reason", async () => {
  const { body, seen } = watchedSource();
  let ends = 0;
  const res = onBodyEnd(new Response(body), () => void ends++);
  await res.body!.cancel("stop");
  assert.equal(ends, 1);
  assert.deepEqual(seen.cancelled, ["stop"]);
});

Deno.test("onBodyEnd(): looking at body pulls nothing from the source", async () => {
  const { body, seen } = watchedSource();
  const res = onBodyEnd(new Response(body), () => {});
  assert.ok(res.body);
  await new Promise((ok) => setTimeout(ok, 0));
  assert.equal(seen.pulls, 0);
});

Deno.test("unlinkOnEnd(): a stream call's abort mid-read fails the read and cancels the source", async () => {
  const { body, seen } = watchedSource();
  const caller = new AbortController();
  let unlinked = 0;
  const res = unlinkOnEnd(
    new Response(body),
    caller.signal,
    () => unlinked++,
    "op",
    undefined,
    new AbortController(),
  );
  const reader = res.body!.getReader();
  const reading = reader.read();
  await new Promise((ok) => setTimeout(ok, 0));
  caller.abort(new Error("stop"));
  await assert.rejects(reading, APIUserAbortError);
  assert.equal(unlinked, 1);
  assert.equal(seen.cancelled.length, 1, "the source is cancelled");
});

Deno.test("unlinkOnEnd(): text() of a stream call fails on the caller's abort even when the data then arrives", async () => {
  const { body, release } = watchedSource();
  const caller = new AbortController();
  const res = unlinkOnEnd(
    new Response(body),
    caller.signal,
    () => {},
    "op",
    undefined,
    new AbortController(),
  );
  const reading = res.text();
  await new Promise((ok) => setTimeout(ok, 0));
  caller.abort(new Error("stop"));
  release();
  await assert.rejects(reading, APIUserAbortError);
});

Deno.test("unlinkOnEnd(): streamIdleTimeoutMs 0 sets no idle timer", async () => {
  const { body, release } = watchedSource();
  const res = unlinkOnEnd(new Response(body), undefined, () => {}, "op", 0);
  const reading = res.text();
  await new Promise((ok) => setTimeout(ok, 2));
  release();
  assert.equal(await reading, "x");
});
