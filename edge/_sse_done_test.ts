// doneTracker() stays done once it read the [DONE] line, whatever follows it; endsWithDone()
// names the routes whose streams end with one (tests/security/sse_done_forged_by_content_test.ts:
// a [DONE] spelled out in content).
import assert from "node:assert/strict";
import { doneTracker, endsWithDone } from "./_sse_done.ts";

const encoder = new TextEncoder();

Deno.test("doneTracker() stays done after its [DONE] line, whatever comes after", () => {
  const tracker = doneTracker();
  tracker.feed(encoder.encode('data: {"choices":[]}\n\n'));
  assert.equal(tracker.done, false);
  tracker.feed(encoder.encode("data: [DONE]\n\n"));
  assert.equal(tracker.done, true);
  // Past the few characters it keeps: the [DONE] line is no longer in its window.
  for (let i = 0; i < 3; i++) {
    tracker.feed(encoder.encode(": a relay's trailing comment line\n\n"));
    assert.equal(tracker.done, true, `after ${i + 1} more chunks`);
  }
});

Deno.test("endsWithDone() is true for chat and completions streams only", () => {
  assert.equal(endsWithDone("chat"), true);
  assert.equal(endsWithDone("completions"), true);
  for (const route of ["transcriptions", "translations", "embeddings", "speech", ""]) {
    assert.equal(endsWithDone(route), false, route);
  }
});
