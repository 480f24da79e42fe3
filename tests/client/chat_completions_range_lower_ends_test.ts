/**
 * The lower ends of the ranges chat and legacy completions check are values they send, as the
 * spec documents them: presence_penalty and frequency_penalty from -2 (a negative penalty too),
 * top_logprobs, logprobs and best_of from 0. Just below each end is refused before sending.
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

function recording() {
  const sent: Record<string, unknown>[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-range-lower-ends-key-1234",
    deployment: "d",
    fetch: async (req) => (sent.push(await req.json()), Response.json({ choices: [] })),
  });
  return { client, sent };
}

const messages = [{ role: "user" as const, content: "hi" }];

Deno.test("chat.completions.create() sends penalties from -2 and top_logprobs from 0", async () => {
  const { client, sent } = recording();
  const cases = [
    { presence_penalty: -2, frequency_penalty: -2, top_logprobs: 0 },
    { presence_penalty: -0.5, frequency_penalty: -1.25, top_logprobs: 0, logprobs: true },
  ];
  for (const c of cases) await client.chat.completions.create({ messages, ...c });
  assert.deepEqual(sent, cases.map((c) => ({ messages, ...c })));
  for (
    const [param, value] of [["presence_penalty", -2.5], ["frequency_penalty", -2.5], [
      "top_logprobs",
      -1,
    ]] as const
  ) {
    await assert.rejects(
      client.chat.completions.create({ messages, [param]: value }),
      (e: Error) => e instanceof TypeError && e.message.includes(`params.${param} `),
      param,
    );
  }
  assert.equal(sent.length, cases.length);
});

Deno.test("completions.create() sends logprobs and best_of from 0", async () => {
  const { client, sent } = recording();
  await client.completions.create({ prompt: "a", logprobs: 0, best_of: 0 });
  assert.deepEqual(sent, [{ prompt: "a", logprobs: 0, best_of: 0 }]);
  for (const param of ["logprobs", "best_of"]) {
    await assert.rejects(
      client.completions.create({ prompt: "a", [param]: -1 }),
      (e: Error) => e instanceof TypeError && e.message.includes(`params.${param} `),
      param,
    );
  }
  assert.equal(sent.length, 1);
});
