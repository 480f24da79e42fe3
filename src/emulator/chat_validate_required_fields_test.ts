import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";

const CHAT = "/openai/deployments/gpt-4o/chat/completions";

/** `code param` of the 400 for `messages` at `apiVersion`, or the status when not a 400. */
async function refusal(messages: unknown[], apiVersion: string): Promise<string> {
  const res = await post(createEmulator(), CHAT, { messages }, { apiVersion });
  if (res.status !== 400) {
    await res.body?.cancel();
    return String(res.status);
  }
  const { error } = await res.json();
  return `${error.code} ${error.param}`;
}

const USER = { role: "user", content: "hi" };
const CALL = {
  role: "assistant",
  content: null,
  tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }],
};

Deno.test("a null tool_call_id or function name is missing, on every version", async () => {
  for (const v of ["2024-10-21", "2024-05-01-preview", "2025-01-01-preview"]) {
    assert.equal(
      await refusal([USER, CALL, { role: "tool", tool_call_id: null, content: "r" }], v),
      "missing_required_parameter messages[2].tool_call_id",
      v,
    );
    assert.equal(
      await refusal([USER, { role: "function", name: null, content: "r" }], v),
      "missing_required_parameter messages[1].name",
      v,
    );
  }
});

Deno.test("a developer message's content may not be null (versions after the stored documents)", async () => {
  const v = "2025-01-01-preview";
  assert.equal(
    await refusal([{ role: "developer", content: null }, USER], v),
    "missing_required_parameter messages[0].content",
  );
  assert.equal(await refusal([{ role: "developer", content: "be brief" }, USER], v), "200");
});

Deno.test("a function message's content is a string on every version, never an array of parts", async () => {
  for (const v of ["2024-10-21", "2025-01-01-preview"]) {
    const parts = [{ type: "text", text: "r" }];
    assert.equal(
      await refusal([USER, { role: "function", name: "f", content: parts }], v),
      "invalid_type messages[1].content",
      v,
    );
  }
});

Deno.test("a message field of the wrong type: content says parts are taken where they are", async () => {
  const message = async (messages: unknown[], apiVersion: string) => {
    const res = await post(createEmulator(), CHAT, { messages }, { apiVersion });
    assert.equal(res.status, 400);
    return (await res.json()).error.message;
  };
  assert.equal(
    await message([{ role: "user", content: 5 }], "2024-10-21"),
    "'messages[0].content' must be a string or an array of content parts.",
  );
  // 2024-05-01-preview: the system message's content is a string only.
  assert.equal(
    await message([{ role: "system", content: 5 }, USER], "2024-05-01-preview"),
    "'messages[0].content' must be a string.",
  );
  assert.equal(
    await message([USER, CALL, { role: "tool", tool_call_id: 5, content: "r" }], "2024-10-21"),
    "'messages[2].tool_call_id' must be a string.",
  );
});
