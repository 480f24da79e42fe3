import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";

const CHAT = "/openai/deployments/gpt-4o/chat/completions";

Deno.test("a version without a stored document takes a null function description but not a number", async () => {
  const apiVersion = "2025-01-01-preview";
  const send = (description: unknown) =>
    post(createEmulator(), CHAT, {
      messages: [{ role: "user", content: "hi" }],
      tools: [{ type: "function", function: { name: "f", description, parameters: {} } }],
    }, { apiVersion });
  const taken = await send(null);
  await taken.body?.cancel();
  assert.equal(taken.status, 200);
  const refused = await send(5);
  assert.equal(refused.status, 400);
  const { error } = await refused.json();
  assert.equal(`${error.code} ${error.param}`, "invalid_type tools[0].function.description");
});
