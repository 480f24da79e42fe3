import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";

const CHAT = "/openai/deployments/gpt-4o/chat/completions";
const MESSAGES = [{ role: "user", content: "hi" }];

/** The error of a chat request with `fields` added, as `code param: message`. */
async function refusal(fields: string): Promise<string> {
  const e = createEmulator();
  // Raw JSON text: 1e400 parses to Infinity.
  const res = await post(e, CHAT, `{"messages":${JSON.stringify(MESSAGES)},${fields}}`);
  assert.equal(res.status, 400, fields);
  const { error } = await res.json();
  return `${error.code} ${error.param}: ${error.message}`;
}

Deno.test("a number field of the wrong type names the type it takes (integer or number)", async () => {
  assert.equal(
    await refusal(`"temperature":"hot"`),
    `invalid_type temperature: 'temperature' must be a number; got "hot".`,
  );
  assert.equal(await refusal(`"n":1.5`), "invalid_type n: 'n' must be an integer; got 1.5.");
  // An overflowing literal is not a finite number: the type is wrong, not the range.
  assert.match(await refusal(`"temperature":1e400`), /^invalid_type temperature: /);
});

Deno.test("a field of the wrong JSON type says which type it got, never the value", async () => {
  assert.equal(
    await refusal(`"user":5`),
    "invalid_type user: 'user' must be a string; got a number.",
  );
  assert.equal(
    await refusal(`"logprobs":[]`),
    "invalid_type logprobs: 'logprobs' must be a boolean; got an array.",
  );
  assert.equal(
    await refusal(`"data_sources":{"k":"secret"}`),
    "invalid_type data_sources: 'data_sources' must be an array; got an object.",
  );
  assert.equal(
    await refusal(`"user":"u","parallel_tool_calls":"secret"`),
    "invalid_type parallel_tool_calls: 'parallel_tool_calls' must be a boolean; got a string.",
  );
});

Deno.test("fields of the right JSON type pass the type checks", async () => {
  const e = createEmulator();
  const search = {
    type: "azure_search",
    parameters: {
      endpoint: "https://search.example",
      index_name: "docs",
      authentication: { type: "api_key", key: "k" },
    },
  };
  const res = await post(e, CHAT, {
    messages: MESSAGES,
    user: "u",
    logprobs: true,
    data_sources: [search],
  });
  await res.body?.cancel();
  assert.equal(res.status, 200);
});
