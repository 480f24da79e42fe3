import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";

const PATH = "/openai/deployments/text-embedding-3-small/embeddings";

/** Status and (for a 400) the error code of an embeddings request with `input`. */
async function outcome(input: unknown, apiVersion = "2024-10-21"): Promise<string> {
  const res = await post(createEmulator(), PATH, { input }, { apiVersion });
  if (res.status !== 400) {
    const body = await res.json();
    return `${res.status} ${body.data.length} ${body.usage.prompt_tokens}`;
  }
  const { error } = await res.json();
  return `400 ${error.code} ${error.param}`;
}

Deno.test("an input of 8191 tokens is taken, one of 8192 is over the context length", async () => {
  assert.equal(await outcome("abcd".repeat(8191)), "200 1 8191");
  assert.equal(await outcome("abcd".repeat(8192)), "400 context_length_exceeded input");
  assert.equal(await outcome(["a", "abcd".repeat(8192)]), "400 context_length_exceeded input");
  const res = await post(createEmulator(), PATH, { input: "abcd".repeat(8192) });
  assert.match(
    (await res.json()).error.message,
    /^This model's maximum context length is 8192 tokens, however you requested 8192 tokens /,
  );
});

Deno.test("an array of one text or of one token array is one input; an empty token array is refused", async () => {
  assert.equal(await outcome(["hello"]), "200 1 2");
  // Token ids: only on versions after the stored documents (theirs list strings only).
  const later = "2025-01-01-preview";
  assert.equal(await outcome([[1, 2]], later), "200 1 2");
  assert.equal(await outcome([[1, 2], []], later), "400 invalid_value input");
});

Deno.test("an absent or null input is missing; token ids on a documented version are invalid_type", async () => {
  assert.equal(await outcome(undefined), "400 missing_required_parameter input");
  assert.equal(await outcome(null), "400 missing_required_parameter input");
  assert.equal(await outcome([1, 2]), "400 invalid_type input");
  assert.equal(await outcome([[1, 2]], "2024-05-01-preview"), "400 invalid_type input");
});
