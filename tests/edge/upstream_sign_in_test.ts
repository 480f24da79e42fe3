import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, postJson } from "./_helpers.ts";

/** A chat request of the client key. */
function chatRequest(): Request {
  return postJson(azurePath("gpt-4o", "chat/completions"), {
    messages: [{ role: "user", content: "hi" }],
  });
}

/** An app over one upstream client of these options, with the lines given to onError. */
function appOver(upstream: ConstructorParameters<typeof AzureOpenAI>[0]) {
  const errors: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: (line) => errors.push(line),
    upstream: new AzureOpenAI({ endpoint: "http://emulator.local", ...upstream }),
  });
  return { app, errors };
}

Deno.test("createEdgeApp() answers 502 UpstreamSignInFailed when the upstream's tokenProvider fails, not a 401 that blames the client's key", async () => {
  const emulator = createEmulator();
  const { app, errors } = appOver({
    tokenProvider: () => Promise.reject(new Error("the vault is sealed")),
    fetch: emulator.fetch,
  });
  const res = await app.fetch(chatRequest());
  assert.equal(res.status, 502);
  const error = await errorOf(res);
  assert.equal(error.code, "UpstreamSignInFailed");
  assert.ok(!error.message.includes("vault"), "the provider's own text stays in the log");
  assert.equal(emulator.stats.requests, 0, "nothing was sent upstream");
  assert.equal(errors.length, 1);
  assert.match(errors[0], /tokenProvider failed \(the vault is sealed\)/);
});

Deno.test("createEdgeApp() turns the upstream's 401 (the app's own key refused) into a 401 that says so, and logs it", async () => {
  const emulator = createEmulator({ apiKeys: ["the-right-upstream-key"] });
  const { app, errors } = appOver({
    apiKey: "a-wrong-upstream-key",
    fetch: emulator.fetch,
  });
  const res = await app.fetch(chatRequest());
  assert.equal(res.status, 401);
  assert.equal(res.headers.get("x-aoai-upstream"), "0");
  assert.ok(res.headers.get("apim-request-id"), "the upstream's request id is kept");
  const error = await errorOf(res);
  assert.equal(error.code, "UpstreamAuthenticationFailed");
  assert.match(error.message, /refused this edge app's credential .*Your client key was accepted/);
  assert.equal(errors.length, 1);
  assert.match(errors[0], /upstream emulator\.local refused the app's credential \(401\): /);
  for (const text of [JSON.stringify(error), errors[0]]) {
    assert.ok(!text.includes("a-wrong-upstream-key") && !text.includes(KEY), text);
  }
});

Deno.test("createEdgeApp() fails over from an upstream that refuses the app's credential (401) and skips it for a while", async () => {
  const emulators = [createEmulator({ apiKeys: ["primary-right-key"] }), createEmulator()];
  const errors: string[] = [];
  const clock = { now: 1_000_000 };
  const app = createEdgeApp({
    clientKeys: [KEY],
    now: () => clock.now,
    onError: (line) => errors.push(line),
    upstream: [
      new AzureOpenAI({
        endpoint: "http://up0.local",
        apiKey: "primary-wrong-key",
        fetch: emulators[0].fetch,
      }),
      new AzureOpenAI({
        endpoint: "http://up1.local",
        apiKey: emulators[1].apiKey,
        fetch: emulators[1].fetch,
      }),
    ],
  });
  const ask = () =>
    app.fetch(
      chatRequest(),
    );
  const first = await ask();
  assert.equal(first.status, 200);
  assert.equal(first.headers.get("x-aoai-upstream"), "1");
  await first.body?.cancel();
  assert.deepEqual(errors, [
    "chat.completions.create: upstream up0.local answered 401; trying upstream 1",
  ]);
  // Cooling down: the next request goes to upstream 1 first, the primary is not asked.
  const second = await ask();
  assert.equal(second.headers.get("x-aoai-upstream"), "1");
  await second.body?.cancel();
  assert.equal(emulators[0].stats.requests, 1);
  assert.equal(emulators[1].stats.requests, 2);
});

Deno.test("createEdgeApp() logs an upstream 401's text on one line without control characters", async () => {
  const { app, errors } = appOver({
    apiKey: "some-upstream-key-123",
    fetch: () =>
      Promise.resolve(
        new Response("denied\u001b[2J\u001b[31m forged line\r\nsecond\u0000", { status: 401 }),
      ),
  });
  const res = await app.fetch(chatRequest());
  assert.equal(res.status, 401);
  await res.body?.cancel();
  assert.equal(errors.length, 1);
  assert.ok(!/\p{Cc}/u.test(errors[0]), JSON.stringify(errors[0]));
  assert.match(errors[0], /denied \[2J \[31m forged line second/);
});
