import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { BEARER_DENIED_MESSAGE } from "./_response.ts";
import { post } from "./_testing.ts";

const CHAT = "/openai/deployments/gpt-4o/chat/completions";
const MESSAGES = { messages: [{ role: "user", content: "hi" }] };

Deno.test("an Authorization header that is not 'Bearer <token>' answers the bearer 401, not a 500", async () => {
  const e = createEmulator({ apiKeys: ["k"] });
  for (const authorization of ["Basic k", "Bearer", "k"]) {
    const res = await e.fetch(`http://emulator.test${CHAT}?api-version=2024-10-21`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify(MESSAGES),
    });
    assert.equal(res.status, 401, authorization);
    const { error } = await res.json();
    assert.equal(error.code, "401");
    assert.equal(error.message, BEARER_DENIED_MESSAGE);
  }
  assert.equal(e.log.at(-1)?.auth, "bearer");
  // An api-key header, even empty, is the credential used over Authorization.
  const keyFirst = await post(e, CHAT, MESSAGES, {
    headers: { "api-key": "", authorization: "Bearer k" },
  });
  await keyFirst.body?.cancel();
  assert.equal(keyFirst.status, 401);
  const res = await e.fetch(`http://emulator.test${CHAT}?api-version=2024-10-21`, {
    method: "POST",
    headers: { authorization: "bEaReR  k ", "content-type": "application/json" },
    body: JSON.stringify(MESSAGES),
  });
  await res.body?.cancel();
  assert.equal(res.status, 200, "the key as a bearer token, the scheme in any case");
});
