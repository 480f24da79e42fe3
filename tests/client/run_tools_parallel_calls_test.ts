// runTools(): a round's tool calls run at once (each settles before a failure ends the run, the
// results added in the calls' order), or one after another with parallel_tool_calls: false.
import assert from "node:assert/strict";
import { calling, stubClient } from "./_run_tools_stub.ts";

function setup(parallel_tool_calls?: boolean, failA = false) {
  const { client, bodies } = stubClient([calling(["a", "{}"], ["b", "{}"])]);
  const log: string[] = [];
  let releaseB!: () => void;
  const gateB = new Promise<void>((r) => releaseB = r);
  const runner = client.chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Hi" }],
    ...parallel_tool_calls !== undefined && { parallel_tool_calls },
    tools: [{
      type: "function" as const,
      function: {
        name: "a",
        parameters: {},
        function: async () => {
          log.push("a start");
          await Promise.resolve();
          log.push("a end");
          if (failA) throw new RangeError("a failed");
          releaseB();
          return "A";
        },
      },
    }, {
      type: "function" as const,
      function: {
        name: "b",
        parameters: {},
        function: async () => {
          log.push("b start");
          if (failA) await new Promise((r) => setTimeout(r, 5));
          else await gateB;
          log.push("b end");
          return "B";
        },
      },
    }],
  });
  return { runner, bodies, log };
}

Deno.test("runTools(): a round's calls run at once, their results in the calls' order", async () => {
  const { runner, bodies, log } = setup();
  await runner.done();
  assert.deepEqual(log, ["a start", "b start", "a end", "b end"]);
  assert.deepEqual(bodies[1].messages.slice(2).map((m) => m.content), ["A", "B"]);
});

Deno.test("runTools(): parallel_tool_calls: false runs the calls one after another", async () => {
  const { runner, bodies, log } = setup(false);
  await runner.done();
  assert.deepEqual(log, ["a start", "a end", "b start", "b end"]);
  assert.deepEqual(bodies[1].messages.slice(2).map((m) => m.content), ["A", "B"]);
  assert.equal(bodies.length, 2);
});

Deno.test("runTools(): a failing call ends the run only once the round's other calls settled", async () => {
  const { runner, bodies, log } = setup(undefined, true);
  const err = await runner.done().then(() => undefined, (e) => e);
  assert.match(err?.message, /a failed/);
  assert.deepEqual(log, ["a start", "b start", "a end", "b end"]);
  assert.equal(bodies.length, 1);
});
