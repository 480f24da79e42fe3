// The same streamed chat bodies read by our client and by the official openai SDK's AzureOpenAI
// (both with an injected fetch, body delivered in small pieces): the chunks each loop yields, and
// how the loop ends. Where the contract says "mirror the SDK" the two must agree: data after
// `[DONE]` (even an error or text that is not JSON) is ignored, an error payload mid-stream
// throws after the chunks before it, a chunk that is not JSON throws, a usage-only last chunk
// with `choices: []` is yielded. One deliberate difference: a body that ends without `[DONE]`
// ends the SDK's loop quietly, ours throws APIConnectionError (a cut reply must not pass as whole).
import assert from "node:assert/strict";
import { AzureOpenAI as SdkAzureOpenAI } from "openai";
import { AzureOpenAI } from "../../mod.ts";
import {
  APIConnectionError,
  AzureOpenAIError,
  ContentFilterError,
  RateLimitError,
} from "../../src/errors/mod.ts";
import { AZURE_CHAT_CHUNKS, sseText } from "../../src/streaming/_test_helpers.ts";

const ENDPOINT = "https://edge-cases.openai.azure.com";
const PARAMS = {
  model: "gpt-4o",
  messages: [{ role: "user" as const, content: "hi" }],
  stream: true as const,
};

/** A fetch answering every call with `text` as an event stream, in pieces of 7 bytes. */
function fetchOf(text: string): typeof fetch {
  return () => {
    const bytes = new TextEncoder().encode(text);
    const pieces: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += 7) pieces.push(bytes.slice(i, i + 7));
    return Promise.resolve(
      new Response(ReadableStream.from(pieces), {
        headers: { "content-type": "text/event-stream", "apim-request-id": "req-edge" },
      }),
    );
  };
}

interface Outcome {
  chunks: unknown[];
  error?: unknown;
}

async function drain(stream: AsyncIterable<unknown>): Promise<Outcome> {
  const out: Outcome = { chunks: [] };
  try {
    for await (const chunk of stream) out.chunks.push(chunk);
  } catch (error) {
    out.error = error;
  }
  return out;
}

async function both(text: string): Promise<{ ours: Outcome; sdk: Outcome }> {
  const fetch = fetchOf(text);
  const ours = new AzureOpenAI({ endpoint: ENDPOINT, apiKey: "k-ours", fetch, maxRetries: 0 });
  const sdk = new SdkAzureOpenAI({
    endpoint: ENDPOINT,
    apiKey: "k-sdk",
    apiVersion: "2024-10-21",
    fetch,
    maxRetries: 0,
    logLevel: "off", // its stream logs a chunk that is not JSON before it throws
  });
  return {
    ours: await drain(await ours.chat.completions.create(PARAMS)),
    sdk: await drain(await sdk.chat.completions.create(PARAMS)),
  };
}

const [FIRST, SECOND, THIRD] = AZURE_CHAT_CHUNKS;
const USAGE = AZURE_CHAT_CHUNKS.at(-1)!;

Deno.test("after [DONE], further data (a chunk, an error payload, text that is not JSON, an error event) is ignored, as by the SDK", async () => {
  const after = [
    sseText([FIRST, "[DONE]", SECOND, { error: { code: "429", message: "late" } }, "not json"]),
    sseText([FIRST, "[DONE]"]) + 'event: error\ndata: {"error":{"code":"500"}}\n\n',
    // Azure's [DONE] with trailing blanks, then more.
    sseText([FIRST, "[DONE] ", SECOND]),
  ];
  for (const text of after) {
    const { ours, sdk } = await both(text);
    assert.equal(sdk.error, undefined, text);
    assert.equal(ours.error, undefined, text);
    assert.deepEqual(ours.chunks, [FIRST], text);
    assert.deepEqual(ours.chunks, sdk.chunks, text);
  }
});

Deno.test('a mid-stream `data: {"error": …}` throws after the chunks before it, as by the SDK, typed by its code', async () => {
  const error = { error: { code: "429", message: "Rate limit reached mid-stream" } };
  const { ours, sdk } = await both(sseText([FIRST, SECOND, error, THIRD, "[DONE]"]));
  assert.deepEqual(ours.chunks, [FIRST, SECOND]);
  assert.deepEqual(ours.chunks, sdk.chunks);
  assert.ok(sdk.error instanceof Error);
  assert.ok(ours.error instanceof RateLimitError, String(ours.error));
  assert.match(ours.error.message, /Rate limit reached mid-stream/);
});

Deno.test("a chunk that is not JSON throws after the chunks before it, as by the SDK", async () => {
  const { ours, sdk } = await both(sseText([FIRST, "{not json", SECOND, "[DONE]"]));
  assert.deepEqual(ours.chunks, [FIRST]);
  assert.deepEqual(ours.chunks, sdk.chunks);
  assert.ok(sdk.error instanceof SyntaxError);
  assert.ok(ours.error instanceof AzureOpenAIError, String(ours.error));
  assert.match(ours.error.message, /not a JSON object \(\{not json\)/);
});

Deno.test("a usage-only last chunk with choices: [] is yielded, as by the SDK", async () => {
  const { ours, sdk } = await both(sseText([...AZURE_CHAT_CHUNKS, "[DONE]"]));
  assert.equal(ours.error, undefined);
  assert.deepEqual(ours.chunks, AZURE_CHAT_CHUNKS);
  assert.deepEqual(ours.chunks, sdk.chunks);
  assert.deepEqual(ours.chunks.at(-1), USAGE);
});

Deno.test("a body that ends without [DONE]: the SDK ends quietly, ours throws APIConnectionError after the same chunks", async () => {
  for (const text of [sseText([FIRST, SECOND]), sseText([FIRST, SECOND]) + 'data: {"id":']) {
    const { ours, sdk } = await both(text);
    assert.equal(sdk.error, undefined);
    assert.deepEqual(ours.chunks, sdk.chunks);
    assert.deepEqual(ours.chunks, [FIRST, SECOND]);
    assert.ok(ours.error instanceof APIConnectionError, String(ours.error));
    assert.match(ours.error.message, /ended before \[DONE\] after 2 chunks/);
  }
});

Deno.test("a mid-stream content filter error is a ContentFilterError with its results, from innererror or inner_error, content_filter_result or _results", async () => {
  const verdict = { violence: { filtered: true, severity: "high" } };
  for (const innerKey of ["innererror", "inner_error"]) {
    for (const resultsKey of ["content_filter_result", "content_filter_results"]) {
      const error = {
        error: {
          code: "content_filter",
          status: 400,
          message: "The response was filtered",
          [innerKey]: { code: "ResponsibleAIPolicyViolation", [resultsKey]: verdict },
        },
      };
      const what = `${innerKey}.${resultsKey}`;
      for (
        const text of [
          sseText([FIRST, error, "[DONE]"]),
          sseText([FIRST]) + `event: error\ndata: ${JSON.stringify(error)}\n\n`,
        ]
      ) {
        const { ours } = await both(text);
        assert.deepEqual(ours.chunks, [FIRST], what);
        assert.ok(ours.error instanceof ContentFilterError, `${what}: ${ours.error}`);
        assert.equal(ours.error.status, 400, what);
        assert.equal(ours.error.code, "content_filter", what);
        assert.deepEqual(ours.error.contentFilterResults, verdict, what);
        assert.equal(ours.error.requestId, "req-edge", what);
      }
    }
  }
});
