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
