// Every place a text a fetch failure or a service's error quotes ends up: the client's thrown
// error (all its views), logger()'s events (error event, logged bodies) and the edge app's
// relayed error body. Shared by the redaction tests of tests/security.
import { AzureOpenAI } from "../../mod.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import { type LogEvent, logger } from "../../src/middleware/logger.ts";

const KEY = "sk-ErrorTextSurfaces0123456789abcdef";

/** Every view of an error: String, stack, JSON and Deno.inspect (default and deep). */
export const views = (err: unknown) =>
  [
    String(err),
    (err as Error).stack,
    JSON.stringify(err),
    Deno.inspect(err),
    Deno.inspect(err, { depth: 100, showHidden: true }),
  ].join("\n");

/** A client with logger() (bodies too) whose fetch is `fetch`: its error's views and the log. */
async function viaClient(fetch: () => Promise<Response>, apiKey: string): Promise<string> {
  const events: LogEvent[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    apiKey,
    deployment: "d",
    maxRetries: 0,
    middleware: [logger({ logBodies: true, onEvent: (e) => events.push(e) })],
    fetch,
  });
  const err = await client.embeddings.create({ input: "hi" }).then(
    () => new Error("expected a throw"),
    (e) => e,
  );
  return `${views(err)}\n${JSON.stringify(events)}`;
}

/**
 * What each surface shows of `text`: a fetch rejecting with a TypeError saying it, and a 400
 * whose raw JSON body is `body` (by default one with `text` as its error message), thrown by
 * the client, logged and relayed by the edge app. `key` is the client's and the edge app's
 * upstream api key.
 */
export async function surfaces(
  text: string,
  body = `{"error":{"code":"BadRequest","message":${JSON.stringify(text)}}}`,
  key = KEY,
): Promise<string> {
  const answer = () =>
    Promise.resolve(
      new Response(body, { status: 400, headers: { "content-type": "application/json" } }),
    );
  const app = createEdgeApp({
    upstream: { endpoint: "https://res.openai.azure.com", apiKey: key, fetch: answer },
    clientKeys: ["client-key-0123456789"],
    onError: () => {},
  });
  const relayed = await app.fetch(
    new Request("http://edge/openai/deployments/d/embeddings?api-version=2024-10-21", {
      method: "POST",
      headers: { "api-key": "client-key-0123456789", "content-type": "application/json" },
      body: JSON.stringify({ input: "x" }),
    }),
  );
  return [
    await viaClient(() => Promise.reject(new TypeError(text)), key),
    await viaClient(answer, key),
    `${relayed.status} ${await relayed.text()}`,
  ].join("\n");
}
