/**
 * tokenAuth() after a 401: when the provider has no other token to give, the 401 is returned as it
 * is (readable, not sent again); with a fresh token the 401's body is cancelled before the resend,
 * and a 401 without a body is resent too (or fails with AuthenticationError when no token comes).
 */
import assert from "node:assert/strict";
import { tokenAuth } from "./auth_middleware.ts";
import { makeContext } from "../../tests/middleware/_context.ts";

Deno.test("tokenAuth() returns the 401 as it is when the provider gives the same token again", async () => {
  let sends = 0;
  const res = await tokenAuth(() => "same")(makeContext(), () => {
    sends++;
    return Promise.resolve(new Response("denied", { status: 401 }));
  });
  assert.equal(sends, 1);
  assert.equal(res.status, 401);
  assert.equal(await res.text(), "denied");
});

Deno.test("tokenAuth() cancels the 401's body before resending with a fresh token", async () => {
  for (const withBody of [true, false]) {
    let n = 0;
    let cancelled = 0;
    const body = withBody ? new ReadableStream({ cancel: () => void cancelled++ }) : null;
    const ctx = makeContext();
    const seen: string[] = [];
    const res = await tokenAuth(() => `t${++n}`)(ctx, () => {
      seen.push(ctx.request.headers.get("authorization")!);
      return Promise.resolve(
        seen.length === 1 ? new Response(body, { status: 401 }) : new Response("ok"),
      );
    });
    assert.equal(await res.text(), "ok");
    assert.deepEqual(seen, ["Bearer t1", "Bearer t2"]);
    assert.equal(cancelled, withBody ? 1 : 0);
  }
});

Deno.test("tokenAuth() fails a bodiless 401 whose refresh fails with AuthenticationError", async () => {
  let n = 0;
  const provider = () => {
    if (n++) throw new Error("Entra ID unreachable");
    return "t1";
  };
  await assert.rejects(
    tokenAuth(provider)(makeContext(), () => Promise.resolve(new Response(null, { status: 401 }))),
    (err: Error) => {
      assert.equal(err.name, "AuthenticationError");
      assert.match(
        err.message,
        /the tokenProvider failed \(Entra ID unreachable\) for a 401's retry/,
      );
      return true;
    },
  );
});
