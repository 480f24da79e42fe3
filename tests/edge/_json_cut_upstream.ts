/**
 * Helpers of the edge JSON cut tests: an upstream client whose 200 JSON answers stop half-way
 * (the body fails as a connection cut mid-body does), and the requests of the routes that relay
 * such a reply.
 *
 * @module
 */
import { AzureOpenAI } from "../../src/client.ts";

/** The JSON the cut answers start with (a list of embeddings). */
const JSON_TEXT = JSON.stringify({
  object: "list",
  data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2, 0.3] }],
  model: "text-embedding-3-small",
  usage: { prompt_tokens: 1, total_tokens: 1 },
});

/**
 * An upstream client (no retries) answering every request 200 `application/json` with the first
 * 40 bytes of a JSON object, then a body that fails with `cut` (a connection lost); `calls` counts
 * its requests.
 */
export function cuttingJsonUpstream(
  apiKey: string,
  cut: () => Error = () => new TypeError("error reading a body from connection"),
): { client: AzureOpenAI; calls: () => number } {
  let calls = 0;
  const client = new AzureOpenAI({
    endpoint: "http://upstream.test",
    apiKey,
    maxRetries: 0,
    fetch: () => {
      calls++;
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(c) {
          if (sent) return c.error(cut());
          sent = true;
          c.enqueue(new TextEncoder().encode(JSON_TEXT.slice(0, 40)));
        },
      });
      return Promise.resolve(
        new Response(body, { headers: { "content-type": "application/json" } }),
      );
    },
  });
  return { client, calls: () => calls };
}

/** The routes relaying a JSON reply: [route as reported, path, JSON body]. */
export const JSON_ROUTES: [string, string, Record<string, unknown>][] = [
  ["embeddings", "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21", {
    input: ["a"],
  }],
  ["chat", "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", {
    messages: [{ role: "user", content: "hi" }],
  }],
  ["completions", "/openai/deployments/gpt-35-turbo-instruct/completions?api-version=2024-10-21", {
    prompt: "hi",
  }],
  ["images", "/openai/deployments/dall-e-3/images/generations?api-version=2024-10-21", {
    prompt: "a cat",
  }],
  ["chat", "/openai/v1/chat/completions", {
    model: "gpt-4o",
    messages: [{ role: "user", content: "hi" }],
  }],
  ["embeddings", "/v1/embeddings", { model: "text-embedding-3-small", input: "a" }],
];

/** A POST of `json` to `path` at `base` with client key `key`. */
export function postJson(
  base: string,
  path: string,
  json: unknown,
  key: string,
  signal?: AbortSignal,
): Request {
  return new Request(`${base}${path}`, {
    method: "POST",
    headers: { "api-key": key, "content-type": "application/json" },
    body: JSON.stringify(json),
    signal,
  });
}
