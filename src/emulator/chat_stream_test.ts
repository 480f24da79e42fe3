import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { chunksOf, post, readSse } from "./_testing.ts";
import { DROPPED_STREAM_MESSAGE } from "./sse_stream.ts";

const CHAT = "/openai/deployments/gpt-4o/chat/completions";
const user = (content: string) => ({ role: "user", content });
type Chunk = {
  id: string;
  object: string;
  created: number;
  model: string;
  system_fingerprint: string;
  choices: {
    index: number;
    delta?: {
      content?: string | null;
      role?: string;
      tool_calls?: { index: number; id?: string; function: { name?: string; arguments: string } }[];
    };
    finish_reason: string | null;
    content_filter_results?: Record<string, { filtered: boolean }>;
  }[];
  prompt_filter_results?: unknown[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
};

async function stream(e: ReturnType<typeof createEmulator>, body: Record<string, unknown>) {
  const res = await post(e, CHAT, { ...body, stream: true });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
  const payloads = await readSse(res);
  assert.equal(payloads.at(-1), "[DONE]");
  return chunksOf(payloads) as Chunk[];
}

function contentOf(chunks: Chunk[], index = 0): string {
  return chunks.flatMap((c) => c.choices)
    .filter((c) => c.index === index)
    .map((c) => c.delta?.content ?? "")
    .join("");
}

Deno.test("chat stream concatenates to the non-streamed content", async () => {
  const e = createEmulator();
  const body = { messages: [user("The quick brown fox jumps over the lazy dog. 🦊 ok")] };
  const plain = await (await post(e, CHAT, body)).json();
  const chunks = await stream(e, body);
  assert.equal(contentOf(chunks), plain.choices[0].message.content);
  const ids = new Set(chunks.map((c) => c.id));
  assert.equal(ids.size, 1);
  for (const c of chunks) {
    assert.equal(c.object, "chat.completion.chunk");
    assert.equal(c.model, "gpt-4o");
    assert.equal(c.system_fingerprint, "fp_emulator");
    assert.equal(typeof c.created, "number");
  }
});

Deno.test("chat stream sends prompt_filter_results first, then a role chunk, then content, then finish", async () => {
  const e = createEmulator();
  const chunks = await stream(e, { messages: [user("hello there")] });
  assert.deepEqual(chunks[0].choices, []);
  assert.equal(chunks[0].prompt_filter_results?.length, 1);
  assert.deepEqual(chunks[1].choices[0].delta, { role: "assistant", content: "" });
  const last = chunks.at(-1)!;
  assert.deepEqual(last.choices[0].delta, {});
  assert.equal(last.choices[0].finish_reason, "stop");
  const content = chunks.slice(2, -1);
  assert.ok(content.length >= 3);
  for (const c of content) {
    assert.equal(c.choices[0].finish_reason, null);
    assert.ok((c.choices[0].delta?.content ?? "").length <= 6);
  }
});

Deno.test("chat stream adds a usage chunk with empty choices when include_usage is set", async () => {
  const e = createEmulator();
  const body = { messages: [user("count me")] };
  const plain = await (await post(e, CHAT, body)).json();
  const chunks = await stream(e, { ...body, stream_options: { include_usage: true } });
  const last = chunks.at(-1)!;
  assert.deepEqual(last.choices, []);
  assert.deepEqual(last.usage, plain.usage);
  for (const c of chunks.slice(0, -1)) assert.equal(c.usage, null);
  const without = await stream(e, body);
  assert.ok(without.every((c) => !("usage" in c)));
});

Deno.test("chat stream honours chunkSize and n", async () => {
  const e = createEmulator({ chunkSize: 3 });
  const chunks = await stream(e, { messages: [user("a b c d e f g h")], n: 2 });
  assert.equal(contentOf(chunks, 0), "You said: a b c d e f g h");
  assert.equal(contentOf(chunks, 1), "You said: a b c d e f g h");
  const firstContent = chunks.find((c) => c.choices[0]?.delta?.content);
  assert.equal(firstContent?.choices[0].delta?.content, "You said:");
});

Deno.test("chat stream sends tool call deltas that rebuild the non-streamed call", async () => {
  const e = createEmulator({
    script: () => ({ toolCalls: [{ name: "lookup", arguments: { query: "weather in Paris" } }] }),
  });
  const body = {
    messages: [user("x")],
    tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }],
  };
  const plain = await (await post(e, CHAT, body)).json();
  const chunks = await stream(e, body);
  assert.deepEqual(chunks[1].choices[0].delta, { role: "assistant", content: null });
  const deltas = chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta?.tool_calls ?? []));
  assert.equal(deltas[0].id !== undefined, true);
  assert.equal(deltas[0].function.name, "lookup");
  const args = deltas.map((d) => d.function.arguments).join("");
  assert.equal(args, plain.choices[0].message.tool_calls[0].function.arguments);
  assert.ok(deltas.length > 2);
  assert.equal(chunks.at(-1)!.choices[0].finish_reason, "tool_calls");
});

Deno.test("chat stream ends with finish_reason content_filter when the reply has the output trigger", async () => {
  const e = createEmulator();
  const body = { messages: [user("safe part __filter_output__ hidden")] };
  const chunks = await stream(e, body);
  const last = chunks.at(-1)!.choices[0];
  assert.equal(last.finish_reason, "content_filter");
  assert.equal(last.content_filter_results?.violence.filtered, true);
  assert.equal(contentOf(chunks), "You said: safe part ");
  assert.doesNotMatch(contentOf(chunks), /hidden/);
});

Deno.test("chat stream with the prompt trigger answers 400 before streaming", async () => {
  const e = createEmulator();
  const res = await post(e, CHAT, { messages: [user("__content_filter__")], stream: true });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.code, "content_filter");
});

Deno.test("chat stream counts a client cancel and stops generating", async () => {
  const cancelled: string[] = [];
  const e = createEmulator({ onStreamCancel: (info) => cancelled.push(info.deployment) });
  const res = await post(e, CHAT, { messages: [user("a ".repeat(500))], stream: true });
  const reader = res.body!.getReader();
  await reader.read();
  await reader.read();
  await reader.cancel();
  assert.equal(e.stats.cancelledStreams, 1);
  assert.equal(e.stats.streamsCompleted, 0);
  assert.deepEqual(cancelled, ["gpt-4o"]);
});

Deno.test("chat stream waits chunkDelayMs before each chunk through the injected sleep", async () => {
  const sleeps: number[] = [];
  const e = createEmulator({
    chunkDelayMs: 25,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  });
  const chunks = await stream(e, { messages: [user("hi")] });
  // one sleep per event, including [DONE]
  assert.equal(sleeps.length, chunks.length + 1);
  assert.ok(sleeps.every((ms) => ms === 25));
  assert.equal(e.stats.streamsCompleted, 1);
});

Deno.test("chat stream errors the body after dropStreamAfterChunks events", async () => {
  const e = createEmulator({ faults: { dropStreamAfterChunks: 3 } });
  const res = await post(e, CHAT, { messages: [user("a b c d e f")], stream: true });
  await assert.rejects(() => res.text(), (err: Error) => err.message === DROPPED_STREAM_MESSAGE);
  assert.equal(e.stats.droppedStreams, 1);
});

Deno.test("chat stream sends malformed JSON at malformedChunkAt", async () => {
  const e = createEmulator({ faults: { malformedChunkAt: 2 } });
  const res = await post(e, CHAT, { messages: [user("a b c")], stream: true });
  const payloads = await readSse(res);
  assert.doesNotThrow(() => JSON.parse(payloads[1]));
  assert.throws(() => JSON.parse(payloads[2]));
  assert.doesNotThrow(() => JSON.parse(payloads[3]));
  assert.equal(payloads.at(-1), "[DONE]");
});

Deno.test("stream_options answers 400 unknown_parameter on api-versions whose spec lacks it, and works from 2024-08 on and on v1", async () => {
  const e = createEmulator();
  const body = {
    messages: [{ role: "user", content: "hi" }],
    stream: true,
    stream_options: { include_usage: true },
  };
  // 2024-06-01 (GA) and 2024-07-01-preview lack it too; Azure takes it from 2024-08-01-preview.
  const refusing = [
    "2023-05-15",
    "2024-02-01",
    "2024-05-01-preview",
    "2024-06-01",
    "2024-07-01-preview",
  ];
  for (const apiVersion of refusing) {
    for (const path of [CHAT, "/openai/deployments/gpt-35-turbo-instruct/completions"]) {
      const res = await post(e, path, { ...body, prompt: "hi" }, { apiVersion });
      assert.equal(res.status, 400, `${apiVersion} ${path}`);
      const err = (await res.json()).error;
      assert.equal(err.param, "stream_options");
      assert.equal(err.code, "unknown_parameter");
    }
  }
  for (const apiVersion of ["2024-10-21", "2024-09-01-preview", "2024-08-01-preview"]) {
    const res = await post(e, CHAT, body, { apiVersion });
    assert.equal(res.status, 200, apiVersion);
    await res.body?.cancel();
  }
  const v1 = await post(e, "/openai/v1/chat/completions", { ...body, model: "gpt-4o" });
  assert.equal(v1.status, 200);
  await v1.body?.cancel();
  // Without stream_options the older versions stream as before.
  const old = await post(e, CHAT, { ...body, stream_options: undefined }, {
    apiVersion: "2024-02-01",
  });
  assert.equal(old.status, 200);
  await old.body?.cancel();
});
