// rateLimit() runs a call with no params and no deployment (a GET through client.request(), which
// sends no body): its deployment key is the origin alone, and what its response teaches holds the
// next such call.
import assert from "node:assert/strict";
import { rateLimitStack, state } from "./_rate_limit_stack.ts";

Deno.test("rateLimit(): a call with no params and no deployment goes, and its deployment learns", async () => {
  const { time, started, call } = rateLimitStack({}, {
    terminal: () => {
      started.push("get");
      return Promise.resolve(
        new Response("{}", {
          headers: { "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "2s" },
        }),
      );
    },
  });
  const get = () =>
    call("get", {
      params: undefined,
      deployment: undefined,
      request: new Request("https://res.openai.azure.com/openai/v1/models"),
    });
  assert.equal(await state(get()), "resolved");
  const next = get();
  await time.advance(1_999);
  assert.equal(await state(next), "pending", "nothing left: paused 2 s");
  await time.advance(1);
  assert.equal(await state(next), "resolved");
  assert.deepEqual(started, ["get", "get"]);
});
