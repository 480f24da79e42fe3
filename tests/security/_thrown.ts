// What a call throws, for the tests that look at an error's text.
import assert from "node:assert/strict";

/** What `run` throws (or rejects with); the test fails when it throws nothing. */
export async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (err) {
    return err;
  }
  assert.fail("expected a throw");
}
