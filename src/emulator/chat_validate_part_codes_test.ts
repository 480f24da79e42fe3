import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";

const CHAT = "/openai/deployments/gpt-4o/chat/completions";

/** `code param` of the 400 for a user message with content `parts` (2024-10-21). */
async function refusal(parts: unknown[]): Promise<string> {
  const res = await post(createEmulator(), CHAT, { messages: [{ role: "user", content: parts }] });
  assert.equal(res.status, 400, JSON.stringify(parts));
  const { error } = await res.json();
  return `${error.code} ${error.param}`;
}

Deno.test("a part's absent or null text or image_url is missing; one of the wrong type is invalid_type", async () => {
  const at = "messages[0].content[0]";
  assert.equal(await refusal([{ type: "text" }]), `missing_required_parameter ${at}.text`);
  assert.equal(
    await refusal([{ type: "text", text: null }]),
    `missing_required_parameter ${at}.text`,
  );
  assert.equal(await refusal([{ type: "text", text: 5 }]), `invalid_type ${at}.text`);
  assert.equal(
    await refusal([{ type: "image_url" }]),
    `missing_required_parameter ${at}.image_url`,
  );
  assert.equal(
    await refusal([{ type: "image_url", image_url: null }]),
    `missing_required_parameter ${at}.image_url`,
  );
  assert.equal(
    await refusal([{ type: "image_url", image_url: "https://example.com/a.png" }]),
    `invalid_type ${at}.image_url`,
  );
  assert.equal(
    await refusal([{ type: "image_url", image_url: {} }]),
    `missing_required_parameter ${at}.image_url.url`,
  );
});
