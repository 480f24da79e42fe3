// `?api-version=A&api-version=B`: the app validated (and sent upstream) the first, while another
// reader of the URL (a gateway, a log) may take the last. Refused with a 400 naming the parameter;
// the same value given twice is not ambiguous and passes.
import assert from "node:assert/strict";
import { MemoryCache } from "../../edge/mod.ts";
import { errorOf, testApp } from "./_helpers.ts";

const hi = { messages: [{ role: "user", content: "hi" }] };
const TWO = "api-version=2024-10-21&api-version=2024-02-01";

const cases: Array<[string, string, unknown]> = [
  ["chat", `/openai/deployments/gpt-4o/chat/completions?${TWO}`, hi],
  ["streamed chat", `/openai/deployments/gpt-4o/chat/completions?${TWO}`, { ...hi, stream: true }],
  ["cached chat", `/openai/deployments/gpt-4o/chat/completions?${TWO}`, { ...hi, seed: 1 }],
  [
    "embeddings",
    `/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-02-01&${TWO}`,
    { input: "hi" },
  ],
  ["DALL-E 2 submit", `/openai/images/generations:submit?${TWO}`, { prompt: "a cat" }],
];

for (const [name, path, json] of cases) {
  Deno.test(`${name}: api-version given twice with different values gets 400 naming it, nothing sent upstream`, async () => {
    const t = testApp({ cache: new MemoryCache(), chatCache: { ttlSeconds: 60 } });
    const res = await t.call(path, { json });
    const error = await errorOf(res);
    assert.equal(res.status, 400, JSON.stringify(error));
    assert.equal(error.param, "api-version");
    assert.match(error.message, /'api-version'.*more than once/);
    assert.deepEqual(t.upstream, []);
  });
}

Deno.test("a DALL-E 2 poll with api-version given twice with different values gets 400", async () => {
  const t = testApp();
  const res = await t.call(`/openai/operations/images/abc-123?${TWO}`);
  assert.equal(res.status, 400);
  assert.equal((await errorOf(res)).param, "api-version");
  assert.deepEqual(t.upstream, []);
});

Deno.test("api-version given twice with the same value passes, sent upstream once", async () => {
  const t = testApp();
  const res = await t.call(
    "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21&api-version=2024-10-21",
    { json: hi },
  );
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.deepEqual(t.upstream, [
    "POST /openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
  ]);
});
