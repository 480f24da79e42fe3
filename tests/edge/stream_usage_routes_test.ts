import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { ClientTokenLimiter, createEdgeApp, type TokenLimiter } from "../../edge/mod.ts";
import { KEY, sseData } from "./_helpers.ts";

const MESSAGES = [{ role: "user", content: "one two three four five six seven eight" }];

/** A limiter that records the tokens it is charged, and a way to wait for the first charge. */
function recording() {
  const inner = new ClientTokenLimiter({ tokensPerMinute: 1_000_000 });
  const charges: number[] = [];
  let charged!: () => void;
  const first = new Promise<void>((resolve) => charged = resolve);
  const limiter: TokenLimiter = {
    check: (client) => inner.check(client),
    async charge(client, tokens) {
      await inner.charge(client, tokens);
      charges.push(tokens);
      charged();
    },
  };
  return { limiter, charges, first };
}

/** An app on two emulator upstreams whose clients default to `apiVersions`; the primary fails. */
function twoUpstreams(apiVersions: [string, string], limiter: TokenLimiter) {
  const bodies: Promise<string>[][] = [[], []];
  const clients = apiVersions.map((apiVersion, i) => {
    const key = `upstream-${i}-key-${crypto.randomUUID()}`;
    const emulator = createEmulator({ apiKeys: [key] });
    if (i === 0) emulator.failNext(1, 503);
    return new AzureOpenAI({
      endpoint: `http://up${i}.local`,
      apiKey: key,
      apiVersion,
      fetch: (req, init) => {
        bodies[i].push(req.clone().text());
        return emulator.fetch(req, init);
      },
    });
  });
  const app = createEdgeApp({
    clientKeys: [KEY],
    upstream: clients,
    tokenLimit: { limiter },
    onError: () => {},
  });
  const call = (path: string, json: unknown) =>
    app.fetch(
      new Request(`http://edge.test${path}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify(json),
      }),
    );
  return { call, bodies };
}

Deno.test("tokenLimit: a v1-route stream failing over to an upstream on an api-version without stream_options is not refused for it", async () => {
  const r = recording();
  const t = twoUpstreams(["2024-10-21", "2024-02-01"], r.limiter);
  const res = await t.call("/openai/v1/chat/completions", {
    model: "gpt-4o",
    messages: MESSAGES,
    stream: true,
  });
  assert.equal(res.status, 200, "the fallback streams the answer");
  const events = sseData(await res.text());
  assert.equal(events.at(-1), "[DONE]");
  assert.ok(!events.some((d) => d !== "[DONE]" && "usage" in JSON.parse(d)), "no usage shown");
  assert.equal(JSON.parse(await t.bodies[1][0]).stream_options, undefined, "not asked there");
  await r.first;
  assert.ok(r.charges[0] > 0, "charged an estimate");
});
