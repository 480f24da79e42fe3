import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";

Deno.test("log keeps the headers that carry no credential as sent", async () => {
  const e = createEmulator({ apiKeys: ["k"] });
  const res = await post(e, "/openai/deployments/gpt-4o/chat/completions", {
    messages: [{ role: "user", content: "hi" }],
  }, { headers: { "api-key": "k", "x-ms-client-request-id": "client-7" } });
  await res.body?.cancel();
  const { headers } = e.log[0];
  assert.equal(headers["api-key"], "[redacted]");
  assert.equal(headers["content-type"], "application/json");
  assert.equal(headers["x-ms-client-request-id"], "client-7");
});
