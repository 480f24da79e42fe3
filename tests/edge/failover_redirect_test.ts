// An upstream answering a redirect (3xx) is never followed (the app's key would go along), and
// with failover upstreams it is not the client's answer either while another upstream is left:
// like an unreachable one, it moves on; only the last upstream's redirect gives 502
// UpstreamRedirect.
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, postJson } from "./_helpers.ts";
import { firstThenEmulator } from "./_first_upstream.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const hi = { messages: [{ role: "user", content: "hi" }] };

/** An app over [an upstream answering `status` with a Location, an emulator]. */
function redirectingFirst(status: number) {
  let asked = 0;
  let followed = 0;
  const { app, errors } = firstThenEmulator((req) => {
    if (new URL(req.url).host !== "first.example") followed++;
    asked++;
    return Promise.resolve(
      new Response("moved", {
        status,
        headers: { location: "https://elsewhere.example/openai?sig=secret" },
      }),
    );
  });
  return { app, errors, asked: () => asked, followed: () => followed };
}

for (const status of [301, 302, 303, 307, 308]) {
  for (const stream of [false, true]) {
    Deno.test(`a primary answering ${status} fails over to the next upstream (stream: ${stream})`, async () => {
      const t = redirectingFirst(status);
      const res = await t.app.fetch(postJson(CHAT, { ...hi, stream }));
      assert.equal(res.status, 200, await res.clone().text());
      assert.equal(res.headers.get("x-aoai-upstream"), "1");
      await res.body?.cancel();
      assert.equal(t.asked(), 1);
      assert.equal(t.followed(), 0);
      assert.equal(t.errors.length, 1);
      assert.match(t.errors[0], new RegExp(`upstream first\\.example answered ${status}`));
      assert.match(t.errors[0], /trying upstream 1/);
      assert.doesNotMatch(t.errors[0], /sig=|secret|first-key/);
    });
  }
}

Deno.test("the last upstream's redirect still gives 502 UpstreamRedirect", async () => {
  const emulator = createEmulator({ apiKeys: ["first-key-0123456789"] });
  emulator.failNext(1, 503);
  const app = createEdgeApp({
    clientKeys: [KEY],
    onError: () => {},
    upstream: [
      { endpoint: "http://up0.local", apiKey: emulator.apiKey, fetch: emulator.fetch },
      {
        endpoint: "https://last.example",
        apiKey: "last-key-0123456789",
        fetch: () =>
          Promise.resolve(
            new Response(null, { status: 307, headers: { location: "https://x.example/" } }),
          ),
      },
    ],
  });
  const res = await app.fetch(postJson(CHAT, hi));
  assert.equal(res.status, 502);
  assert.equal(res.headers.get("x-aoai-upstream"), "1");
  assert.equal((await errorOf(res)).code, "UpstreamRedirect");
});
