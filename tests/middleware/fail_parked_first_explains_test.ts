/**
 * failParked() with more than one parked deadline (two timeout() layers in a stack): the first that
 * explains the body's error decides what is thrown; a later one that has nothing to say does not
 * undo it, and every deadline is ended.
 */
import assert from "node:assert/strict";
import {
  failParked,
  PARKED_STATE_KEY,
  type ParkedDeadline,
} from "../../src/middleware/_deadline.ts";

function deadline(explained: Error | undefined, ended: string[], name: string): ParkedDeadline {
  const noop = () => {};
  return {
    owner: {},
    end: () => void ended.push(name),
    pause: noop,
    resume: noop,
    explain: () => explained,
  };
}

Deno.test("failParked() throws what the first explaining deadline says, ending all", () => {
  const ended: string[] = [];
  const timedOut = new Error("timed out");
  const list = [deadline(timedOut, ended, "a"), deadline(undefined, ended, "b")];
  const state = { [PARKED_STATE_KEY]: list };
  const read = new TypeError("body read failed");
  assert.equal(failParked(state, read), timedOut);
  assert.deepEqual(ended.sort(), ["a", "b"]);
  assert.equal(list.length, 0);
  assert.equal(failParked({ [PARKED_STATE_KEY]: [deadline(undefined, [], "c")] }, read), read);
});
