// chat.completions.runTools() refuses what it cannot run with a TypeError at the call that says
// what to fix, sending nothing: params that are no object, tools that are no array, a tool without
// a function to run (the openai SDK sends it and fails once the model calls it), a zodFunction()
// tool without its `function` (the SDK's runner errors). n > 1 (not streamed) ends the run with an
// error before sending, as the SDK's.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

let requests = 0;
const client = new AzureOpenAI({
  endpoint: "http://run-tools.local",
  apiKey: "k".repeat(32),
  fetch: () => (requests++, Promise.reject(new Error("no request expected"))),
});
const messages = [{ role: "user" as const, content: "Hi" }];

Deno.test("runTools(): params that are no object, or no tools array, are a TypeError naming the call", () => {
  for (const params of [undefined, null, "hi", { messages }, { messages, tools: {} }]) {
    assert.throws(
      () => client.chat.completions.runTools(params as never),
      (e: Error) => e instanceof TypeError && /^chat\.completions\.runTools: /.test(e.message),
      JSON.stringify(params),
    );
  }
  assert.equal(requests, 0);
});

Deno.test("runTools(): a tool without a function to run is a TypeError naming it", () => {
  const zodLike = Object.defineProperties(
    { type: "function", function: { name: "get_weather", parameters: {}, strict: true } },
    { $brand: { value: "auto-parseable-tool" }, $parseRaw: { value: JSON.parse } },
  );
  const cases: [unknown, RegExp][] = [
    [{ type: "function", function: { name: "lookup", parameters: {} } }, /tools\[1\] \("lookup"\)/],
    [{ type: "function", function: { name: "x", function: "not callable" } }, /tools\[1\] \("x"\)/],
    [{ type: "function" }, /tools\[1\] \(undefined\)/],
    [null, /tools\[1\]/],
    [zodLike, /tools\[1\] \("get_weather"\).*zodFunction/],
  ];
  const ok = {
    type: "function" as const,
    function: { name: "ok", parameters: {}, function: () => 1 },
  };
  for (const [tool, message] of cases) {
    assert.throws(
      () => client.chat.completions.runTools({ messages, tools: [ok, tool as never] }),
      (e: Error) =>
        e instanceof TypeError && message.test(e.message) && /no function to run/.test(e.message),
      JSON.stringify(tool),
    );
  }
  assert.equal(requests, 0);
});

Deno.test("runTools(): n > 1 not streamed ends the run with an error, sending nothing", async () => {
  const runner = client.chat.completions.runTools({
    messages,
    n: 2,
    tools: [{ type: "function", function: { name: "f", parameters: {}, function: () => 1 } }],
  });
  const err = await runner.done().then(() => undefined, (e) => e);
  assert.match(err?.message, /n must be 1/);
  assert.equal(requests, 0);
});
