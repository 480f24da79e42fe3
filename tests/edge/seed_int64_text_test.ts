// A seed is an int64 (-2^63 to 2^63 - 1). JSON.parse reads 2^63 - 1 and 2^63 alike (both become
// the double 2^63), so the range is checked on the seed's text as the client sent it (which is
// what goes upstream).
import assert from "node:assert/strict";
import { errorOf, testApp } from "./_helpers.ts";

const CHAT = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
const COMPLETIONS = "/openai/deployments/gpt-35-turbo-instruct/completions?api-version=2024-10-21";
const MESSAGES = '"messages":[{"role":"user","content":"hi"}]';

function post(path: string, body: string) {
  const t = testApp();
  const res = t.call(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return { t, res };
}

for (
  const seed of ["9223372036854775808", "-9223372036854775809", "9223372036854775807.5", "1e19"]
) {
  for (
    const [route, path, rest] of [
      ["chat", CHAT, MESSAGES],
      ["completions", COMPLETIONS, '"prompt":"x"'],
      ["v1 chat", "/openai/v1/chat/completions", `"model":"gpt-4o",${MESSAGES}`],
    ]
  ) {
    Deno.test(`${route}: a seed of ${seed} (outside int64) gets 400 naming seed, nothing sent upstream`, async () => {
      const { t, res } = post(path, `{${rest},"seed": ${seed} }`);
      const answer = await res;
      const error = await errorOf(answer);
      assert.equal(answer.status, 400, JSON.stringify(error));
      assert.equal(error.param, "seed");
      assert.match(error.message, /-9223372036854775808 to 9223372036854775807/);
      assert.deepEqual(t.upstream, []);
    });
  }
}

for (const seed of ["9223372036854775807", "-9223372036854775808", "9007199254740993", "42"]) {
  Deno.test(`a seed of ${seed} (int64) passes and goes upstream as sent`, async () => {
    const { t, res } = post(CHAT, `{${MESSAGES},"seed":${seed}}`);
    const answer = await res;
    assert.equal(answer.status, 200, await answer.clone().text());
    await answer.body?.cancel();
    assert.match(await t.upstreamBodies[0], new RegExp(`"seed":${seed}[,}]`));
  });
}

Deno.test("only the top-level seed counts: one quoted in a message, or nested, is not a seed", async () => {
  const body = `{"messages":[{"role":"user","content":"{\\"seed\\": 9223372036854775808}"}],` +
    `"metadata":{"seed":9223372036854775808},"seed":9223372036854775807}`;
  const { res } = post(CHAT, body);
  const answer = await res;
  assert.equal(answer.status, 200, await answer.clone().text());
  await answer.body?.cancel();
});

Deno.test("a seed given twice: the one JSON.parse keeps (the last) is checked", async () => {
  const { t, res } = post(CHAT, `{${MESSAGES},"seed":1,"seed":9223372036854775808}`);
  const answer = await res;
  assert.equal(answer.status, 400);
  assert.equal((await errorOf(answer)).param, "seed");
  assert.deepEqual(t.upstream, []);
});
