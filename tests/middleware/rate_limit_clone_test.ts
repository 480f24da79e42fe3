/** rateLimit() and a clone() of the response it holds a slot for. */
import assert from "node:assert/strict";
import { compose } from "../../src/middleware/compose.ts";
import { rateLimit } from "../../src/middleware/rate_limit.ts";
import { makeContext } from "./_context.ts";

/** Lets pending work run (macrotask turns) until `done()` or a number of turns passed. */
async function settle(done: () => boolean) {
  for (let i = 0; i < 50 && !done(); i++) await new Promise((r) => setTimeout(r, 0));
}

Deno.test("rateLimit() maxConcurrent 1: a clone() does not free the slot; the original's body does", async () => {
  let sent = 0;
  const call = compose([rateLimit({ maxConcurrent: 1 })], () => {
    sent++;
    return Promise.resolve(
      new Response('{"a":1}', { headers: { "content-type": "application/json" } }),
    );
  });
  const first = await call(makeContext());
  const copy = first.clone();
  assert.deepEqual(await copy.json(), { a: 1 });
  const second = call(makeContext());
  await settle(() => sent > 1);
  assert.equal(sent, 1, "the first call's body is still unread: its slot is held");
  assert.deepEqual(await first.json(), { a: 1 });
  await (await second).text();
  assert.equal(sent, 2);
});
