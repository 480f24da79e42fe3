// The app's own credential refused by its upstreams (401), or its sign-in failing, with several
// upstreams: what the client is answered once every upstream was skipped for it.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { createEdgeApp, type EdgeAppOptions, type EdgeRequestEvent } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, postJson } from "./_helpers.ts";

/**
 * An app over one emulator per entry of `upstreams`, each sent a wrong key, the right one, or
 * nothing (its tokenProvider fails).
 */
function refusingApp(
  upstreams: ("wrong" | "right" | "sign-in fails")[],
  options: Partial<Omit<EdgeAppOptions, "upstream">> = {},
) {
  const clock = { now: 1_000_000 };
  const errors: string[] = [];
  const emulators = upstreams.map(() =>
    createEmulator({
      apiKeys: ["the-right-key-0123456789"],
      now: () => clock.now,
      faults: { retryAfterMs: 5000 },
    })
  );
  const app = createEdgeApp({
    clientKeys: [KEY],
    now: () => clock.now,
    onError: (line) => errors.push(line),
    ...options,
    upstream: upstreams.map((kind, i) =>
      new AzureOpenAI({
        endpoint: `http://up${i}.local`,
        ...(kind === "sign-in fails"
          ? { tokenProvider: () => Promise.reject(new Error("AADSTS7000215: bad secret")) }
          : { apiKey: kind === "right" ? "the-right-key-0123456789" : `wrong-key-${i}-abcdef` }),
        fetch: emulators[i].fetch,
      })
    ),
  });
  const ask = (stream = false) =>
    app.fetch(
      postJson(azurePath("gpt-4o", "chat/completions"), {
        messages: [{ role: "user", content: "hi" }],
        stream,
      }),
    );
  return { app, ask, errors, emulators, clock };
}

Deno.test("every upstream refusing the app's credential keeps answering 401 UpstreamAuthenticationFailed while they are skipped, never a 429 an SDK would retry", async () => {
  for (const balance of ["primary-first", "round-robin"] as const) {
    const t = refusingApp(["wrong", "wrong"], { upstreamBalance: balance });
    for (let i = 0; i < 4; i++) {
      const res = await t.ask(i % 2 === 1);
      const error = await errorOf(res);
      assert.equal(res.status, 401, `${balance}, request ${i + 1}: ${JSON.stringify(error)}`);
      assert.equal(error.code, "UpstreamAuthenticationFailed");
      assert.match(error.message, /refused this edge app's credential/);
      assert.equal(res.headers.get("retry-after"), null, "no wait would help");
      t.clock.now += 1000;
    }
    // Each upstream was asked once per 5 s skip at most after the first request.
    const asked = t.emulators.reduce((n, e) => n + e.stats.requests, 0);
    assert.ok(asked <= 4, `${asked} upstream requests`);
    t.clock.now += 5000;
  }
});

Deno.test("upstreams skipped, one for a refused credential and one for a 429, still answer 429 UpstreamsCoolingDown with a wait", async () => {
  const t = refusingApp(["wrong", "right"], {});
  for (let i = 0; i < 2; i++) {
    t.emulators[1].failNext(1, 429);
    const res = await t.ask();
    assert.equal(res.status, 429);
    assert.equal(res.headers.get("x-aoai-upstream"), "1");
    await res.body?.cancel();
  }
  const res = await t.ask();
  assert.equal(res.status, 429);
  assert.equal((await errorOf(res)).code, "UpstreamsCoolingDown");
  assert.ok(res.headers.get("retry-after"));
});

Deno.test("the app's own 401 for upstreams that all refused its credential is reported in onRequest with its code", async () => {
  const events: EdgeRequestEvent[] = [];
  const t = refusingApp(["wrong", "wrong"], { onRequest: (event) => void events.push(event) });
  for (let i = 0; i < 3; i++) await (await t.ask()).text();
  for (let i = 0; i < 20 && events.length < 3; i++) await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(events.map((e) => [e.status, e.error, e.upstream]), [
    [401, "UpstreamAuthenticationFailed", 1],
    [401, "UpstreamAuthenticationFailed", 1],
    [401, "UpstreamAuthenticationFailed", undefined],
  ]);
  assert.match(t.errors.at(-1)!, /every upstream refused the app's credential \(401\)/);
  for (const line of t.errors) assert.ok(!/wrong-key/.test(line), line);
});

Deno.test("an upstream whose sign-in fails (its tokenProvider) fails over to the next and is skipped for a while", async () => {
  const t = refusingApp(["sign-in fails", "right"]);
  for (let i = 0; i < 2; i++) {
    const res = await t.ask();
    assert.equal(res.status, 200, JSON.stringify(await res.clone().text()));
    assert.equal(res.headers.get("x-aoai-upstream"), "1");
    await res.body?.cancel();
  }
  assert.equal(t.errors.length, 1, "the second request did not try the primary");
  assert.match(
    t.errors[0],
    /upstream up0\.local could not sign in .*AADSTS7000215.*; trying upstream 1/,
  );
});

Deno.test("an upstream that refuses a token, then cannot get a fresh one, fails over once", async () => {
  const emulators = [createEmulator(), createEmulator()];
  let asked = 0;
  const errors: string[] = [];
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: (line) => errors.push(line),
    upstream: [
      new AzureOpenAI({
        endpoint: "http://up0.local",
        // A token the resource refuses (401), then Entra ID refusing to give another.
        tokenProvider: () =>
          asked++ === 0
            ? Promise.resolve("a-token-without-a-role-0123456789")
            : Promise.reject(new Error("AADSTS7000215: bad secret")),
        fetch: emulators[0].fetch,
      }),
      new AzureOpenAI({
        endpoint: "http://up1.local",
        apiKey: emulators[1].apiKey,
        fetch: emulators[1].fetch,
      }),
    ],
  });
  const res = await app.fetch(
    postJson(azurePath("gpt-4o", "chat/completions"), {
      messages: [{ role: "user", content: "hi" }],
    }),
  );
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  await res.body?.cancel();
  assert.equal(emulators[0].stats.requests, 1);
  assert.equal(emulators[1].stats.requests, 1);
  for (const line of errors) assert.ok(!line.includes("a-token-without-a-role"), line);
});

Deno.test("every upstream failing the app's sign-in keeps answering 502 UpstreamSignInFailed while they are skipped, never a 429", async () => {
  const t = refusingApp(["sign-in fails", "sign-in fails"]);
  for (let i = 0; i < 4; i++) {
    const res = await t.ask();
    const error = await errorOf(res);
    assert.equal(res.status, 502, `request ${i + 1}: ${JSON.stringify(error)}`);
    assert.equal(error.code, "UpstreamSignInFailed");
    t.clock.now += 1000;
  }
  assert.match(t.errors.at(-1)!, /every upstream failed the app's sign-in in the last 5 s/);
});
