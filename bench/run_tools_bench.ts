/**
 * The cost of `chat.completions.runTools()`, client code only: each round's reply (built once) is
 * served by an injected `fetch` that hands out a fresh `Response` of the next scripted reply, so
 * no network, server or socket is measured. Four ways to run the same conversation, side by side
 * in one group per case (baseline: the first):
 * - ours `chat.completions.runTools()`, then `finalContent()`;
 * - the `openai` SDK's (6.49.0) `AzureOpenAI` `chat.completions.runTools()`, then
 *   `finalContent()`;
 * - ours hand-written loop of `create()` calls doing the same (the floor: ask, run the tools the
 *   reply calls, send their results, ask again), so the runner's own cost shows;
 * - the same loop after one `await new Promise((r) => setTimeout(r))` (see below).
 *
 * Three cases:
 * - not streamed, two rounds: one tool call with a small JSON argument, then the answer;
 * - the same with `stream: true`: the tool call in 6 chunks, then a 200-chunk answer (the loop
 *   reads each round with a `for await`, then `finalChatCompletion()`);
 * - not streamed, two parallel tool calls, then the answer.
 *
 * Before registering, each way runs once with a recording `fetch` and the bench throws unless all
 * four give the expected final content and sent the same tool results in the second request.
 *
 * Times are wall time. The SDK's runner starts in a `setTimeout()` callback (its `EventStream`), so
 * its rows include that timer's wait (1.2–2.4 ms per `setTimeout` on the 2-core machine of
 * bench/README.md, see chat_stream_events_bench.ts), idle time rather than CPU; ours starts in a
 * microtask (it started in a timer too before 2026-12-02). The fourth row is the loop after such a
 * wait: what a runner that starts in a timer cannot go below.
 *
 * Each way runs 300 times after 30 warmups.
 *
 * Run: `deno bench -A bench/run_tools_bench.ts`
 *
 * @module
 */
import { AzureOpenAI as OpenAIAzure } from "openai";
import { AzureOpenAI } from "../mod.ts";
import { chatChunkText, SAFE_FILTER_JSON, WORDS } from "./sse_fixture.ts";

const KEY = "bench-key-0123456789";
const API_VERSION = "2024-10-21";
const ENDPOINT = "https://bench.openai.azure.com";
const ANSWER_CHUNKS = 200;

const encoder = new TextEncoder();
const str = JSON.stringify;

type ToolCall = { id: string; name: string; arguments: string };
type Reply = { bytes: Uint8Array<ArrayBuffer>; type: string };

const PROMPT_FILTER = `"prompt_filter_results":[{"prompt_index":0,` +
  `"content_filter_results":${SAFE_FILTER_JSON}}]`;

/** A whole (not streamed) Azure chat completion as JSON bytes. */
function jsonReply(content: string | null, calls: ToolCall[]): Reply {
  const message = calls.length
    ? `{"content":null,"refusal":null,"role":"assistant","tool_calls":${
      str(calls.map(({ id, name, arguments: a }) => ({
        id,
        type: "function",
        function: { name, arguments: a },
      })))
    }}`
    : `{"content":${str(content)},"refusal":null,"role":"assistant"}`;
  const text = `{"choices":[{"content_filter_results":${SAFE_FILTER_JSON},` +
    `"finish_reason":${calls.length ? `"tool_calls"` : `"stop"`},"index":0,"logprobs":null,` +
    `"message":${message}}],"created":1727000000,"id":"chatcmpl-A9xKxR0YpQkCkq3vqZ1c8Yv3uXyZ",` +
    `"model":"gpt-4o-2024-08-06","object":"chat.completion",${PROMPT_FILTER},` +
    `"system_fingerprint":"fp_5b26d85e12","usage":{"completion_tokens":18,"prompt_tokens":82,` +
    `"total_tokens":100}}`;
  return { bytes: encoder.encode(text), type: "application/json" };
}

/** A streamed reply: Azure's prompt filter chunk, the given chunk lines, then `[DONE]`. */
function sseReply(lines: string[]): Reply {
  const head =
    `data: {"choices":[],"created":0,"id":"","model":"","object":"",${PROMPT_FILTER}}\n\n`;
  return {
    bytes: encoder.encode(head + lines.join("") + "data: [DONE]\n\n"),
    type: "text/event-stream",
  };
}

/** One tool call streamed: id and name first, then the arguments in four pieces. */
function sseToolCall(call: ToolCall): Reply {
  const a = call.arguments;
  const cut = [0, 5, 12, 20, a.length].map((n) => Math.min(n, a.length));
  const lines = [
    chatChunkText(
      `{"content":null,"refusal":null,"role":"assistant","tool_calls":[{"index":0,` +
        `"id":${str(call.id)},"type":"function","function":{"name":${
          str(call.name)
        },"arguments":""}}]}`,
    ),
  ];
  for (let i = 0; i < 4; i++) {
    lines.push(
      chatChunkText(
        `{"tool_calls":[{"index":0,"function":{"arguments":${str(a.slice(cut[i], cut[i + 1]))}}}]}`,
      ),
    );
  }
  lines.push(chatChunkText("{}", `"tool_calls"`));
  return sseReply(lines);
}

/** The answer streamed in `ANSWER_CHUNKS` content chunks, and its text. */
function sseAnswer(): [Reply, string] {
  const lines = [chatChunkText(`{"content":"","refusal":null,"role":"assistant"}`)];
  let text = "";
  for (let i = 0; i < ANSWER_CHUNKS; i++) {
    const word = WORDS[i % WORDS.length];
    text += word;
    lines.push(chatChunkText(`{"content":${str(word)}}`));
  }
  lines.push(chatChunkText("{}", `"stop"`));
  return [sseReply(lines), text];
}

/** The tools' functions, by name (what both runners and the loop run). */
const FUNCTIONS: Record<string, (args: { city: string; unit?: string }) => unknown> = {
  get_weather: ({ city, unit }) => ({ city, unit, temperature: 18, sky: "sunny" }),
  get_time: ({ city }) => `12:00 in ${city}`,
};

function runnableTools(names: string[]) {
  return names.map((name) => ({
    type: "function" as const,
    function: {
      name,
      description: `The ${name.slice(4)} in a city`,
      parameters: {
        type: "object",
        properties: { city: { type: "string" }, unit: { type: "string" } },
        required: ["city"],
      },
      parse: JSON.parse,
      function: FUNCTIONS[name],
    },
  }));
}

interface Case {
  name: string;
  stream: boolean;
  tools: string[];
  replies: Reply[];
  content: string;
}

const WEATHER: ToolCall = {
  id: "call_weather",
  name: "get_weather",
  arguments: `{"city":"Paris","unit":"celsius"}`,
};
const TIME: ToolCall = { id: "call_time", name: "get_time", arguments: `{"city":"Paris"}` };
const ANSWER = "It is 18 °C and sunny in Paris.";
const [streamedAnswer, streamedText] = sseAnswer();

const CASES: Case[] = [
  {
    name: "not streamed, 1 tool call then the answer",
    stream: false,
    tools: ["get_weather"],
    replies: [jsonReply(null, [WEATHER]), jsonReply(ANSWER, [])],
    content: ANSWER,
  },
  {
    name: `stream: true, 1 tool call then a ${ANSWER_CHUNKS}-chunk answer`,
    stream: true,
    tools: ["get_weather"],
    replies: [sseToolCall(WEATHER), streamedAnswer],
    content: streamedText,
  },
  {
    name: "not streamed, 2 parallel tool calls then the answer",
    stream: false,
    tools: ["get_weather", "get_time"],
    replies: [jsonReply(null, [WEATHER, TIME]), jsonReply(ANSWER + " It is 12:00.", [])],
    content: ANSWER + " It is 12:00.",
  },
];

/**
 * A `fetch` that answers each call with the next scripted reply; `load()` starts a run over.
 * With `record`, it keeps each request body's `messages`.
 */
function scripted(replies: Reply[], record?: unknown[][]) {
  let next = 0;
  const fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    if (record) {
      const request = new Request(input, init);
      record.push((await request.json()).messages);
    }
    const reply = replies[next++];
    if (!reply) throw new Error(`scripted fetch: call ${next} but only ${replies.length} replies`);
    return new Response(reply.bytes, { headers: { "content-type": reply.type } });
  };
  return {
    fetch,
    load(): void {
      next = 0;
    },
    done(): void {
      if (next !== replies.length) {
        throw new Error(`scripted fetch: ${next} calls, expected ${replies.length}`);
      }
    },
  };
}

type Way = [string, () => Promise<string | null>];

const CLIENT_OPTIONS = { endpoint: ENDPOINT, apiKey: KEY, apiVersion: API_VERSION };
const MESSAGES = [{ role: "user" as const, content: "What is the weather in Paris?" }];

/**
 * The floor: ours `create()` in a loop, reading each streamed round with a `for await` and
 * `finalChatCompletion()`, running the called tools in parallel; with `timer`, after one
 * `setTimeout()` wait first (the start the SDK's runner pays).
 */
function handLoop(c: Case, key: string, timer: boolean, record?: Record<string, unknown[][]>) {
  const s = scripted(c.replies, record && (record[key] = []));
  const client = new AzureOpenAI({ ...CLIENT_OPTIONS, fetch: s.fetch });
  const tools = runnableTools(c.tools).map(({ function: { name, description, parameters } }) => ({
    type: "function" as const,
    function: { name, description, parameters },
  }));
  return async (): Promise<string | null> => {
    s.load();
    if (timer) await new Promise((resolve) => setTimeout(resolve));
    const messages: Parameters<typeof client.chat.completions.create>[0]["messages"] = [
      ...MESSAGES,
    ];
    for (;;) {
      const body = { model: "gpt-4o", messages, tools };
      let completion;
      if (c.stream) {
        const stream = await client.chat.completions.create({ ...body, stream: true });
        for await (const _ of stream) { /* read the round */ }
        completion = await stream.finalChatCompletion();
      } else {
        completion = await client.chat.completions.create(body);
      }
      const { content, tool_calls } = completion.choices[0].message;
      messages.push({ role: "assistant", content, tool_calls });
      if (!tool_calls?.length) {
        s.done();
        return content;
      }
      messages.push(
        ...await Promise.all(tool_calls.map(async ({ id, function: f }) => {
          const out = await FUNCTIONS[f.name](JSON.parse(f.arguments));
          return {
            role: "tool" as const,
            tool_call_id: id,
            content: typeof out == "string" ? out : str(out),
          };
        })),
      );
    }
  };
}

function ways(c: Case, record?: Record<string, unknown[][]>): Way[] {
  const o = scripted(c.replies, record && (record.ours = []));
  const p = scripted(c.replies, record && (record.sdk = []));
  const ours = new AzureOpenAI({ ...CLIENT_OPTIONS, fetch: o.fetch });
  const sdk = new OpenAIAzure({ ...CLIENT_OPTIONS, fetch: p.fetch });
  const params = { model: "gpt-4o", messages: MESSAGES, tools: runnableTools(c.tools) };
  return [
    ["ours: runTools() + finalContent()", async () => {
      o.load();
      const content = c.stream
        ? await ours.chat.completions.runTools({ ...params, stream: true }).finalContent()
        : await ours.chat.completions.runTools(params).finalContent();
      o.done();
      return content;
    }],
    ["openai SDK: runTools() + finalContent()", async () => {
      p.load();
      const content = c.stream
        ? await sdk.chat.completions.runTools({ ...params, stream: true }).finalContent()
        : await sdk.chat.completions.runTools(params).finalContent();
      p.done();
      return content;
    }],
    ["ours: hand-written create() loop (floor)", handLoop(c, "loop", false, record)],
    [
      "ours: setTimeout() wait + the same loop (the floor of a runner started by a timer)",
      handLoop(c, "timer", true, record),
    ],
  ];
}

for (const c of CASES) {
  // Once each, recording the requests: same answer, same tool results sent back.
  const record: Record<string, unknown[][]> = {};
  const checked = ways(c, record);
  for (const [name, run] of checked) {
    const content = await run();
    if (content !== c.content) {
      let at = 0;
      while (content?.[at] === c.content[at]) at++;
      throw new Error(
        `${c.name}: ${name} gave ${content?.length} chars, expected ${c.content.length}; ` +
          `first difference at ${at}: ${str(content?.slice(at, at + 20))} vs ${
            str(c.content.slice(at, at + 20))
          }`,
      );
    }
  }
  const toolMessages = (key: string) =>
    str((record[key][1] as { role: string }[]).filter((m) => m.role == "tool"));
  const expected = toolMessages("ours");
  if ((JSON.parse(expected) as unknown[]).length !== c.tools.length) {
    throw new Error(`${c.name}: ours sent ${expected}, expected ${c.tools.length} tool results`);
  }
  for (const key of ["sdk", "loop", "timer"]) {
    if (toolMessages(key) !== expected) {
      throw new Error(`${c.name}: ${key} sent ${toolMessages(key)}, ours ${expected}`);
    }
  }
  ways(c).forEach(([name, run], i) =>
    Deno.bench({
      name: `${name} (${c.name})`,
      group: c.name,
      baseline: i === 0,
      n: 300,
      warmup: 30,
      async fn() {
        await run();
      },
    })
  );
}
