// A client for runTools() tests whose model answers each request with the next of `replies`
// (assistant messages; past the last, a plain "done"), keeping each request's body.
import { AzureOpenAI } from "../../mod.ts";
import { chatCompletion } from "./_helpers.ts";

/** A request body runTools() sent. */
export type SentBody = {
  messages: Record<string, unknown>[];
  tools: { function: Record<string, unknown> }[];
};

/** An assistant reply calling `calls` (each `[name, arguments text]`, ids c0, c1, …). */
export const calling = (...calls: [string, string][]) => ({
  role: "assistant",
  content: null,
  tool_calls: calls.map(([name, args], i) => ({
    id: `c${i}`,
    type: "function",
    function: { name, arguments: args },
  })),
});

/** The client, and the bodies it sent. */
export function stubClient(replies: unknown[]) {
  const bodies: SentBody[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://stub.local",
    apiKey: "k",
    maxRetries: 0,
    fetch: async (input, init) => {
      bodies.push(await new Request(input, init).json());
      const message = replies[bodies.length - 1] ?? { role: "assistant", content: "done" };
      return Response.json(chatCompletion([{ index: 0, finish_reason: "stop", message }]));
    },
  });
  return { client, bodies };
}
