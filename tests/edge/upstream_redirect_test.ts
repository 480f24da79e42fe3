import assert from "node:assert/strict";
import { createEdgeApp, MemoryCache } from "../../edge/mod.ts";
import { azurePath, errorOf, KEY, postJson } from "./_helpers.ts";

const AZURE_KEY = "azure-secret-key-0001";

/**
 * An upstream answering every call 307 to another local server, which counts what reaches it
 * (answering `answer`); both stop on dispose.
 */
function redirectingUpstream(answer: () => Response) {
  const counter = { reached: 0 };
  const other = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    counter.reached++;
    return answer();
  });
  const upstream = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    await req.body?.cancel();
    return new Response(null, {
      status: 307,
      headers: { location: `http://127.0.0.1:${other.addr.port}/` },
    });
  });
  return {
    endpoint: `http://127.0.0.1:${upstream.addr.port}`,
    get reached() {
      return counter.reached;
    },
    async [Symbol.asyncDispose]() {
      await upstream.shutdown();
      await other.shutdown();
    },
  };
}

for (const status of [301, 302, 303, 307, 308]) {
  Deno.test(`edge app: an upstream ${status} redirect is not followed (the app's key stays home) and answers 502`, async () => {
    const elsewhere: string[] = [];
    // Another origin (another port): whatever reaches it, a redirect took there.
    await using other = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
      elsewhere.push(`api-key=${req.headers.get("api-key")}`);
      return Response.json({ choices: [] });
    });
    const target = `http://127.0.0.1:${other.addr.port}/collect?sig=redirect-sig-secret`;
    await using upstream = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      async (req) => {
        await req.body?.cancel();
        return new Response("moved", { status, headers: { location: target } });
      },
    );
    const logged: string[] = [];
    const app = createEdgeApp({
      upstream: { endpoint: `http://127.0.0.1:${upstream.addr.port}`, apiKey: AZURE_KEY },
      clientKeys: [KEY],
      onError: (m) => logged.push(m),
    });
    const res = await app.fetch(
      postJson(azurePath("gpt-4o", "chat/completions"), {
        messages: [{ role: "user", content: "hi" }],
      }),
    );
    assert.deepEqual(elsewhere, [], "nothing was sent where the upstream redirected");
    assert.equal(res.status, 502);
    assert.equal(res.headers.get("location"), null);
    const text = await res.text();
    assert.equal(JSON.parse(text).error.code, "UpstreamRedirect");
    for (const seen of [text, ...res.headers.values(), ...logged]) {
      assert.equal(seen.includes("redirect-sig-secret"), false, seen);
      assert.equal(seen.includes(AZURE_KEY), false, seen);
    }
    assert.ok(logged.some((m) => m.includes(String(status))), logged.join("\n"));
  });
}

Deno.test("edge app: a streamed chat whose upstream redirects is not followed either", async () => {
  await using up = redirectingUpstream(() =>
    new Response("data: [DONE]\n\n", { headers: { "content-type": "text/event-stream" } })
  );
  const app = createEdgeApp({
    upstream: { endpoint: up.endpoint, apiKey: AZURE_KEY },
    clientKeys: [KEY],
    onError: () => {},
  });
  const res = await app.fetch(
    postJson(azurePath("gpt-4o", "chat/completions"), {
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    }),
  );
  assert.equal(res.status, 502);
  assert.equal((await errorOf(res)).code, "UpstreamRedirect");
  assert.equal(up.reached, 0);
});

Deno.test("edge app: calls through the caches (an embeddings miss, a deterministic chat) do not follow an upstream redirect either", async () => {
  await using up = redirectingUpstream(() => Response.json({ data: [] }));
  const app = createEdgeApp({
    upstream: { endpoint: up.endpoint, apiKey: AZURE_KEY },
    clientKeys: [KEY],
    cache: new MemoryCache(),
    chatCache: true,
    onError: () => {},
  });
  const calls = [
    postJson(azurePath("text-embedding-3-small", "embeddings"), { input: ["a", "b"] }),
    postJson(azurePath("gpt-4o", "chat/completions"), {
      messages: [{ role: "user", content: "hi" }],
      temperature: 0,
    }),
    postJson(azurePath("gpt-4o", "chat/completions"), {
      messages: [{ role: "user", content: "hi" }],
      temperature: 0,
      stream: true,
    }),
  ];
  for (const request of calls) {
    const res = await app.fetch(request);
    assert.equal(res.status, 502);
    assert.equal((await errorOf(res)).code, "UpstreamRedirect");
  }
  assert.equal(up.reached, 0, "a call through a cache went where the upstream redirected");
});
