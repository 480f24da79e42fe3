// How the token budget charges answers that end unusually: a stream the client stops reading
// once it has what it needs, and an `onRequest` hook that changes or holds its event.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { clientIdOf, createEdgeApp, type EdgeAppOptions } from "../../edge/mod.ts";
import { azurePath, KEY, recordingLimiter } from "./_helpers.ts";

const CHAT = azurePath("o3-mini", "chat/completions");
const encoder = new TextEncoder();

/** A reasoning model's streamed reply: little text, many tokens (usage before `[DONE]`). */
const USAGE = { prompt_tokens: 20, completion_tokens: 4000, total_tokens: 4020 };
const STREAM = [
  { id: "c", object: "chat.completion.chunk", created: 1, model: "o3-mini", choices: [] },
  {
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "o3-mini",
    choices: [{ index: 0, delta: { role: "assistant", content: "Yes." }, finish_reason: null }],
  },
  {
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "o3-mini",
    choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
  },
  {
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "o3-mini",
    choices: [],
    usage: USAGE,
  },
].map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join("") + "data: [DONE]\n\n";

/** An app whose upstream answers every chat with {@link STREAM}, or `json` when given. */
function app(options: Partial<EdgeAppOptions>, json?: unknown) {
  const fetch = () =>
    Promise.resolve(
      json === undefined
        ? new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(encoder.encode(STREAM));
              controller.close();
            },
          }),
          { headers: { "content-type": "text/event-stream" } },
        )
        : Response.json(json),
    );
  return createEdgeApp({
    upstream: new AzureOpenAI({ endpoint: "http://upstream.test", apiKey: "azure-key", fetch }),
    clientKeys: [KEY],
    ...options,
  });
}

Deno.test("tokenLimit: a stream the client stops reading after [DONE] is charged the usage it carried", async () => {
  const r = recordingLimiter();
  const edge = app({ tokenLimit: { limiter: r.limiter } });
  // This project's own client: it cancels the body as soon as it has read `data: [DONE]`.
  const client = new AzureOpenAI({
    endpoint: "http://edge.test",
    apiKey: KEY,
    fetch: (input, init) => edge.fetch(new Request(input, init)),
  });
  const stream = await client.chat.completions.create({
    model: "o3-mini",
    messages: [{ role: "user", content: "Is it?" }],
    stream: true,
    stream_options: { include_usage: true },
  });
  const seen = [];
  for await (const chunk of stream) if (chunk.usage) seen.push(chunk.usage.total_tokens);
  assert.deepEqual(seen, [4020], "the client got the usage");
  await r.reach(1);
  assert.deepEqual(r.tokens, [4020], "charged the usage, not a 4-characters-a-token estimate");
});

/** A reasoning model's non-streamed reply, with its usage. */
const COMPLETION = {
  id: "c",
  object: "chat.completion",
  created: 1,
  model: "o3-mini",
  choices: [{ index: 0, message: { role: "assistant", content: "Yes." }, finish_reason: "stop" }],
  usage: USAGE,
};

/** A client's chat request to the app. */
const ask = () =>
  new Request(`http://edge.test${CHAT}`, {
    method: "POST",
    headers: { "api-key": KEY, "content-type": "application/json" },
    body: JSON.stringify({ messages: [{ role: "user", content: "Is it?" }] }),
  });

Deno.test("tokenLimit: the charge does not depend on what onRequest does with its event", async () => {
  const r = recordingLimiter();
  const edge = app({
    tokenLimit: { limiter: r.limiter },
    // A hook that redacts its event before logging it.
    onRequest(event) {
      delete event.usage;
      delete event.client;
      event.cache = "hit";
    },
  }, COMPLETION);
  const res = await edge.fetch(
    ask(),
  );
  assert.equal((await res.json()).usage.total_tokens, 4020);
  await r.reach(1);
  assert.deepEqual(r.tokens, [4020]);
});

Deno.test("tokenLimit: an onRequest that never settles does not hold the charge back", async () => {
  const r = recordingLimiter();
  let calls = 0;
  const edge = app({
    tokenLimit: { limiter: r.limiter },
    // E.g. a log shipper whose endpoint hangs.
    onRequest: () => {
      calls++;
      return new Promise<void>(() => {});
    },
  }, COMPLETION);
  const res = await edge.fetch(
    ask(),
  );
  await res.body?.cancel();
  await r.reach(1);
  assert.deepEqual(r.tokens, [4020]);
  assert.equal(calls, 1, "onRequest called once");
  // The budget holds the charge under the client's id.
  assert.equal((await r.limiter.check(await clientIdOf(KEY))).ok, true);
});

Deno.test("tokenLimit: a JSON reply in one big chunk is read for its usage without a copy of it all", async () => {
  // The bytes the app copies to find the usage (a cached reply comes as one chunk).
  const copies: number[] = [];
  class Probe extends Uint8Array {
    override slice(start?: number, end?: number): Uint8Array<ArrayBuffer> {
      const copy = new Uint8Array(this.buffer, this.byteOffset, this.length).slice(start, end);
      copies.push(copy.length);
      return copy;
    }
  }
  const data = Array.from({ length: 200 }, (_, index) => ({
    object: "embedding",
    index,
    embedding: Array.from({ length: 1536 }, () => 0.0123456789),
  }));
  const text = JSON.stringify({ object: "list", data, model: "e", usage: USAGE });
  const bytes = encoder.encode(text);
  assert.ok(bytes.length > 2 * 1024 * 1024);
  const r = recordingLimiter();
  const edge = createEdgeApp({
    upstream: new AzureOpenAI({
      endpoint: "http://upstream.test",
      apiKey: "azure-key",
      fetch: () =>
        Promise.resolve(
          new Response(
            new ReadableStream({
              start(controller) {
                controller.enqueue(new Probe(bytes.buffer));
                controller.close();
              },
            }),
            { headers: { "content-type": "application/json" } },
          ),
        ),
    }),
    clientKeys: [KEY],
    tokenLimit: { limiter: r.limiter },
  });
  const res = await edge.fetch(
    new Request(`http://edge.test${azurePath("e", "embeddings")}`, {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: JSON.stringify({ input: "x" }),
    }),
  );
  assert.equal((await res.arrayBuffer()).byteLength, bytes.length);
  await r.reach(1);
  assert.deepEqual(r.tokens, [4020], "the usage, read off the end");
  assert.ok(copies.length > 0, "the chunk reached the tap as sent");
  assert.ok(Math.max(...copies) <= 1024 * 1024, `copied ${copies} bytes`);
});
