// Errors the client raises itself while parsing a reply (a zod-style parser that quotes the value
// it refused, JSON.parse of strict arguments) are scrubbed as the service's errors are: the model's
// output can echo the api key (here the served arguments carry the request's api-key header), and
// stream(), runTools() and parse() must not hand it on.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

const KEY = "sk-ParsedErrorEcho0123456789abcdef";
const chunk = (color: string) => ({
  id: "x",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{
    index: 0,
    delta: {
      role: "assistant",
      tool_calls: [{
        index: 0,
        id: "c1",
        type: "function",
        function: { name: "pick", arguments: JSON.stringify({ color }) },
      }],
    },
    finish_reason: "tool_calls",
  }],
});
const completion = (color: string) => ({
  id: "x",
  object: "chat.completion",
  created: 1,
  model: "m",
  choices: [{
    index: 0,
    message: {
      role: "assistant",
      content: null,
      tool_calls: [{
        id: "c1",
        type: "function",
        function: { name: "pick", arguments: JSON.stringify({ color }) },
      }],
    },
    finish_reason: "tool_calls",
  }],
});

const client = new AzureOpenAI({
  endpoint: "https://res.openai.azure.com",
  apiKey: KEY,
  maxRetries: 0,
  fetch: (req) => {
    const echoed = req.headers.get("api-key")!;
    return Promise.resolve(
      req.headers.get("accept") == "text/event-stream"
        ? new Response(`data: ${JSON.stringify(chunk(echoed))}\n\ndata: [DONE]\n\n`, {
          headers: { "content-type": "text/event-stream" },
        })
        : Response.json(completion(echoed)),
    );
  },
});
/** A zodFunction()-shaped tool whose parser quotes what it refused, as zod's enum error does. */
const tool = () =>
  Object.defineProperties({
    type: "function",
    function: { name: "pick", parameters: {}, strict: true },
  }, {
    $parseRaw: {
      value: (text: string) => {
        const color = JSON.parse(text).color;
        if (color != "red") {
          throw new Error(`Invalid enum value. Expected 'red', received '${color}'`);
        }
        return color;
      },
    },
    $callback: { value: () => "ok" },
  }) as never;
const PARAMS = { model: "m", messages: [{ role: "user" as const, content: "hi" }] };

function assertClean(err: unknown) {
  assert.ok(err instanceof Error, String(err));
  for (
    const view of [
      String(err),
      err.stack ?? "",
      JSON.stringify(err),
      Deno.inspect(err, { depth: 9 }),
    ]
  ) {
    assert.ok(!view.includes(KEY), view);
  }
  assert.match(String(err), /received '\*\*\*'/);
}

Deno.test("stream(): a parser's error quoting an echoed key is scrubbed (event, done())", async () => {
  const stream = client.chat.completions.stream({ ...PARAMS, tools: [tool()] });
  let event: unknown;
  stream.on("error", (err) => event = err);
  const err = await stream.done().then(() => assert.fail("resolved"), (e) => e);
  assertClean(err);
  assertClean(event);
});

// (Not streamed, a parse error is the tool message's content, as in the SDK: the user's parser's
// text, sent back to the service; the run goes on.)
Deno.test("runTools({ stream: true }): a parser's error quoting an echoed key is scrubbed", async () => {
  const runner = client.chat.completions.runTools({ ...PARAMS, tools: [tool()], stream: true });
  const err = await runner.finalContent().then(() => assert.fail("resolved"), (e) => e);
  assertClean(err);
});

Deno.test("parse(): a parser's error quoting an echoed key is scrubbed", async () => {
  const err = await client.chat.completions.parse({ ...PARAMS, tools: [tool()] }).then(
    () => assert.fail("resolved"),
    (e) => e,
  );
  assertClean(err);
});
