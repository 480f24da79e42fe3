import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { createEdgeApp, MemoryCache, type TokenLimiter } from "../../edge/mod.ts";
import { KEY, recordingLimiter, sseData } from "./_helpers.ts";

const MESSAGES = [{ role: "user", content: "one two three four five six seven eight" }];

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
  const r = recordingLimiter();
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
  await r.reach(1);
  assert.ok(r.tokens[0] > 0, "charged an estimate");
});

/** An app on one emulator upstream (client on `apiVersion`), recording what reaches it. */
function oneUpstream(
  options: { apiVersion?: string; limiter: TokenLimiter; chatCache?: boolean },
) {
  const key = `upstream-key-${crypto.randomUUID()}`;
  const emulator = createEmulator({ apiKeys: [key] });
  const bodies: Promise<string>[] = [];
  const cancels: unknown[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://up.local",
    apiKey: key,
    apiVersion: options.apiVersion,
    fetch: async (req, init) => {
      bodies.push(req.clone().text());
      const res = await emulator.fetch(req, init);
      if (res.body === null) return res;
      const reader = res.body.getReader();
      // The upstream body, telling when it is cancelled.
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await reader.read();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
        cancel(reason) {
          cancels.push(reason);
          return reader.cancel(reason);
        },
      }, { highWaterMark: 0 });
      return new Response(body, res);
    },
  });
  const app = createEdgeApp({
    clientKeys: [KEY],
    upstream: client,
    tokenLimit: { limiter: options.limiter },
    cache: options.chatCache ? new MemoryCache() : undefined,
    chatCache: options.chatCache,
  });
  const call = (path: string, json: unknown) =>
    app.fetch(
      new Request(`http://edge.test${path}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify(json),
      }),
    );
  return { call, bodies, cancels };
}

Deno.test("tokenLimit: a /v1/ stream on a v1 upstream is sent asking for usage and charged it, unseen", async () => {
  const r = recordingLimiter();
  const t = oneUpstream({ apiVersion: "v1", limiter: r.limiter });
  const body = { model: "gpt-4o", messages: MESSAGES, stream: true };
  const text = await (await t.call("/openai/v1/chat/completions", body)).text();
  assert.deepEqual(JSON.parse(await t.bodies[0]).stream_options, { include_usage: true });
  assert.ok(!text.includes('"usage"'), "no usage member reaches the client");
  assert.equal(sseData(text).at(-1), "[DONE]");
  await r.reach(1);
  const asked = await t.call("/openai/v1/chat/completions", {
    ...body,
    stream_options: { include_usage: true },
  });
  const usage = JSON.parse(sseData(await asked.text()).at(-2)!).usage;
  assert.equal(r.tokens[0], usage.total_tokens);
});

Deno.test("tokenLimit: a legacy completions stream is not asked for usage and is charged an estimate", async () => {
  const r = recordingLimiter();
  const t = oneUpstream({ limiter: r.limiter });
  const body = { prompt: "one two three four five six", stream: true, max_tokens: 20 };
  const res = await t.call(
    "/openai/deployments/gpt-35-turbo-instruct/completions?api-version=2024-10-21",
    body,
  );
  assert.equal(res.status, 200);
  let chars = 0;
  for (const data of sseData(await res.text())) {
    if (data !== "[DONE]") chars += JSON.parse(data).choices[0]?.text?.length ?? 0;
  }
  assert.equal(JSON.parse(await t.bodies[0]).stream_options, undefined);
  await r.reach(1);
  assert.ok(chars > 0);
  assert.equal(
    r.tokens[0],
    Math.ceil(JSON.stringify(body).length / 4) + Math.ceil(chars / 4),
    "4 characters a token over the request and the text",
  );
});

Deno.test("tokenLimit: a client cancelling a stream asked for usage cancels the upstream body and is charged an estimate", async () => {
  const r = recordingLimiter();
  const t = oneUpstream({ limiter: r.limiter });
  const body = { messages: MESSAGES, stream: true, max_tokens: 50 };
  const res = await t.call(
    "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
    body,
  );
  const reader = res.body!.getReader();
  await reader.read();
  await reader.cancel("bye");
  await r.reach(1);
  assert.deepEqual(t.cancels, ["bye"], "the cancel reached the upstream body");
  assert.ok(r.tokens[0] >= Math.ceil(JSON.stringify(body).length / 4));
});

Deno.test("tokenLimit with chatCache: a streamed miss asked for usage is charged it and stored; hits are free and shaped as asked", async () => {
  const r = recordingLimiter();
  const t = oneUpstream({ limiter: r.limiter, chatCache: true });
  const path = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
  const body = { messages: MESSAGES, stream: true, temperature: 0 };
  const miss = await t.call(path, body);
  assert.equal(miss.headers.get("x-aoai-cache"), "miss");
  const missText = await miss.text();
  assert.ok(!missText.includes('"usage"'));
  assert.deepEqual(JSON.parse(await t.bodies[0]).stream_options, { include_usage: true });
  await r.reach(1);
  assert.ok(r.tokens[0] > 0, "the miss is charged the usage counted");
  const hit = await t.call(path, body);
  assert.equal(hit.headers.get("x-aoai-cache"), "hit");
  const hitText = await hit.text();
  assert.ok(!hitText.includes('"usage"'), "a hit without include_usage has no usage");
  const content = (text: string) =>
    sseData(text).filter((d) => d !== "[DONE]").map((d) =>
      JSON.parse(d).choices[0]?.delta?.content ?? ""
    ).join("");
  assert.equal(content(hitText), content(missText));
  const asked = await t.call(path, { ...body, stream_options: { include_usage: true } });
  assert.equal(asked.headers.get("x-aoai-cache"), "hit");
  const events = sseData(await asked.text());
  assert.deepEqual(JSON.parse(events.at(-2)!).choices, [], "include_usage gets its usage chunk");
  assert.equal(t.bodies.length, 1, "the hits did not go upstream");
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(r.tokens.length, 1, "hits are not charged");
});

Deno.test("tokenLimit: a dropped reply is read on for its usage only where it is charged (a 2xx of chat, completions, embeddings)", async () => {
  const r = recordingLimiter();
  const t = oneUpstream({ limiter: r.limiter });
  const turns = async () => {
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  };
  // An image reply is not charged: dropping it cancels the upstream body, as without a budget.
  const image = await t.call(
    "/openai/deployments/dall-e-3/images/generations?api-version=2024-10-21",
    { prompt: "a fox" },
  );
  assert.equal(image.status, 200);
  await image.body?.cancel("client gone");
  await turns();
  assert.deepEqual(t.cancels, ["client gone"]);
  // An embeddings reply is charged: it is read to its end for its usage instead.
  const embed = await t.call(
    "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21",
    { input: "hello" },
  );
  assert.equal(embed.status, 200);
  await embed.body?.cancel("client gone");
  await r.reach(1);
  assert.ok(r.tokens[0] > 0);
  assert.deepEqual(t.cancels, ["client gone"], "the embeddings body was drained, not cancelled");
});
