/**
 * compose(): a layer whose next() rejected may call next() again (as a retry layer of one's own
 * does), and the inner layer that threw may not call its next() after its own call ended; misuse
 * fails with an error named MiddlewareError.
 */
import assert from "node:assert/strict";
import { compose, MiddlewareError } from "../../src/middleware/compose.ts";
import type { Middleware } from "../../src/middleware/types.ts";
import { makeContext } from "./_context.ts";

Deno.test("compose(): a layer calls next() again after it rejected", async () => {
  let sends = 0;
  const again: Middleware = async function again(_ctx, next) {
    try {
      return await next();
    } catch {
      return await next();
    }
  };
  const run = compose([again], () => {
    if (sends++ === 0) return Promise.reject(new Error("first attempt failed"));
    return Promise.resolve(new Response("ok"));
  });
  const res = await run(makeContext());
  assert.equal(await res.text(), "ok");
  assert.equal(sends, 2);
});

Deno.test("compose(): a layer that threw may not call next() after its call ended", async () => {
  let late!: () => Promise<Response>;
  const outer: Middleware = async function outer(_ctx, next) {
    await next().catch(() => {});
    return await late();
  };
  const thrower: Middleware = function thrower(_ctx, next) {
    late = next;
    return Promise.reject(new Error("boom"));
  };
  const run = compose([outer, thrower], () => Promise.resolve(new Response("ok")));
  await assert.rejects(run(makeContext()), (err: Error) => {
    assert.ok(err instanceof MiddlewareError);
    assert.equal(err.name, "MiddlewareError");
    assert.match(err.message, /^middleware #2 \(thrower\) called next\(\) after it returned$/);
    return true;
  });
});
