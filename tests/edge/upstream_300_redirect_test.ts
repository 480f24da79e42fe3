// A 300 (Multiple Choices) from an upstream points elsewhere as a 301-308 does, with a Location
// fetch never follows (300 is no redirect status to it, "manual" or "follow": it comes back as
// is). It is handled as the other redirects: never relayed (its Location may carry a secret),
// failed over while another upstream is left, else 502 UpstreamRedirect. It was relayed as an
// upstream error, and the next upstream was not tried.
import assert from "node:assert/strict";
import { createEdgeApp } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, postJson } from "./_helpers.ts";
import { firstThenEmulator } from "./_first_upstream.ts";

const CHAT = azurePath("gpt-4o", "chat/completions");
const hi = { messages: [{ role: "user", content: "hi" }] };
const LOCATION = "https://elsewhere.example/openai?sig=multiple-choices-secret";

function multipleChoices(): Promise<Response> {
  return Promise.resolve(
    new Response('{"error":{"code":"300","message":"pick one"}}', {
      status: 300,
      headers: { location: LOCATION, "content-type": "application/json" },
    }),
  );
}

Deno.test("an upstream 300 answers 502 UpstreamRedirect, its Location neither relayed nor logged", async () => {
  const logged: string[] = [];
  const app = createEdgeApp({
    upstream: {
      endpoint: "https://only.example",
      apiKey: "azure-key-multiple-choices",
      fetch: multipleChoices,
    },
    clientKeys: [KEY],
    onError: (m) => logged.push(m),
  });
  const res = await app.fetch(postJson(CHAT, hi));
  assert.equal(res.status, 502);
  assert.equal(res.headers.get("location"), null);
  assert.equal((await errorOf(res)).code, "UpstreamRedirect");
  assert.ok(
    logged.some((m) => /answered 300 \(a redirect to https:\/\/elsewhere\.example\)/.test(m)),
  );
  assert.ok(!logged.join("\n").includes("multiple-choices-secret"), logged.join("\n"));
});

for (const stream of [false, true]) {
  Deno.test(`a primary answering 300 fails over to the next upstream (stream: ${stream})`, async () => {
    const { app, errors } = firstThenEmulator(multipleChoices);
    const res = await app.fetch(postJson(CHAT, { ...hi, stream }));
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(res.headers.get("x-aoai-upstream"), "1");
    await res.body?.cancel();
    assert.equal(errors.length, 1, errors.join("\n"));
    assert.match(errors[0], /upstream first\.example answered 300 \(a redirect, not followed\)/);
    assert.match(errors[0], /trying upstream 1/);
  });
}
