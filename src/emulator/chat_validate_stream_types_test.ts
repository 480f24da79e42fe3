import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";

const CHAT = "/openai/deployments/gpt-4o/chat/completions";
const MESSAGES = [{ role: "user", content: "hi" }];

/** `code param` of the 400 for a chat body with `fields` (2024-10-21). */
async function refusal(fields: Record<string, unknown>): Promise<string> {
  const res = await post(createEmulator(), CHAT, { messages: MESSAGES, ...fields });
  assert.equal(res.status, 400, JSON.stringify(fields));
  const { error } = await res.json();
  return `${error.code} ${error.param}`;
}

Deno.test("a stream that is not a boolean, or stream_options that are not an object, is invalid_type", async () => {
  for (const stream of ["yes", 1, {}]) {
    assert.equal(await refusal({ stream }), "invalid_type stream", JSON.stringify(stream));
  }
  for (const stream_options of ["usage", true, []]) {
    assert.equal(
      await refusal({ stream: true, stream_options }),
      "invalid_type stream_options",
      JSON.stringify(stream_options),
    );
  }
  // null is the documents' "not set" for both.
  const res = await post(createEmulator(), CHAT, {
    messages: MESSAGES,
    stream: null,
    stream_options: null,
  });
  await res.body?.cancel();
  assert.equal(res.status, 200);
});
