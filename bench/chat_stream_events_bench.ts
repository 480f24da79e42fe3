/**
 * The cost of reading one streamed chat reply, client code only: the same SSE bytes (built once)
 * are served by an injected `fetch` that returns a fresh `Response` of them on every call, so no
 * network, server or socket is measured. Four ways to read the reply, side by side in one group
 * (baseline: the first):
 * - ours `chat.completions.create({ stream: true })`, a `for await` over the chunks, then
 *   `finalChatCompletion()`;
 * - ours `chat.completions.stream()` with a `content` listener, then `finalChatCompletion()`;
 * - the `openai` SDK's (6.49.0) `AzureOpenAI` `chat.completions.stream()`, same listener and
 *   `finalChatCompletion()`;
 * - the SDK's `create({ stream: true })` and a `for await` (the SDK's stream has no final reply).
 *
 * Two replies: 500 content chunks, and 500 content chunks each with content logprobs (5
 * `top_logprobs`). Each has Azure's first `prompt_filter_results` chunk, a role chunk and a
 * `finish_reason` chunk around the content, then `data: [DONE]`. Before registering, each way is
 * run once and the bench throws unless all four read the same text (and, with logprobs, the three
 * final replies carry every token's logprobs).
 *
 * Times are wall time. The SDK's `stream()` starts the call in a `setTimeout()` callback (its
 * `EventStream`), so its rows include that timer's wait: a bare
 * `await new Promise((r) => setTimeout(r))` took 2.2 ms on average (1.2 ms min) in Deno 2.9.6 on
 * the 2-core machine of bench/README.md, idle time rather than CPU. Ours starts in a microtask
 * (in a timer too before 2026-12-02).
 *
 * Each case runs 300 times after 30 warmups (deno bench's own count left too few iterations of the
 * slower cases for stable ratios here).
 *
 * Run: `deno bench -A bench/chat_stream_events_bench.ts`
 *
 * @module
 */
import { AzureOpenAI as OpenAIAzure } from "openai";
import { AzureOpenAI } from "../mod.ts";
import { chatChunkText, SAFE_FILTER_JSON, WORDS } from "./sse_fixture.ts";

const CHUNKS = 500;
const TOP = 5;
const KEY = "bench-key-0123456789";
const API_VERSION = "2024-10-21";
const ENDPOINT = "https://bench.openai.azure.com";

const encoder = new TextEncoder();

function tokenLogprob(token: string, logprob: number): string {
  return `{"token":${JSON.stringify(token)},"logprob":${logprob},` +
    `"bytes":${JSON.stringify([...encoder.encode(token)])}`;
}

function logprobsOf(i: number): string {
  const word = WORDS[i % WORDS.length];
  const top: string[] = [];
  for (let k = 0; k < TOP; k++) {
    top.push(tokenLogprob(WORDS[(i + k) % WORDS.length], -0.01 - k * 1.37) + "}");
  }
  return `{"content":[${tokenLogprob(word, -0.01)},"top_logprobs":[${top.join(",")}]}],` +
    `"refusal":null}`;
}

/** The whole reply as SSE bytes, and the text it carries. */
function reply(withLogprobs: boolean): { bytes: Uint8Array<ArrayBuffer>; text: string } {
  const parts = [
    `data: {"choices":[],"created":0,"id":"","model":"","object":"",` +
    `"prompt_filter_results":[{"prompt_index":0,"content_filter_results":${SAFE_FILTER_JSON}}]}\n\n`,
    chatChunkText(`{"content":"","refusal":null,"role":"assistant"}`),
  ];
  let text = "";
  for (let i = 0; i < CHUNKS; i++) {
    const word = WORDS[i % WORDS.length];
    text += word;
    parts.push(
      chatChunkText(
        `{"content":${JSON.stringify(word)}}`,
        "null",
        withLogprobs ? logprobsOf(i) : "null",
      ),
    );
  }
  parts.push(chatChunkText("{}", `"stop"`), "data: [DONE]\n\n");
  return { bytes: encoder.encode(parts.join("")), text };
}

type Read = () => Promise<{ text: string; logprobs: number | undefined }>;

function ways(bytes: Uint8Array<ArrayBuffer>, withLogprobs: boolean): Array<[string, Read]> {
  const fetch = (): Promise<Response> =>
    Promise.resolve(
      new Response(bytes, { headers: { "content-type": "text/event-stream" } }),
    );
  const ours = new AzureOpenAI({ endpoint: ENDPOINT, apiKey: KEY, apiVersion: API_VERSION, fetch });
  const sdk = new OpenAIAzure({ endpoint: ENDPOINT, apiKey: KEY, apiVersion: API_VERSION, fetch });
  const params = {
    model: "gpt-4o",
    messages: [{ role: "user" as const, content: "Tell me a story." }],
    ...(withLogprobs ? { logprobs: true, top_logprobs: TOP } : {}),
  };
  return [
    ["ours: create({ stream: true }) + for await + finalChatCompletion()", async () => {
      const stream = await ours.chat.completions.create({ ...params, stream: true });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
      const final = await stream.finalChatCompletion();
      if (final.choices[0].message.content !== text) throw new Error("ours create: final differs");
      return { text, logprobs: final.choices[0].logprobs?.content?.length };
    }],
    ["ours: stream() + content listener + finalChatCompletion()", async () => {
      let text = "";
      const final = await ours.chat.completions.stream(params)
        .on("content", (delta) => text += delta)
        .finalChatCompletion();
      if (final.choices[0].message.content !== text) throw new Error("ours stream: final differs");
      return { text, logprobs: final.choices[0].logprobs?.content?.length };
    }],
    ["openai SDK: stream() + content listener + finalChatCompletion()", async () => {
      let text = "";
      const final = await sdk.chat.completions.stream(params)
        .on("content", (delta) => text += delta)
        .finalChatCompletion();
      if (final.choices[0].message.content !== text) throw new Error("SDK stream: final differs");
      return { text, logprobs: final.choices[0].logprobs?.content?.length };
    }],
    ["openai SDK: create({ stream: true }) + for await", async () => {
      const stream = await sdk.chat.completions.create({ ...params, stream: true });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
      return { text, logprobs: undefined };
    }],
  ];
}

for (const withLogprobs of [false, true]) {
  const { bytes, text } = reply(withLogprobs);
  const group = `one streamed reply, ${CHUNKS} chunks${
    withLogprobs ? ` + logprobs (top ${TOP})` : ""
  }, ${(bytes.length / 1024).toFixed(0)} KiB`;
  const all = ways(bytes, withLogprobs);
  for (const [name, read] of all) {
    const got = await read();
    if (got.text !== text) {
      throw new Error(`${name}: read ${got.text.length} chars, expected the ${text.length} sent`);
    }
    if (withLogprobs && !name.endsWith("for await") && got.logprobs !== CHUNKS) {
      throw new Error(`${name}: final reply has ${got.logprobs} logprobs, expected ${CHUNKS}`);
    }
  }
  all.forEach(([name, read], i) =>
    Deno.bench({
      name: `${name}${withLogprobs ? " (logprobs)" : ""}`,
      group,
      baseline: i === 0,
      n: 300,
      warmup: 30,
      async fn() {
        await read();
      },
    })
  );
}
