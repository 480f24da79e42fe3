import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEdgeApp } from "../../edge/mod.ts";

// Every answer the app makes itself or relays (errors, refusals, relays) and every onError line
// is free of the upstream key, the client keys (as `api-key` or as a bearer token) and of a
// wrong key a client presented.

const UPSTREAM = "Qw7UpZk3Rm9Xv2Lt5Ns8Hb4Jd6Fg1Ac0";
const CLIENT = "Tz4Kq8Wm2Yx6Vn3Pj7Rb5Lc9";
const BEARER = "Gh2Mx7Qs9Zw4Bk8Nd3Ft6Vy1";
const WRONG = "Xp5Jr1Wn8Kc3Mz6Qt9Lb2Hs4";
const SECRETS = [UPSTREAM, CLIENT, BEARER, WRONG];
const CHAT = { messages: [{ role: "user", content: "hi" }] };

function assertClean(text: string, label: string): void {
  for (const secret of SECRETS) {
    for (let i = 0; i + 8 <= secret.length; i++) {
      const piece = secret.slice(i, i + 8);
      assert.ok(!text.includes(piece), `${label}: ${piece} of a secret in ${text}`);
    }
  }
}

Deno.test("no error, refusal, relay or onError line holds a key or token", async () => {
  const logs: string[] = [];
  let mode = "echo";
  const upstream = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey: UPSTREAM,
    fetch: (req) => {
      const key = req.headers.get("api-key");
      if (mode === "throw") return Promise.reject(new TypeError(`connect failed for ${key}`));
      return Promise.resolve(
        new Response(JSON.stringify({ error: { code: "429", message: `slow down ${key}` } }), {
          status: 429,
          headers: { "content-type": "application/json", "retry-after": "7", "x-echo": `${key}` },
        }),
      );
    },
  });
  const app = createEdgeApp({
    upstream,
    clientKeys: [CLIENT, BEARER],
    deployments: ["d"],
    maxJsonBytes: 256,
    rateLimit: { requestsPerMinute: 1000 },
    onError: (message) => logs.push(message),
  });
  const limited = createEdgeApp({
    upstream,
    clientKeys: [CLIENT],
    rateLimit: { requestsPerMinute: 1 },
    onError: (message) => logs.push(message),
  });
  const base = "http://edge.test/openai/deployments";
  const v = "?api-version=2024-10-21";
  const post = (url: string, body: string, headers: Record<string, string>) =>
    new Request(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  const asKey = { "api-key": CLIENT };
  const asBearer = { authorization: `Bearer ${BEARER}` };
  const cases: Array<[string, () => Promise<Response>, number]> = [
    [
      "wrong key",
      () => app.fetch(post(`${base}/d/chat/completions${v}`, "{}", { "api-key": WRONG })),
      401,
    ],
    [
      "wrong bearer",
      () =>
        app.fetch(
          post(`${base}/d/chat/completions${v}`, "{}", { authorization: `Bearer ${WRONG}` }),
        ),
      401,
    ],
    ["unknown path", () => app.fetch(post(`http://edge.test/${CLIENT}`, "{}", asKey)), 404],
    [
      "wrong method",
      () =>
        app.fetch(
          new Request(`${base}/d/chat/completions${v}`, { method: "PUT", headers: asBearer }),
        ),
      405,
    ],
    [
      "bad api-version",
      () => app.fetch(post(`${base}/d/chat/completions?api-version=x`, "{}", asBearer)),
      400,
    ],
    [
      "not JSON",
      () => app.fetch(post(`${base}/d/chat/completions${v}`, `{"k": ${BEARER}}`, asBearer)),
      400,
    ],
    [
      "not JSON (key)",
      () => app.fetch(post(`${base}/d/chat/completions${v}`, `{"k": ${CLIENT}}`, asKey)),
      400,
    ],
    [
      "too large",
      () =>
        app.fetch(
          post(`${base}/d/embeddings${v}`, JSON.stringify({ input: BEARER.repeat(20) }), asBearer),
        ),
      413,
    ],
    [
      "invalid body",
      () =>
        app.fetch(
          post(`${base}/d/chat/completions${v}`, JSON.stringify({ messages: BEARER }), asBearer),
        ),
      400,
    ],
    [
      "unknown deployment",
      () => app.fetch(post(`${base}/other/chat/completions${v}`, JSON.stringify(CHAT), asKey)),
      404,
    ],
    [
      "upstream 429 relayed",
      () => app.fetch(post(`${base}/d/chat/completions${v}`, JSON.stringify(CHAT), asBearer)),
      429,
    ],
    [
      "upstream 429, stream",
      () =>
        app.fetch(
          post(`${base}/d/chat/completions${v}`, JSON.stringify({ ...CHAT, stream: true }), asKey),
        ),
      429,
    ],
    ["upstream unreachable", () => {
      mode = "throw";
      return app.fetch(post(`${base}/d/embeddings${v}`, JSON.stringify({ input: "x" }), asKey));
    }, 502],
    [
      "rate limit, first",
      () => limited.fetch(new Request("http://edge.test/nope", { headers: asKey })),
      404,
    ],
    [
      "rate limit refusal",
      () => limited.fetch(new Request("http://edge.test/nope", { headers: asKey })),
      429,
    ],
  ];
  for (const [label, run, status] of cases) {
    const res = await run();
    assert.equal(res.status, status, label);
    assertClean(await res.text() + JSON.stringify([...res.headers]), label);
    if (status === 429) assert.ok(Number(res.headers.get("retry-after")) >= 1, label);
  }
  assert.ok(logs.length > 0, "the unreachable upstream was reported");
  assertClean(logs.join("\n"), "onError");
});
