// When every upstream cools down and had its last-resort try, the app answers without asking
// them: 429 with the soonest end as retry-after (whole seconds, at least 1, rounded up) and
// retry-after-ms; or, when each refused the app's credential, the 401 (every one answered 401)
// or the 502 of a failed sign-in, each reported as such.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, postJson } from "./_helpers.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const hi = { messages: [{ role: "user", content: "hi" }] };

/** Two upstreams from `client(i)` behind an app on a clock that stands still; three calls. */
async function thirdAnswer(client: (i: number) => AzureOpenAI) {
  const errors: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    now: () => 1_000_000,
    onError: (line) => void errors.push(line),
    upstream: [client(0), client(1)],
  });
  // The first call tries both; the second, both again as last resorts; the third, none.
  for (const _ of [1, 2]) await (await app.fetch(postJson(CHAT, hi))).body?.cancel();
  const res = await app.fetch(postJson(CHAT, hi));
  return { res, last: errors.at(-1) };
}

const answering = (res: () => Response) => (i: number) =>
  new AzureOpenAI({
    endpoint: `https://res${i}.example`,
    apiKey: `app-key-${i}-0123456789`,
    maxRetries: 0,
    fetch: () => Promise.resolve(res()),
  });

Deno.test("every upstream throttled and tried: 429 with the soonest end in whole seconds, at least 1", async () => {
  for (const [ms, seconds] of [["400", "1"], ["5001", "6"]]) {
    const { res, last } = await thirdAnswer(
      answering(() =>
        Response.json({ error: { code: "429", message: "slow down" } }, {
          status: 429,
          headers: { "retry-after-ms": ms },
        })
      ),
    );
    assert.equal(res.status, 429);
    assert.equal(res.headers.get("retry-after"), seconds, ms);
    assert.equal(res.headers.get("retry-after-ms"), ms);
    assert.equal(res.headers.get("x-aoai-upstream"), null);
    assert.equal((await errorOf(res)).code, "UpstreamsCoolingDown");
    assert.equal(
      last,
      `chat.completions.create: every upstream is cooling down; answered 429 (retry after ${seconds} s)`,
    );
  }
});

Deno.test("every upstream refused the app's credential: 401, reported as answered without asking them", async () => {
  const { res, last } = await thirdAnswer(
    answering(() => Response.json({ error: { code: "401", message: "bad key" } }, { status: 401 })),
  );
  assert.equal(res.status, 401);
  assert.equal((await errorOf(res)).code, "UpstreamAuthenticationFailed");
  assert.equal(
    last,
    "chat.completions.create: every upstream refused the app's credential (401) in the last 5 s; " +
      "answered 401 without asking them",
  );
});

Deno.test("every upstream failed the app's sign-in: 502, reported as answered without asking them", async () => {
  const { res, last } = await thirdAnswer((i) =>
    new AzureOpenAI({
      endpoint: `https://res${i}.example`,
      tokenProvider: () => Promise.reject(new Error("AADSTS7000215: bad secret")),
    })
  );
  assert.equal(res.status, 502);
  assert.equal((await errorOf(res)).code, "UpstreamSignInFailed");
  assert.equal(
    last,
    "chat.completions.create: every upstream failed the app's sign-in in the last 5 s; " +
      "answered 502 without asking them",
  );
});
