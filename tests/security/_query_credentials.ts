// Credentials passed as query parameters (defaultQuery, a call's query), a client carrying them
// and a fake service saying their values back, for the tests that no error or log event shows one.
import assert from "node:assert/strict";

/** A client's options (fetch and queries aside): a key, a default deployment, no retries. */
export const CLIENT = {
  endpoint: "https://res.openai.azure.com",
  apiKey: "sk-ClientKey0123456789abcdef",
  deployment: "d",
  maxRetries: 0,
};

/**
 * A credential under each of `names`, its value marked by `prefix` and by `where` it is given
 * ("default": defaultQuery, "call": a call's query).
 */
export function queryCredentials(names: string[], prefix: string) {
  const valueOf = (name: string, where: string) =>
    `${prefix}${where}${name.replace(/\W/g, "")}0123456789abcdefXYZ`;
  return {
    /** The query given at `where`, with each name. */
    queryOf: (where: string) =>
      Object.fromEntries(names.map((name) => [name, valueOf(name, where)])),
    /** Throws when `text` shows any value of `where`'s query in clear (as is or URL-encoded). */
    assertClean(text: string, where: string): void {
      for (const name of names) {
        const value = valueOf(name, where);
        for (const form of [value, value.toLowerCase(), encodeURIComponent(value)]) {
          assert.ok(!text.includes(form), `${name}'s value leaked:\n${text.slice(0, 2000)}`);
        }
      }
    },
  };
}

/** Every value the request's URL carries, said back alone (no parameter names). */
export const echo = (request: Request) =>
  [...new URL(request.url).searchParams.values()].join(" | ");

/**
 * A 200 event stream sending one chat chunk of `content`, then, asked for more, failing with
 * `error`; with `headers` besides its content type.
 */
export function failingStream(
  content: string,
  error: Error,
  headers: Record<string, string> = {},
): Response {
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) return controller.error(error);
      sent = true;
      controller.enqueue(new TextEncoder().encode(
        `data: ${
          JSON.stringify({
            id: "c",
            object: "chat.completion.chunk",
            created: 1,
            model: "m",
            choices: [{ index: 0, delta: { content }, finish_reason: null }],
          })
        }\n\n`,
      ));
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", ...headers } });
}
