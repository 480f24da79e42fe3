// Runtime-matrix scenarios of chat.completions.runTools() (the openai SDK's tool runner) with the
// bundled core: one tool round then the answer, not streamed and streamed, and a tool that
// throws. The emulator answers them through runToolsScript() (scenarios.mjs's EMULATOR_OPTIONS).
// Part of scenarios.mjs's CHAT_STREAM_SCENARIOS; plain JS, no node: imports.

import { CHAT_STREAM_EVENTS } from "../tests/_chat_stream_events.mjs";
import { check, listen, rejection } from "./_check.mjs";

const TOOL = "matrix_time";
const CITY = "Lisbon";
/** What the tool gets: the arguments runToolsScript() calls it with, parsed. */
const ARGS = { city: CITY };
const RESULT = `12:00 in ${CITY}`;
/** The answer after the tool's result: the emulator's echo of a tool message. */
const ANSWER = `Tool result: ${RESULT}`;
const TOOL_ERROR = "matrix_time failed on purpose";
const EVENTS = [...CHAT_STREAM_EVENTS, "functionToolCallResult", "finalFunctionToolCallResult"];

/**
 * The emulator's chat script for the matrix: a call of the matrix's tool while the request offers
 * it and no tool message came last; every other request (undefined) gets the emulator's own reply,
 * "Tool result: <its content>" after a tool message.
 */
export function runToolsScript({ body }) {
  const offered = body.tools?.some((t) => t.function?.name === TOOL);
  return offered && body.messages?.at(-1)?.role !== "tool"
    ? { toolCalls: [{ name: TOOL, arguments: ARGS }] }
    : undefined;
}

/**
 * Starts runTools() on `client()` with the matrix's tool running `fn` (after logging the
 * arguments it got in `calls`), every request body kept in `bodies` (as sent) and a listener on
 * every runner event.
 */
function started(client, fn, stream) {
  const bodies = [];
  const calls = [];
  const recording = (input, init) => {
    const request = new Request(input, init);
    bodies.push(request.clone().json());
    return fetch(request);
  };
  const runner = client().withOptions({ fetch: recording }).chat.completions.runTools({
    model: "gpt-4o",
    messages: [{ role: "user", content: `What time is it in ${CITY}?` }],
    tools: [{
      type: "function",
      function: {
        name: TOOL,
        description: "The time in a city",
        parameters: { type: "object", properties: { city: { type: "string" } } },
        parse: JSON.parse,
        function: (args) => (calls.push(args), fn(args)),
      },
    }],
    stream,
  });
  return { runner, calls, bodies: () => Promise.all(bodies), ...listen(runner, EVENTS) };
}

const json = (value) => JSON.stringify(value);

/**
 * One tool round then the answer: the tool ran once with the script's arguments, its result came
 * as `functionToolCallResult` and went back in the second request after the assistant's call,
 * and finalContent() is the answer. `stream` also checks the chunks' content deltas.
 */
const oneRound = (stream) => async ({ client }) => {
  const { runner, calls, bodies, events, args } = started(client, () => RESULT, stream);
  const final = await runner.finalContent();
  check(final === ANSWER, `finalContent() "${final}" != "${ANSWER}"`);
  check(json(calls) === json([ARGS]), `the tool ran with ${json(calls)}`);
  const fn = args.functionToolCall ?? [];
  check(
    fn.length === 1 && fn[0][0].name === TOOL && fn[0][0].arguments === json(ARGS),
    `functionToolCall ${json(fn)}`,
  );
  const results = args.functionToolCallResult ?? [];
  check(json(results) === json([[RESULT]]), `functionToolCallResult ${json(results)}`);
  const sent = await bodies();
  check(sent.length === 2, `${sent.length} requests sent`);
  check(sent.every((b) => b.stream === stream), `stream sent as ${sent.map((b) => b.stream)}`);
  const [user, assistant, tool, ...more] = sent[1].messages;
  check(
    json(user) === json(sent[0].messages[0]) && sent[0].messages.length === 1 && !more.length,
    `second request's messages ${json(sent[1].messages)}`,
  );
  const call = assistant.tool_calls?.[0];
  check(
    assistant.role === "assistant" && assistant.tool_calls.length === 1 &&
      call.type === "function" && call.function.name === TOOL &&
      call.function.arguments === json(ARGS),
    `second request's assistant message ${json(assistant)}`,
  );
  check(
    json(tool) === json({ role: "tool", tool_call_id: call.id, content: RESULT }),
    `second request's tool message ${json(tool)} (call id ${call.id})`,
  );
  const roles = (args.message ?? []).map(([m]) => m.role).join(",");
  check(roles === "assistant,tool,assistant", `message events of ${roles}`);
  check(runner.allChatCompletions().length === 2, "not two chat completions");
  check(events.at(-1) === "end" && !events.includes("error"), `events ${events.join(",")}`);
  check(events.includes("chunk") === stream, `chunk events: ${events.includes("chunk")}`);
  if (!stream) return;
  const deltas = (args.content ?? []).map(([delta]) => delta);
  check(deltas.length >= 2, `only ${deltas.length} content events`);
  check(deltas.join("") === final, `content deltas "${deltas.join("")}" != "${final}"`);
};

/** runTools(): the openai SDK's tool runner, on the bundled core. */
export const RUN_TOOLS_SCENARIOS = [
  [
    "chat.completions.runTools(): one tool round, then the answer; the tool's arguments, " +
    "functionToolCallResult and the second request's assistant tool_calls + tool message",
    oneRound(false),
  ],
  [
    "chat.completions.runTools({ stream: true }): one tool round, then the answer's content " +
    "deltas join to finalContent(); same tool call and second request",
    oneRound(true),
  ],
  [
    "chat.completions.runTools() with a tool that throws: done() rejects with its message " +
    "(AzureOpenAIError, the throw as cause); error then end, no second request",
    async ({ core, client }) => {
      const thrown = new Error(TOOL_ERROR);
      const { runner, calls, bodies, events, args } = started(client, () => {
        throw thrown;
      }, false);
      const caught = await rejection(runner.done());
      check(
        caught instanceof core.AzureOpenAIError && caught.message === TOOL_ERROR &&
          caught.cause === thrown,
        `done() settled with ${caught}`,
      );
      check(json(calls) === json([ARGS]), `the tool ran with ${json(calls)}`);
      check(args.error?.length === 1 && args.error[0][0] === caught, "error's error differs");
      check(
        json(events.slice(-2)) === '["error","end"]' && runner.errored && !runner.aborted,
        `events end ${events.slice(-3).join(",")}`,
      );
      check(!events.includes("functionToolCallResult"), "a throwing tool gave a result");
      check((await bodies()).length === 1, "a request was sent after the tool threw");
    },
  ],
];
