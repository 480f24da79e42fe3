// The token estimate a budget holds for a prompt read without its length, and charges a stream
// that carried no usage: 4 characters a token of Latin text, a token for any other code point
// (CJK text comes to a token a character or more; at 4 characters a token, a client writing it on
// an api-version without stream usage was charged about a quarter of it).
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { ClientTokenLimiter, createEdgeApp } from "../../edge/mod.ts";
import { estimateTokens } from "../../edge/_events.ts";
import { KEY, recordingLimiter } from "./_helpers.ts";
import { ask, heldApp } from "./_token_budget.ts";

const CJK = "这是一个关于预算的问题";

Deno.test("estimateTokens: 4 characters a token of Latin scripts, a token for any other code point", () => {
  assert.equal(estimateTokens(""), 0);
  assert.equal(estimateTokens("hello world"), 3); // 11 / 4, rounded up
  assert.equal(estimateTokens("café crème"), 3); // Latin-1 letters count as Latin
  assert.equal(estimateTokens("你好世界"), 4);
  assert.equal(estimateTokens("こんにちは"), 5);
  assert.equal(estimateTokens("Привет"), 6);
  assert.equal(estimateTokens("abcd中文"), 3);
  assert.equal(estimateTokens("😀😀"), 2, "a code point outside the BMP is one, not two");
});

Deno.test("tokenLimit: a CJK stream without usage is charged a token a CJK character", async () => {
  const reply = CJK.repeat(5); // 55 characters, none Latin
  const chunk = (content: string) =>
    `data: ${
      JSON.stringify({
        id: "c",
        object: "chat.completion.chunk",
        created: 1,
        model: "gpt-4o",
        choices: [{ index: 0, delta: { content }, finish_reason: null }],
      })
    }\n\n`;
  const sse = [...reply].map(chunk).join("") + "data: [DONE]\n\n";
  const sent: string[] = [];
  const fetch = async (req: Request) => {
    sent.push(await req.text());
    return new Response(sse, { headers: { "content-type": "text/event-stream" } });
  };
  const r = recordingLimiter(new ClientTokenLimiter({ tokensPerMinute: 1_000_000 }));
  const app = createEdgeApp({
    upstream: new AzureOpenAI({ endpoint: "http://upstream.test", apiKey: "azure-key", fetch }),
    clientKeys: [KEY],
    tokenLimit: { limiter: r.limiter },
  });
  const prompt = CJK.repeat(4); // 44 characters
  const body = { messages: [{ role: "user", content: prompt }], stream: true };
  // An api-version before stream_options: the stream carries no usage.
  const res = await app.fetch(
    new Request(
      "http://edge.test/openai/deployments/gpt-4o/chat/completions?api-version=2024-05-01-preview",
      {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body: JSON.stringify(body),
      },
    ),
  );
  assert.equal(res.status, 200);
  await res.text();
  assert.equal(JSON.parse(sent[0]).stream_options, undefined, "not asked for usage");
  await r.reach(1);
  // The JSON around the prompt is ASCII: 4 characters a token; each CJK character a token.
  const ascii = JSON.stringify({ ...body, messages: [{ role: "user", content: "" }] }).length;
  assert.equal(r.tokens[0], Math.ceil(ascii / 4) + prompt.length + reply.length);
});

Deno.test("tokenLimit: a CJK prompt sent without its length is held a token a CJK character", async () => {
  const { app, state, open } = heldApp({
    tokenLimit: { limiter: new ClientTokenLimiter({ tokensPerMinute: 100, now: () => 0 }) },
  });
  // 43 ASCII characters of JSON (11 tokens) around 90 CJK characters (90): the whole budget.
  const content = CJK.repeat(9).slice(0, 90);
  const body = JSON.stringify({ messages: [{ role: "user", content }] });
  assert.equal(body.length - content.length, 43);
  const called = new Promise<void>((resolve) => state.onCall = resolve);
  const first = app.fetch(ask(body, undefined, false));
  await called;
  state.onCall = open; // a request let through is answered at once
  const second = await app.fetch(
    ask(JSON.stringify({ messages: [{ role: "user", content: "hi" }] })),
  );
  assert.equal(second.status, 429, "the first request holds the whole budget");
  await second.body?.cancel();
  open();
  assert.equal((await first).status, 200);
  await (await first).body?.cancel();
});
