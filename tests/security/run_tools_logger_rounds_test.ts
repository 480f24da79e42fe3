// runTools() under logger({ logBodies: true }): every round is a call of its own, logged with its
// bodies. When the service echoes the api key in round one's tool call (so round two's request
// body carries it back in the assistant message) and in round two's error, no event of any round
// holds the key, streamed or not.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { type LogEvent, logger } from "../../src/middleware/logger.ts";

const KEY = "sk-RunToolsLoggerRounds0123456789ab";

const call = (args: string) => ({
  role: "assistant",
  content: null,
  tool_calls: [{ id: "c1", type: "function", function: { name: "note", arguments: args } }],
});
/** Round one's reply: a call of `note` whose arguments hold `args`. */
const first = (args: string, stream: boolean) =>
  stream
    ? new Response(
      `data: ${
        JSON.stringify({
          id: "r",
          object: "chat.completion.chunk",
          created: 1,
          model: "m",
          choices: [{ index: 0, delta: call(args), finish_reason: "tool_calls" }],
        })
      }\n\ndata: [DONE]\n\n`,
      { headers: { "content-type": "text/event-stream" } },
    )
    : Response.json({
      id: "r",
      object: "chat.completion",
      created: 1,
      model: "m",
      choices: [{ index: 0, finish_reason: "tool_calls", message: call(args) }],
    });

for (const stream of [false, true]) {
  Deno.test(`runTools(): logger() events of every round hold no echoed key (stream: ${stream})`, async () => {
    const events: LogEvent[] = [];
    const sent: string[] = [];
    let round = 0;
    const client = new AzureOpenAI({
      endpoint: "https://res.openai.azure.com",
      apiKey: KEY,
      deployment: "d",
      maxRetries: 0,
      middleware: [logger({ logBodies: true, onEvent: (event) => events.push(event) })],
      fetch: async (req: Request) => {
        const key = req.headers.get("api-key")!;
        sent.push(await req.text());
        return round++
          ? Response.json({ error: { code: "401", message: `bad key ${key}` } }, { status: 401 })
          : first(JSON.stringify({ text: `the key is ${key}` }), stream);
      },
    });
    const runner = client.chat.completions.runTools({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      tools: [{
        type: "function",
        function: { name: "note", parameters: {}, parse: JSON.parse, function: () => "noted" },
      }],
      stream: stream as true,
    });
    await runner.done().then(() => assert.fail("round two fails"), () => {});
    // The test's own premise: round two sent the key back in the assistant message's arguments.
    assert.equal(sent.length, 2);
    assert.ok(sent[1].includes(KEY));
    const starts = events.filter((e) => e.type == "start");
    assert.equal(starts.length, 2, "one call per round");
    assert.ok(events.some((e) => e.status == 401), "round two's 401 was logged");
    const text = JSON.stringify(events);
    assert.match(text, /"the key is \*\*\*/, "round two's request body was logged, masked");
    for (const form of [KEY, KEY.toLowerCase(), encodeURIComponent(KEY)]) {
      assert.ok(!text.includes(form), `${form} leaked:\n${text.slice(0, 800)}`);
    }
  });
}
