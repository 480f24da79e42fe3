import assert from "node:assert/strict";
import { sleep } from "./sleep.ts";

Deno.test("sleep() longer than the longest timer does not end at once", async () => {
  // Timers longer than 2^31 - 1 ms fire at once (Deno, Node.js, browsers): emulated here so
  // the test does not depend on how soon.
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout =
    ((fn: () => void, ms?: number) =>
      realSetTimeout(fn, (ms ?? 0) > 2_147_483_647 ? 0 : ms)) as typeof setTimeout;
  try {
    const controller = new AbortController();
    const slept = sleep(30 * 86_400_000, controller.signal).then(() => "woke", () => "aborted");
    // Two macrotasks later an overflowed timer has fired.
    await new Promise((r) => realSetTimeout(() => realSetTimeout(r, 0), 0));
    controller.abort(new Error("stop"));
    assert.equal(await slept, "aborted");
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
});
