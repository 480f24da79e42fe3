import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";

const TENANT = "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10";
const CLIENT = "9b0e6c3a-5f2d-4e8b-8c71-1a2b3c4d5e6f";
const SECRET = "local~Auth.Secret-0123456789";
const KEY = "local-auth-test-key";
const CHAT = "http://emulator.local/openai/deployments/gpt-4o/chat/completions" +
  "?api-version=2024-10-21";
const DISABLED = {
  error: {
    code: "AuthenticationTypeDisabled",
    message: "Key based authentication is disabled for this resource.",
  },
};

function chat(headers: Record<string, string>, url = CHAT): Request {
  return new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
  });
}

async function status(res: Response): Promise<number> {
  await res.body?.cancel();
  return res.status;
}

async function issueToken(emulator: ReturnType<typeof createEmulator>): Promise<string> {
  const res = await emulator.fetch(`http://login.local/${TENANT}/oauth2/v2.0/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: CLIENT,
      client_secret: SECRET,
      scope: "https://cognitiveservices.azure.com/.default",
    }),
  });
  assert.equal(res.status, 200);
  return (await res.json()).access_token;
}

Deno.test("emulator disableLocalAuth: an api-key, right or wrong, is answered 403 AuthenticationTypeDisabled as the service answers it", async () => {
  const emulator = createEmulator({ apiKeys: [KEY], disableLocalAuth: true });
  for (const key of [KEY, "a-wrong-key"]) {
    const res = await emulator.fetch(chat({ "api-key": key }));
    assert.equal(res.status, 403);
    assert.equal(res.headers.get("content-type"), "application/json");
    assert.deepEqual(await res.json(), DISABLED);
    assert.equal(emulator.log.at(-1)?.auth, "api-key");
  }
  // Checked before the deployment is looked up, like the 401 of a wrong key.
  const unknown = await emulator.fetch(
    chat({ "api-key": KEY }, CHAT.replace("/gpt-4o/", "/no-such-deployment/")),
  );
  assert.equal(unknown.status, 403);
  assert.deepEqual(await unknown.json(), DISABLED);
  assert.ok(!JSON.stringify(emulator.log).includes(KEY), "the key is never logged");
});

Deno.test("emulator disableLocalAuth with entra: only the tokens its endpoint issued are accepted, not apiKeys as bearer tokens", async () => {
  const emulator = createEmulator({
    apiKeys: [KEY],
    disableLocalAuth: true,
    entra: { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET },
  });
  const keyAsBearer = await emulator.fetch(chat({ authorization: `Bearer ${KEY}` }));
  assert.equal(keyAsBearer.status, 401);
  assert.match((await keyAsBearer.json()).error.message, /Access token is missing, invalid/);
  const token = await issueToken(emulator);
  assert.equal(await status(await emulator.fetch(chat({ authorization: `Bearer ${token}` }))), 200);
  assert.equal(emulator.log.at(-1)?.auth, "bearer");
  // The issued token in an api-key header is still a key.
  assert.equal(await status(await emulator.fetch(chat({ "api-key": token }))), 403);
});

Deno.test("emulator disableLocalAuth without entra: apiKeys sent as bearer tokens stand in for Entra ID tokens", async () => {
  const emulator = createEmulator({ apiKeys: [KEY], disableLocalAuth: true });
  assert.equal(await status(await emulator.fetch(chat({ authorization: `Bearer ${KEY}` }))), 200);
  assert.equal(await status(await emulator.fetch(chat({ authorization: "Bearer other" }))), 401);
  assert.equal(await status(await emulator.fetch(chat({}))), 401);
});

Deno.test("emulator: without disableLocalAuth keys work as api-key and as bearer tokens next to entra", async () => {
  const emulator = createEmulator({
    apiKeys: [KEY],
    entra: { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET },
  });
  assert.equal(await status(await emulator.fetch(chat({ "api-key": KEY }))), 200);
  assert.equal(await status(await emulator.fetch(chat({ authorization: `Bearer ${KEY}` }))), 200);
  assert.equal(await status(await emulator.fetch(chat({ "api-key": "a-wrong-key" }))), 401);
});

Deno.test("emulator disableLocalAuth: a value other than a boolean is a TypeError naming the option", () => {
  assert.throws(
    () => createEmulator({ disableLocalAuth: "true" as unknown as boolean }),
    /options\.disableLocalAuth must be a boolean/,
  );
});
