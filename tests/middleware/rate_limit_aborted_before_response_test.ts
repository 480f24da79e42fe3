// With maxConcurrent, a call whose signal aborted before its response came back (the transport
// answered anyway) frees its slot at once, its body unread: an aborted signal fires no more
// abort events to wait for.
import assert from "node:assert/strict";
import { compose } from "../../src/middleware/compose.ts";
import { rateLimit } from "../../src/middleware/rate_limit.ts";
import type { Terminal } from "../../src/middleware/types.ts";
import { makeContext } from "./_context.ts";
import { flush } from "./_virtual_time.ts";

Deno.test("rateLimit({ maxConcurrent: 1 }): a response that came after its call's signal aborted frees the slot at once", async () => {
  const started: string[] = [];
  const caller = new AbortController();
  const terminal: Terminal = (ctx) => {
    const id = String((ctx.params as { id: string }).id);
    started.push(id);
    if (id === "a") caller.abort(); // the caller gives up as the answer comes
    return Promise.resolve(new Response("ok"));
  };
  const run = compose([rateLimit({ maxConcurrent: 1 })], terminal);
  const a = await run(makeContext({ params: { id: "a" }, signal: caller.signal }));
  const b = run(makeContext({ params: { id: "b" } }));
  await flush();
  assert.deepEqual(started, ["a", "b"], "b went: a's slot came free, its body unread");
  await (await b).body?.cancel();
  await a.body?.cancel();
});
