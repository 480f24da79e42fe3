// chat.completions.stream(): `content.delta`'s `parsed` and `tool_calls.function.arguments.delta`'s
// `parsed_arguments` carry the partial parse of the text so far, when and as the openai SDK's
// (a format with a `$parseRaw`, as zodResponseFormat() makes; a tool with `strict: true` or a
// `$parseRaw`), and the chunk snapshot's message / tool call carries it too. SSE bodies served on
// 127.0.0.1.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import { startServer } from "../helpers/server.ts";

const base = { id: "c1", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
const sse = (...chunks: unknown[]) =>
  [...chunks.map((c) => JSON.stringify({ ...base, ...c as object })), "[DONE]"]
    .map((d) => `data: ${d}\n\n`).join("");
const choice = (delta: unknown, finish_reason: string | null = null) => ({
  choices: [{ index: 0, delta, finish_reason }],
});
const PARAMS = { model: "gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };

/** A format as zodResponseFormat() makes it: `$parseRaw` not enumerable (not sent). */
const zodLike = Object.defineProperty(
  { type: "json_schema", json_schema: { name: "trip", strict: true, schema: {} } },
  "$parseRaw",
  { value: JSON.parse },
) as { type: "json_schema"; json_schema: { name: string } };

async function serving(body: string) {
  const server = await startServer(() =>
    new Response(body, { headers: { "content-type": "text/event-stream" } })
  );
  const client = new AzureOpenAI({ endpoint: server.url, apiKey: "k", maxRetries: 0 });
  return { server, client };
}

type Stream = ReturnType<AzureOpenAI["chat"]["completions"]["stream"]>;

/** Each `event`'s first argument, with the chunk snapshot's `pick()` at that time. */
function record(stream: Stream, event: "content.delta" | "tool_calls.function.arguments.delta") {
  const seen: unknown[] = [];
  const snapshots: unknown[] = [];
  stream.on(
    event,
    ((arg: unknown) => {
      seen.push(arg);
      const message = stream.currentChatCompletionSnapshot!.choices[0].message as {
        parsed?: unknown;
        tool_calls?: { function: { parsed_arguments?: unknown } }[];
      };
      snapshots.push(
        event == "content.delta" ? message.parsed : message.tool_calls?.at(-1)?.function
          .parsed_arguments,
      );
    }) as never,
  );
  return { seen, snapshots };
}

Deno.test("stream(): content.delta carries the partial parse with a $parseRaw format", async () => {
  const { server, client } = await serving(sse(
    choice({ role: "assistant", content: "" }),
    choice({ content: " " }),
    choice({ content: '{"city":"Pa' }),
    choice({ content: 'ris","days":2' }),
    choice({ content: "" }),
    choice({ content: ',"tags":["a' }),
    choice({ content: '"]}' }, "stop"),
  ));
  await using _ = server;
  const stream = client.chat.completions.stream({ ...PARAMS, response_format: zodLike });
  const { seen, snapshots } = record(stream, "content.delta");
  await stream.done();
  const parsed = [
    null,
    { city: "Pa" },
    { city: "Paris" },
    { city: "Paris" },
    { city: "Paris", days: 2, tags: ["a"] },
    { city: "Paris", days: 2, tags: ["a"] },
  ];
  assert.deepEqual(seen.map((e) => (e as { parsed: unknown }).parsed), parsed);
  assert.deepEqual(snapshots, parsed);
  assert.deepEqual(seen[1], {
    delta: '{"city":"Pa',
    snapshot: ' {"city":"Pa',
    parsed: { city: "Pa" },
  });
});

Deno.test("stream(): content.delta's parsed is undefined without a $parseRaw format or with a refusal", async () => {
  const plain = { type: "json_schema" as const, json_schema: { name: "n", strict: true } };
  for (
    const [format, chunks] of [
      [plain, [choice({ role: "assistant", content: '{"a":' }), choice({ content: "1}" }, "stop")]],
      [zodLike, [
        choice({ role: "assistant", refusal: "No" }),
        choice({ content: '{"a":' }),
        choice({ content: "1}" }, "stop"),
      ]],
    ] as const
  ) {
    const { server, client } = await serving(sse(...chunks));
    await using _ = server;
    const stream = client.chat.completions.stream({ ...PARAMS, response_format: format });
    const { seen, snapshots } = record(stream, "content.delta");
    await stream.done();
    assert.equal(seen.length, 2);
    for (const e of seen) {
      assert.ok("parsed" in (e as object) && (e as { parsed: unknown }).parsed === undefined);
    }
    assert.deepEqual(snapshots, [undefined, undefined]);
  }
});

Deno.test("stream(): arguments.delta carries the partial parse for strict and $parseRaw tools only", async () => {
  const zodTool = Object.defineProperty(
    { type: "function" as const, function: { name: "z", strict: true, parameters: {} } },
    "$parseRaw",
    { value: JSON.parse },
  );
  const { server, client } = await serving(sse(
    choice({
      role: "assistant",
      tool_calls: [{ index: 0, id: "a", type: "function", function: { name: "f", arguments: "" } }],
    }),
    choice({ tool_calls: [{ index: 0, function: { arguments: '{"x":[1,' } }] }),
    choice({ tool_calls: [{ index: 0, function: { arguments: "" } }] }),
    choice({ tool_calls: [{ index: 0, function: { arguments: "2]}" } }] }),
    choice({
      tool_calls: [{
        index: 1,
        id: "b",
        type: "function",
        function: { name: "z", arguments: '{"y' },
      }],
    }),
    choice({ tool_calls: [{ index: 1, function: { arguments: '":"é"}' } }] }),
    choice({
      tool_calls: [{
        index: 2,
        id: "c",
        type: "function",
        function: { name: "loose", arguments: "{" },
      }],
    }),
    choice({}, "tool_calls"),
  ));
  await using _ = server;
  const stream = client.chat.completions.stream({
    ...PARAMS,
    tools: [
      { type: "function", function: { name: "f", strict: true, parameters: {} } },
      zodTool,
      { type: "function", function: { name: "loose", parameters: {} } },
    ],
  });
  const { seen, snapshots } = record(stream, "tool_calls.function.arguments.delta");
  await stream.done();
  const parsed = [undefined, { x: [1] }, { x: [1] }, { x: [1, 2] }, {}, { y: "é" }, undefined];
  assert.deepEqual(seen.map((e) => (e as { parsed_arguments: unknown }).parsed_arguments), parsed);
  assert.deepEqual(snapshots, parsed);
  assert.deepEqual(seen[1], {
    name: "f",
    index: 0,
    arguments: '{"x":[1,',
    parsed_arguments: { x: [1] },
    arguments_delta: '{"x":[1,',
  });
});

Deno.test("stream(): whitespace-only strict arguments fail the stream, as the SDK's parse throws", async () => {
  const { server, client } = await serving(sse(
    choice({
      role: "assistant",
      tool_calls: [{
        index: 0,
        id: "a",
        type: "function",
        function: { name: "f", arguments: " " },
      }],
    }),
    choice({}, "tool_calls"),
  ));
  await using _ = server;
  const stream = client.chat.completions.stream({
    ...PARAMS,
    tools: [{ type: "function", function: { name: "f", strict: true, parameters: {} } }],
  });
  const chunks: unknown[] = [];
  stream.on("chunk", (c) => chunks.push(c));
  await assert.rejects(stream.done());
  assert.equal(chunks.length, 0);
});
