import { AzureOpenAI } from "../../mod.ts";

/** A client (no retries) whose every request is answered 200 with `body` as JSON. */
export function clientAnswering(body: unknown): AzureOpenAI {
  return new AzureOpenAI({
    endpoint: "http://stub.local",
    apiKey: "k",
    maxRetries: 0,
    fetch: () => Promise.resolve(Response.json(body)),
  });
}

/** A `chat.completion` reply of model gpt-4o with `choices` as given. */
export function chatCompletion(choices: unknown[]) {
  return { id: "c", object: "chat.completion", created: 0, model: "gpt-4o", choices };
}

/** One `chat.completion.chunk` event (id c1, model gpt-4o) of choice `index` with `delta`. */
export const sseChunk = (delta: object, finish_reason: string | null = null, index = 0) =>
  `data: ${
    JSON.stringify({
      id: "c1",
      object: "chat.completion.chunk",
      created: 1,
      model: "gpt-4o",
      choices: [{ index, delta, finish_reason }],
    })
  }\n\n`;

/** A client (no retries) whose every request is answered 200 with `body` as an event stream. */
export function clientStreaming(body: string): AzureOpenAI {
  return new AzureOpenAI({
    endpoint: "http://stub.local",
    apiKey: "k",
    maxRetries: 0,
    fetch: () =>
      Promise.resolve(new Response(body, { headers: { "content-type": "text/event-stream" } })),
  });
}
