// chat.completions.runTools() against the emulator (a script that calls tools until the last
// message is a tool result, then answers): the loop, the messages sent each round, the events in
// order, the final*() results, usage summed over the rounds, streamed and not; maxChatCompletions;
// a throwing tool; an abort between rounds; ended / errored / aborted.
import assert from "node:assert/strict";
import { AzureOpenAI, ChatCompletionRunner, ChatCompletionStreamingRunner } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

type Body = { messages: { role: string; content?: string; tool_call_id?: string }[] };

function setup(calls = [{ name: "get_time", arguments: { city: "Paris" } }]) {
  const bodies: Body[] = [];
  const emulator = createEmulator({
    script: ({ body }) => {
      const last = (body as Body).messages.at(-1);
      return last?.role == "tool" ? { content: `It is ${last.content}` } : { toolCalls: calls };
    },
  });
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: async (request: Request) => {
      bodies.push(await request.clone().json());
      return emulator.fetch(request);
    },
  });
  return { client, bodies };
}

const NAMES = [
  "connect",
  "content",
  "message",
  "functionToolCall",
  "functionToolCallResult",
  "chatCompletion",
  "finalContent",
  "finalMessage",
  "finalChatCompletion",
  "finalFunctionToolCall",
  "finalFunctionToolCallResult",
  "totalUsage",
  "error",
  "abort",
  "end",
] as const;

const tools = (
  fn: (args: { city: string }) => unknown = ({ city }) => ({ time: `12:00 in ${city}` }),
) => [{
  type: "function" as const,
  function: {
    name: "get_time",
    parameters: { type: "object", properties: { city: { type: "string" } } },
    parse: JSON.parse,
    function: fn,
  },
}];

for (const stream of [false, true]) {
  Deno.test(`runTools() ${stream ? "streamed" : "not streamed"}: calls the tool, sends its result, gives the answer`, async () => {
    const { client, bodies } = setup();
    const runner = client.chat.completions.runTools({
      model: "gpt-4o",
      messages: [{ role: "user", content: "Time in Paris?" }],
      tools: tools(),
      stream,
      ...stream && { stream_options: { include_usage: true } },
    });
    assert.ok(runner instanceof (stream ? ChatCompletionStreamingRunner : ChatCompletionRunner));
    const events: string[] = [];
    for (const name of NAMES) runner.on(name, () => events.push(name));
    assert.equal(await runner.finalContent(), 'It is {"time":"12:00 in Paris"}');
    assert.equal(bodies.length, 2);
    const sent = bodies[1].messages;
    assert.deepEqual(sent.map((m) => m.role), ["user", "assistant", "tool"]);
    assert.equal(sent[2].content, '{"time":"12:00 in Paris"}');
    assert.equal(
      sent[2].tool_call_id,
      (sent[1] as { tool_calls?: { id: string }[] }).tool_calls![0].id,
    );
    // The reply's parse results are not sent back.
    assert.ok(!("parsed" in sent[1]));
    assert.deepEqual(runner.messages.map((m) => m.role), [
      "user",
      "assistant",
      "tool",
      "assistant",
    ]);
    assert.equal(runner.allChatCompletions().length, 2);
    const usage = await runner.totalUsage();
    const [a, b] = runner.allChatCompletions().map((c) => c.usage!.total_tokens);
    assert.equal(usage.total_tokens, a + b);
    assert.equal(await runner.finalFunctionToolCallResult(), '{"time":"12:00 in Paris"}');
    assert.equal((await runner.finalFunctionToolCall())?.name, "get_time");
    const round = ["connect", "chatCompletion", "message"];
    assert.deepEqual(events.filter((e) => e != "content"), [
      ...round,
      "functionToolCall",
      "message",
      "functionToolCallResult",
      ...round,
      "finalChatCompletion",
      "finalMessage",
      "finalContent",
      "finalFunctionToolCall",
      "finalFunctionToolCallResult",
      "totalUsage",
      "end",
    ]);
    // Not streamed: one `content` with the whole text; streamed: a delta per chunk.
    const contents = events.filter((e) => e == "content").length;
    assert.ok(stream ? contents > 1 : contents == 1, String(contents));
    assert.deepEqual([runner.ended, runner.errored, runner.aborted], [true, false, false]);
  });
}

Deno.test("runTools(): maxChatCompletions bounds the rounds (default 10)", async () => {
  const { client, bodies } = setup();
  // The script answers tool calls only while the last message is no tool result: always call.
  const emulatorLoops = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Loop" }],
    tools: tools(),
    tool_choice: "required",
  });
  await emulatorLoops.done();
  assert.equal(bodies.length, 10);
  bodies.length = 0;
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Loop" }],
    tools: tools(),
    tool_choice: "required",
  }, { maxChatCompletions: 3 });
  assert.equal(await runner.finalContent(), null);
  assert.equal(bodies.length, 3);
});

Deno.test("runTools(): a tool that throws ends the run with its error (error, then end)", async () => {
  const { client, bodies } = setup();
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Time?" }],
    tools: tools(() => {
      throw new RangeError("no clock");
    }),
  });
  const events: string[] = [];
  runner.on("error", () => events.push("error")).on("end", () => events.push("end"));
  const err = await runner.done().then(() => undefined, (e) => e);
  assert.match(err?.message, /no clock/);
  assert.ok(err.cause instanceof RangeError);
  assert.deepEqual(events, ["error", "end"]);
  assert.equal(bodies.length, 1);
  assert.deepEqual([runner.ended, runner.errored, runner.aborted], [true, true, false]);
});

Deno.test("runTools(): abort() while a tool runs ends the run before the next request", async () => {
  const { client, bodies } = setup();
  const runner: ChatCompletionRunner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Time?" }],
    tools: tools(() => (runner.abort(), "12:00")),
  });
  const err = await runner.done().then(() => undefined, (e) => e);
  assert.equal(err?.name, "APIUserAbortError");
  assert.equal(bodies.length, 1);
  assert.deepEqual([runner.ended, runner.errored, runner.aborted], [true, true, true]);
});

Deno.test("runTools(): the tool gets the runner and toolContext; afterCompletion runs after each round", async () => {
  const { client } = setup();
  const seen: unknown[] = [];
  const after: number[] = [];
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Time?" }],
    toolContext: { user: "u1" },
    tools: [{
      type: "function",
      function: {
        name: "get_time",
        parameters: {},
        function: (args: string, r, context) => (seen.push(args, r === runner, context), "noon"),
      },
    }],
  }, { afterCompletion: (_, r) => void after.push(r.messages.length) });
  await runner.done();
  assert.deepEqual(seen, ['{"city":"Paris"}', true, { user: "u1" }]);
  assert.deepEqual(after, [3, 4]);
});
