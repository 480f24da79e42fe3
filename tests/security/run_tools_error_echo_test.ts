// runTools(): a round after the first fails with a service error that echoes the credential it
// was sent (an api key, or a tokenProvider's bearer token): the run's `error` event, done() and
// finalContent() give that error scrubbed in every view (String, stack, toJSON, inspect), streamed
// or not, whatever form the failure takes (an error status, an `error` event, an error chunk, a
// chunk that is no JSON, a gateway's JSON error in a 200).
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { views } from "./_error_text_surfaces.ts";

const KEY = "sk-RunToolsRoundTwo0123456789abcdef";

/** What the service sends back; `secret` is the credential the request carried. */
type Reply = (secret: string) => Response;

const sse = (text: string) =>
  new Response(text, { headers: { "content-type": "text/event-stream" } });
const chunk = (delta: object, finish_reason: string | null = null) =>
  `data: ${
    JSON.stringify({
      id: "r",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta, finish_reason }],
    })
  }\n\n`;
const CALL = {
  role: "assistant",
  content: null,
  tool_calls: [{ id: "c1", type: "function", function: { name: "add", arguments: "{}" } }],
};
/** Round one: the model calls `add` (as a completion, or streamed). */
const first = (stream: boolean) =>
  stream ? sse(chunk(CALL) + chunk({}, "tool_calls") + "data: [DONE]\n\n") : Response.json({
    id: "r",
    object: "chat.completion",
    created: 1,
    model: "m",
    choices: [{ index: 0, finish_reason: "tool_calls", message: CALL }],
  });

/** The second rounds that fail, by name: each says `secret` back. */
const FAILURES: Record<string, [Reply, boolean?]> = {
  "a 401": [(s) => Response.json({ error: { code: "401", message: `bad ${s}` } }, { status: 401 })],
  "a 400 (stream)": [
    (s) => Response.json({ error: { code: "400", message: `bad ${s}` } }, { status: 400 }),
    true,
  ],
  "an error event": [
    (s) =>
      sse(chunk({ content: "a" }) + `event: error\ndata: {"error":{"message":"bad ${s}"}}\n\n`),
    true,
  ],
  "an error chunk": [
    (s) => sse(chunk({ content: "a" }) + `data: {"error":{"code":"500","message":"bad ${s}"}}\n\n`),
    true,
  ],
  "a chunk that is no JSON": [(s) => sse(chunk({ content: "a" }) + `data: nope ${s}\n\n`), true],
  "a gateway's JSON error in a 200": [
    (s) => Response.json({ error: { code: "429", message: `bad ${s}` } }),
    true,
  ],
};

/** The views of every error a runner gave whose second round answered `second`. */
async function run(second: Reply, stream: boolean, credential: object): Promise<string> {
  let round = 0;
  const client = new AzureOpenAI({
    endpoint: "https://res.openai.azure.com",
    deployment: "d",
    maxRetries: 0,
    ...credential,
    fetch: (req: Request) =>
      Promise.resolve(
        round++
          ? second(req.headers.get("api-key") ?? req.headers.get("authorization")!)
          : first(stream),
      ),
  });
  const runner = client.chat.completions.runTools({
    model: "m",
    messages: [{ role: "user", content: "hi" }],
    tools: [{ type: "function", function: { name: "add", parameters: {}, function: () => "3" } }],
    stream: stream as true,
  });
  const seen: unknown[] = [];
  runner.on("error", (err) => seen.push(err));
  for (const settled of [runner.done(), runner.finalContent()]) {
    seen.push(await settled.then(() => assert.fail("the run should fail"), (err) => err));
  }
  assert.equal(seen.length, 3, "an error event, done() and finalContent() each failed");
  assert.ok(round >= 2, "the failure is the second round's");
  return seen.map(views).join("\n");
}

const assertClean = (text: string, secret: string) => {
  for (const form of [secret, secret.toLowerCase(), encodeURIComponent(secret)]) {
    assert.ok(!text.includes(form), `${form} leaked:\n${text.slice(0, 600)}`);
  }
  assert.match(text, /\*\*\*/, "the echo is there, masked");
};

for (const [name, [second, streamOnly]] of Object.entries(FAILURES)) {
  Deno.test(`runTools(): the second round's ${name} that echoes the api key is scrubbed`, async () => {
    for (const stream of streamOnly ? [true] : [false, true]) {
      assertClean(await run(second, stream, { apiKey: KEY }), KEY);
    }
  });
}

Deno.test("runTools(): the second round's 401 that echoes a tokenProvider's token is scrubbed", async () => {
  for (const stream of [false, true]) {
    const tokens: string[] = [];
    const tokenProvider = () => {
      // A new token each time: the one the failing round sent is not the first round's.
      tokens.push(`eyJ.token-${tokens.length}-0123456789abcdefghij`);
      return Promise.resolve(tokens.at(-1)!);
    };
    const text = await run(FAILURES["a 401"][0], stream, { tokenProvider });
    assert.ok(tokens.length >= 1);
    for (const token of tokens) assertClean(text, token);
  }
});
