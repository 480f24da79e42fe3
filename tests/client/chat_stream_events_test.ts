// chat.completions.stream(): the openai SDK's event stream (its names, arguments and order), its
// final*() results, errors and aborts, against the emulator and hand-written SSE bodies served on
// 127.0.0.1.
import assert from "node:assert/strict";
import {
  APIUserAbortError,
  AzureOpenAI,
  InternalServerError,
  LengthFinishReasonError,
  NotFoundError,
} from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { startServer } from "../helpers/server.ts";
import { CHAT_STREAM_EVENTS as EVENTS } from "../../compat/tests/_chat_stream_events.mjs";

type Stream = ReturnType<AzureOpenAI["chat"]["completions"]["stream"]>;

/** Records every event as [name, first argument] (the chunk event's snapshot left out). */
function record(stream: Stream): [string, unknown][] {
  const seen: [string, unknown][] = [];
  for (const name of EVENTS) {
    stream.on(name, ((arg: unknown) => seen.push([name, arg])) as never);
  }
  return seen;
}

const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
const sse = (...chunks: unknown[]) =>
  [...chunks.map((c) => JSON.stringify({ ...base, ...c as object })), "[DONE]"]
    .map((d) => `data: ${d}\n\n`).join("");
const choice = (delta: unknown, finish_reason: string | null = null, index = 0) => ({
  choices: [{ index, delta, finish_reason }],
});

async function serving(body: string, status = 200) {
  const server = await startServer(() =>
    new Response(body, {
      status,
      headers: { "content-type": status == 200 ? "text/event-stream" : "application/json" },
    })
  );
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: "k", maxRetries: 0 });
  return { server, client };
}

/** A client of a fresh in-process emulator. */
function emulatorClient() {
  const emulator = createEmulator();
  return new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: emulator.fetch,
  });
}

const PARAMS = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };

Deno.test("stream() emits the SDK's events in its order for a plain reply (emulator)", async () => {
  const client = emulatorClient();
  const stream = client.chat.completions.stream({
    ...PARAMS,
    messages: [{ role: "user", content: "Hello" }],
  });
  const seen = record(stream);
  const final = await stream.finalChatCompletion();
  const names = seen.map(([name]) => name);
  assert.equal(names[0], "connect");
  const tail = names.slice(names.lastIndexOf("chunk") + 1);
  assert.deepEqual(tail, [
    "content.done",
    "chatCompletion",
    "message",
    "finalChatCompletion",
    "finalMessage",
    "finalContent",
    "end",
  ]);
  const text = seen.filter(([n]) => n == "content").map(([, d]) => d).join("");
  assert.equal(text, "You said: Hello");
  assert.equal(final.choices[0].message.content, "You said: Hello");
  assert.equal(final.choices[0].message.parsed, null);
  assert.equal(await stream.finalContent(), "You said: Hello");
  assert.equal(await stream.finalFunctionToolCall(), undefined);
  assert.deepEqual(await stream.totalUsage(), {
    completion_tokens: 0,
    prompt_tokens: 0,
    total_tokens: 0,
  });
  assert.equal(stream.allChatCompletions().length, 1);
  // As the SDK's: the snapshot is the round's under way, none once it ended.
  assert.equal(stream.currentChatCompletionSnapshot, undefined);
  // content.done comes once, with the finish reason, before the end events.
  assert.deepEqual(seen.filter(([n]) => n == "content.done"), [
    ["content.done", { content: "You said: Hello", parsed: null }],
  ]);
});

Deno.test("stream() with two parallel tool calls: delta / done per call in the SDK's order", async () => {
  const tool = (name: string) => ({
    type: "function" as const,
    function: { name, strict: true, parameters: { type: "object" } },
  });
  const { server, client } = await serving(sse(
    choice({ role: "assistant", content: null }),
    choice({
      tool_calls: [{ index: 0, id: "a", type: "function", function: { name: "f", arguments: "" } }],
    }),
    choice({ tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] }),
    choice({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] }),
    choice({
      tool_calls: [{
        index: 1,
        id: "b",
        type: "function",
        function: { name: "g", arguments: "{}" },
      }],
    }),
    choice({}, "tool_calls"),
    { choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } },
  ));
  await using _ = server;
  const stream = client.chat.completions.stream({ ...PARAMS, tools: [tool("f"), tool("g")] });
  const seen = record(stream);
  await stream.done();
  const calls = seen.filter(([n]) => n.startsWith("tool_calls") || n == "functionToolCall");
  assert.deepEqual(calls, [
    ["tool_calls.function.arguments.delta", {
      name: "f",
      index: 0,
      arguments: "",
      parsed_arguments: undefined,
      arguments_delta: "",
    }],
    ["tool_calls.function.arguments.delta", {
      name: "f",
      index: 0,
      arguments: '{"x":',
      parsed_arguments: {},
      arguments_delta: '{"x":',
    }],
    ["tool_calls.function.arguments.delta", {
      name: "f",
      index: 0,
      arguments: '{"x":1}',
      parsed_arguments: { x: 1 },
      arguments_delta: "1}",
    }],
    ["tool_calls.function.arguments.done", {
      name: "f",
      index: 0,
      arguments: '{"x":1}',
      parsed_arguments: { x: 1 },
    }],
    ["tool_calls.function.arguments.delta", {
      name: "g",
      index: 1,
      arguments: "{}",
      parsed_arguments: {},
      arguments_delta: "{}",
    }],
    ["tool_calls.function.arguments.done", {
      name: "g",
      index: 1,
      arguments: "{}",
      parsed_arguments: {},
    }],
    ["functionToolCall", { name: "f", arguments: '{"x":1}', parsed_arguments: { x: 1 } }],
    ["functionToolCall", { name: "g", arguments: "{}", parsed_arguments: {} }],
  ]);
  assert.deepEqual(seen.slice(-3).map(([n]) => n), ["finalFunctionToolCall", "totalUsage", "end"]);
  assert.deepEqual(await stream.finalFunctionToolCall(), {
    name: "g",
    arguments: "{}",
    parsed_arguments: {},
  });
  assert.deepEqual(await stream.totalUsage(), {
    prompt_tokens: 3,
    completion_tokens: 4,
    total_tokens: 7,
  });
  assert.equal(await stream.finalContent(), null);
});

Deno.test("stream() emits refusal.delta / refusal.done and per-choice content events", async () => {
  const { server, client } = await serving(sse(
    choice({ role: "assistant", refusal: "No" }),
    choice({ refusal: "pe" }, "stop"),
    choice({ role: "assistant", content: "B" }, null, 1),
    choice({}, "stop", 1),
  ));
  await using _ = server;
  const stream = client.chat.completions.stream({ ...PARAMS, n: 2 });
  const all = record(stream);
  const message = await stream.finalMessage();
  const seen = all.filter(([n]) => n != "chunk");
  assert.deepEqual(seen.slice(1, 6), [
    ["refusal.delta", { delta: "No", snapshot: "No" }],
    ["refusal.delta", { delta: "pe", snapshot: "Nope" }],
    ["refusal.done", { refusal: "Nope" }],
    ["content", "B"],
    ["content.delta", { delta: "B", snapshot: "B", parsed: undefined }],
  ]);
  assert.deepEqual(seen[6], ["content.done", { content: "B", parsed: null }]);
  assert.equal(message.refusal, "Nope");
  assert.equal(message.content, null);
});

Deno.test("stream() parses content.done and the final message by a response_format's $parseRaw", async () => {
  const format = Object.defineProperty(
    { type: "json_schema", json_schema: { name: "n", strict: true, schema: {} } },
    "$parseRaw",
    { value: (text: string) => ({ ...JSON.parse(text), by: "parser" }) },
  ) as unknown as {
    type: "json_schema";
    json_schema: { name: string };
    $parseRaw(t: string): { by: string };
  };
  const { server, client } = await serving(sse(
    choice({ role: "assistant", content: '{"a":' }),
    choice({ content: "1}" }, "stop"),
  ));
  await using _ = server;
  const stream = client.chat.completions.stream({ ...PARAMS, response_format: format });
  const done = stream.emitted("content.done");
  const final = await stream.finalChatCompletion();
  assert.deepEqual(await done, { content: '{"a":1}', parsed: { a: 1, by: "parser" } });
  assert.deepEqual(final.choices[0].message.parsed, { a: 1, by: "parser" });
  assert.equal(JSON.parse(server.seen[0].text).stream, true);
});

Deno.test("stream() with a parsed format fails with LengthFinishReasonError on a cut reply", async () => {
  const format = Object.defineProperty(
    { type: "json_schema", json_schema: { name: "n" } },
    "$parseRaw",
    {
      value: JSON.parse,
    },
  ) as { type: "json_schema"; json_schema: { name: string } };
  const { server, client } = await serving(
    sse(choice({ role: "assistant", content: "{" }, "length")),
  );
  await using _ = server;
  const stream = client.chat.completions.stream({ ...PARAMS, response_format: format });
  const seen = record(stream);
  await assert.rejects(stream.finalChatCompletion(), LengthFinishReasonError);
  assert.deepEqual(seen.map(([n]) => n), ["connect", "error", "end"]);
});

Deno.test("stream() rejects done() / final*() with the typed error and emits error, then end", async () => {
  const { server, client } = await serving(
    JSON.stringify({ error: { code: "DeploymentNotFound", message: "no such deployment" } }),
    404,
  );
  await using _ = server;
  const stream = client.chat.completions.stream(PARAMS);
  const seen = record(stream);
  await assert.rejects(stream.done(), NotFoundError);
  await assert.rejects(stream.finalContent(), NotFoundError);
  assert.deepEqual(seen.map(([n]) => n), ["error", "end"]);
  assert.ok(seen[0][1] instanceof NotFoundError);
});

Deno.test("stream() error mid-stream: chunks before it, then error; a loop rejects", async () => {
  const body = sse(choice({ role: "assistant", content: "Hi" })).replace(
    "data: [DONE]",
    'data: {"error":{"code":"server_error","message":"boom"}}',
  );
  const { server, client } = await serving(body);
  await using _ = server;
  const stream = client.chat.completions.stream(PARAMS);
  const got: string[] = [];
  await assert.rejects(async () => {
    for await (const chunk of stream) got.push(chunk.choices[0]?.delta?.content ?? "");
  }, InternalServerError);
  assert.deepEqual(got, ["Hi"]);
});

Deno.test("an error nothing listens to is no unhandled rejection when done() is awaited", async () => {
  const { server, client } = await serving("{}", 500);
  await using _ = server;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: PromiseRejectionEvent) => {
    unhandled.push(e.reason);
    e.preventDefault();
  };
  globalThis.addEventListener("unhandledrejection", onUnhandled);
  try {
    await assert.rejects(client.chat.completions.stream(PARAMS).done(), InternalServerError);
    // Nothing awaited and no listener: the SDK's rule makes it an unhandled rejection.
    const stream = client.chat.completions.stream(PARAMS);
    await new Promise((resolve) => stream.on("end", () => setTimeout(resolve)));
  } finally {
    globalThis.removeEventListener("unhandledrejection", onUnhandled);
  }
  assert.equal(unhandled.length, 1);
  assert.ok(unhandled[0] instanceof InternalServerError);
});

Deno.test("stream() aborts by options.signal and by abort(): abort event, APIUserAbortError", async () => {
  const client = emulatorClient();
  const outside = new AbortController();
  const first = client.chat.completions.stream(PARAMS, { signal: outside.signal });
  const seen = record(first);
  first.once("content", () => outside.abort());
  await assert.rejects(first.finalChatCompletion(), APIUserAbortError);
  assert.deepEqual(seen.slice(-2).map(([n]) => n), ["abort", "end"]);
  assert.equal(seen.filter(([n]) => n == "content").length, 1);

  const second = client.chat.completions.stream(PARAMS);
  second.abort();
  const error = await second.emitted("abort");
  assert.ok(error instanceof APIUserAbortError);
  await assert.rejects(second.done(), APIUserAbortError);
  // Leaving a loop early aborts the stream too.
  const third = client.chat.completions.stream(PARAMS);
  for await (const _ of third) break;
  await assert.rejects(third.done(), APIUserAbortError);
});

Deno.test("toReadableStream() writes the chunks as JSON lines ChatCompletionStream reads", async () => {
  const { ChatCompletionStream } = await import("../../mod.ts");
  const { server, client } = await serving(sse(
    choice({ role: "assistant", content: "Hi" }),
    choice({}, "stop"),
  ));
  await using _ = server;
  const body = client.chat.completions.stream(PARAMS).toReadableStream();
  const final = await ChatCompletionStream.fromReadableStream(body).finalChatCompletion();
  assert.equal(final.choices[0].message.content, "Hi");
});

Deno.test("abort() after the whole body was read still ends in abort, as the SDK's", async () => {
  const { server, client } = await serving(sse(
    choice({ role: "assistant", content: "Hi" }),
    choice({}, "stop"),
  ));
  await using _ = server;
  const stream = client.chat.completions.stream(PARAMS);
  const seen = record(stream);
  stream.on("content", () => stream.abort());
  await assert.rejects(stream.finalChatCompletion(), APIUserAbortError);
  assert.deepEqual(seen.slice(-2).map(([n]) => n), ["abort", "end"]);
  assert.equal(seen.filter(([n]) => n == "chatCompletion").length, 0);
});
