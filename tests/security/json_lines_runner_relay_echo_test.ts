// A streamed runTools() relayed as JSON lines (toReadableStream()) whose second round fails with
// an error that echoes the api key: the relayed body (chunks and message records) holds no key,
// the relay fails with the scrubbed error, and a page reading it (fromReadableStream()) fails
// without the key too.
import assert from "node:assert/strict";
import { AzureOpenAI, ChatCompletionStreamingRunner } from "../../mod.ts";
import { views } from "./_error_text_surfaces.ts";

const KEY = "sk-JsonLinesRelayEcho0123456789abcd";

const chunk = (delta: object, finish_reason: string | null = null) =>
  `data: ${
    JSON.stringify({
      id: "r1",
      object: "chat.completion.chunk",
      created: 1,
      model: "m",
      choices: [{ index: 0, delta, finish_reason }],
    })
  }\n\n`;
const sse = (text: string) =>
  new Response(text, { headers: { "content-type": "text/event-stream" } });
const ROUND_ONE = chunk({
  role: "assistant",
  tool_calls: [{
    index: 0,
    id: "c1",
    type: "function",
    function: { name: "add", arguments: "{}" },
  }],
}) + chunk({}, "tool_calls") + "data: [DONE]\n\n";

/** Round two's failures: each says the key back. */
const FAILURES: Record<string, (key: string) => Response> = {
  "a 401": (k) => Response.json({ error: { code: "401", message: `bad ${k}` } }, { status: 401 }),
  "an error event": (k) =>
    sse(
      chunk({ role: "assistant", content: "a" }) +
        `event: error\ndata: {"error":{"message":"bad ${k}"}}\n\n`,
    ),
  "a chunk that is no JSON": (k) =>
    sse(chunk({ role: "assistant", content: "a" }) + `data: x ${k}\n\n`),
};

for (const [name, second] of Object.entries(FAILURES)) {
  Deno.test(`runner.toReadableStream(): round two's ${name} that echoes the key is relayed without it`, async () => {
    let round = 0;
    const client = new AzureOpenAI({
      endpoint: "https://res.openai.azure.com",
      apiKey: KEY,
      deployment: "d",
      maxRetries: 0,
      fetch: (req: Request) =>
        Promise.resolve(round++ ? second(req.headers.get("api-key")!) : sse(ROUND_ONE)),
    });
    const runner = client.chat.completions.runTools({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      tools: [{ type: "function", function: { name: "add", parameters: {}, function: () => "3" } }],
      stream: true,
    });
    runner.on("error", () => {});
    const [relay, forPage] = runner.toReadableStream().tee();
    const page = ChatCompletionStreamingRunner.fromReadableStream(forPage);
    page.on("error", () => {});
    let body = "";
    const reader = relay.pipeThrough(new TextDecoderStream()).getReader();
    const relayError = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return assert.fail("the relay should fail");
        body += value;
      }
    })().catch((err) => err);
    const pageError = await page.done().then(() => assert.fail("the page should fail"), (e) => e);
    // Round one's chunks and the tool message's record went out before round two failed.
    assert.match(body, /chat\.completion\.chunk\.message:/);
    assert.equal(round, 2);
    const text = `${body}\n${views(relayError)}\n${views(pageError)}`;
    for (const form of [KEY, KEY.toLowerCase(), encodeURIComponent(KEY)]) {
      assert.ok(!text.includes(form), `${form} leaked:\n${text.slice(0, 800)}`);
    }
    assert.match(views(relayError), /bad \*\*\*|x \*\*\*/, "the relay's error is round two's");
  });
}
