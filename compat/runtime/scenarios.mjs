// Runtime-agnostic scenarios of the runtime matrix: the bundled core (compat/.build/core.mjs)
// and edge app (compat/.build/edge.mjs) against an emulator served over real HTTP. Runs the
// same on Node, Bun, workerd and Deno; each scenario throws on failure. No node: imports here.
// The chat.completions.stream() and runTools() scenarios (CHAT_STREAM_SCENARIOS) need only the
// core: headless Chromium runs them too (runtime_chromium_uploads_query.test.mjs,
// runChatStreamScenarios()). Every emulator of the matrix is made with EMULATOR_OPTIONS.

import { CHAT_STREAM_EVENTS } from "../tests/_chat_stream_events.mjs";
import { check, listen, rejection } from "./_check.mjs";
import { RUN_TOOLS_SCENARIOS, runToolsScript } from "./run_tools_scenarios.mjs";

const API_VERSION = "2024-10-21";
const CLIENT_KEY = "runtime-client-key";

/**
 * Options every emulator of the matrix is made with (besides its keys and deployments): the chat
 * script of the runTools() scenarios, which answers every other request as the default echo.
 */
export const EMULATOR_OPTIONS = { script: runToolsScript };

/** A WAV file of silence: 16-bit mono, 24 kHz unless `rate` says otherwise. */
export function wavBytes(seconds, rate = 24000) {
  const pcm = rate * 2 * seconds;
  const out = new Uint8Array(44 + pcm);
  const view = new DataView(out.buffer);
  const ascii = (text, at) => out.set(new TextEncoder().encode(text), at);
  ascii("RIFF", 0);
  view.setUint32(4, 36 + pcm, true);
  ascii("WAVEfmt ", 8);
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii("data", 36);
  view.setUint32(40, pcm, true);
  return out;
}

const chatParams = {
  model: "gpt-4o",
  messages: [{ role: "user", content: "hello from the runtime matrix" }],
};

/**
 * Starts `client().chat.completions.stream(params)` with a listener on every event: `events` is
 * their names, in order; `args` each one's arguments, by name (one entry per emission).
 */
function recorded(client, params) {
  const stream = client().chat.completions.stream(params);
  return { stream, ...listen(stream, CHAT_STREAM_EVENTS) };
}

/** A macrotask later (the stream starts its call in a setTimeout callback, so any late event would come by then). */
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

const WEATHER_TOOL = {
  type: "function",
  function: {
    name: "get_weather",
    parameters: {
      type: "object",
      properties: { city: { type: "string" }, unit: { enum: ["c", "f"] } },
      required: ["city", "unit"],
    },
  },
};
const toolParams = {
  ...chatParams,
  tools: [WEATHER_TOOL, { type: "function", function: { name: "noop" } }],
  tool_choice: { type: "function", function: { name: "get_weather" } },
};

/**
 * chat.completions.stream() (the openai SDK's event stream) and runTools() (its tool runner), on
 * the bundled core.
 */
export const CHAT_STREAM_SCENARIOS = [
  [
    "chat.completions.stream(): content deltas join to finalContent() and the non-streamed " +
    "reply; events run connect … finalChatCompletion … end",
    async ({ client }) => {
      const plain = (await client().chat.completions.create(chatParams)).choices[0].message
        .content;
      const { stream, events, args } = recorded(client, chatParams);
      const final = await stream.finalContent();
      const deltas = (args.content ?? []).map(([delta]) => delta);
      check(deltas.length >= 2, `only ${deltas.length} content events`);
      check(deltas.join("") === final, `content deltas "${deltas.join("")}" != "${final}"`);
      check(final === plain, `finalContent() "${final}" != non-streamed "${plain}"`);
      const snapshots = (args["content.delta"] ?? []).map(([{ delta }]) => delta).join("");
      check(snapshots === plain, `content.delta deltas "${snapshots}"`);
      const done = args["content.done"] ?? [];
      check(
        done.length === 1 && done[0][0].content === plain,
        `content.done ${JSON.stringify(done)}`,
      );
      check(events[0] === "connect", `first event ${events[0]}`);
      const tail = events.slice(events.indexOf("chatCompletion"));
      const want = [
        "chatCompletion",
        "message",
        "finalChatCompletion",
        "finalMessage",
        "finalContent",
        "end",
      ];
      check(
        JSON.stringify(tail) === JSON.stringify(want),
        `events end ${tail.join(",")}, not ${want.join(",")}`,
      );
      check(
        events.lastIndexOf("chunk") < events.indexOf("chatCompletion"),
        "a chunk came after chatCompletion",
      );
      const completion = await stream.finalChatCompletion();
      check(completion === args.finalChatCompletion[0][0], "finalChatCompletion() differs");
      check(
        completion.choices[0].message.content === plain &&
          completion.choices[0].finish_reason === "stop",
        `final completion ${JSON.stringify(completion.choices[0])}`,
      );
    },
  ],
  [
    "chat.completions.stream() with tool_choice naming a function: " +
    "tool_calls.function.arguments.done carries the arguments; finalFunctionToolCall() matches",
    async ({ client }) => {
      const plain = (await client().chat.completions.create(toolParams)).choices[0].message
        .tool_calls[0].function;
      check(plain.name === "get_weather", `non-streamed call ${plain.name}`);
      const { stream, events, args } = recorded(client, toolParams);
      const call = await stream.finalFunctionToolCall();
      const done = args["tool_calls.function.arguments.done"] ?? [];
      check(done.length === 1, `${done.length} arguments.done events`);
      const [{ name, index, arguments: text }] = done[0];
      check(name === "get_weather" && index === 0, `arguments.done for ${name} #${index}`);
      check(text === plain.arguments, `arguments.done "${text}" != "${plain.arguments}"`);
      const parsed = JSON.parse(text);
      check(
        typeof parsed.city === "string" && ["c", "f"].includes(parsed.unit),
        `arguments ${text}`,
      );
      const deltas = (args["tool_calls.function.arguments.delta"] ?? [])
        .map(([d]) => d.arguments_delta).join("");
      check(deltas === text, `arguments deltas "${deltas}"`);
      check(
        call?.name === name && call.arguments === text,
        `finalFunctionToolCall() ${JSON.stringify(call)}`,
      );
      check(!events.includes("content"), "a tool call reply emitted content");
      const fn = args.functionToolCall ?? [];
      check(
        fn.length === 1 && fn[0][0].arguments === text,
        `functionToolCall ${JSON.stringify(fn)}`,
      );
      check(events.at(-1) === "end", `last event ${events.at(-1)}`);
      const completion = await stream.finalChatCompletion();
      check(
        completion.choices[0].finish_reason === "tool_calls",
        `finish_reason ${completion.choices[0].finish_reason}`,
      );
    },
  ],
  [
    "chat.completions.stream().abort(): done() rejects with APIUserAbortError; abort then end, " +
    "nothing after",
    async ({ core, client }) => {
      const { stream, events, args } = recorded(client, chatParams);
      stream.once("content", () => stream.abort());
      const caught = await rejection(stream.done());
      check(
        caught instanceof core.APIUserAbortError && caught.name === "APIUserAbortError",
        `done() settled with ${caught}`,
      );
      check(events.includes("content"), "no content came before the abort");
      check(
        JSON.stringify(events.slice(-2)) === '["abort","end"]',
        `events end ${events.slice(-3).join(",")}`,
      );
      check(args.abort.length === 1 && args.abort[0][0] === caught, "abort's error differs");
      check(!events.includes("error"), "an abort emitted error");
      check(
        !events.includes("finalChatCompletion"),
        "an aborted stream emitted finalChatCompletion",
      );
      const count = events.length;
      await tick();
      await tick();
      check(events.length === count, `events after end: ${events.slice(count).join(",")}`);
      const final = await rejection(stream.finalChatCompletion());
      check(final === caught, `finalChatCompletion() settled with ${final}`);
    },
  ],
  [
    "chat.completions.stream().toReadableStream() read back with " +
    "ChatCompletionStream.fromReadableStream(): same final content",
    async ({ core, client }) => {
      const plain = (await client().chat.completions.create(chatParams)).choices[0].message
        .content;
      const stream = client().chat.completions.stream(chatParams);
      const back = core.ChatCompletionStream.fromReadableStream(stream.toReadableStream());
      let text = "";
      let chunks = 0;
      for await (const chunk of back) {
        chunks++;
        text += chunk.choices[0]?.delta?.content ?? "";
      }
      check(chunks >= 3, `only ${chunks} chunks read back`);
      const final = await stream.finalContent();
      check(final === plain, `finalContent() "${final}" != "${plain}"`);
      check(text === plain, `read back "${text}" != "${plain}"`);
      const completion = await back.finalChatCompletion();
      check(
        completion.choices[0].message.content === plain,
        `read-back finalChatCompletion() "${completion.choices[0].message.content}"`,
      );
    },
  ],
  [
    "chat.completions.stream().toReadableStream() is JSON lines, one chunk a line; " +
    "ChatCompletionEventStream.fromReadableStream() of them: same content events and finalContent()",
    async ({ core, client }) => {
      const stream = client().chat.completions.stream(chatParams);
      const text = await new Response(stream.toReadableStream()).text();
      const final = await stream.finalContent();
      const lines = text.split("\n");
      check(lines.pop() === "", `the body does not end with a line break: ${JSON.stringify(text)}`);
      const chunks = lines.map((line) => JSON.parse(line));
      check(chunks.length >= 3, `only ${chunks.length} lines`);
      const odd = chunks.find((c) => c.object !== "chat.completion.chunk");
      check(!odd, `a line is no chunk: ${JSON.stringify(odd)}`);
      const written = chunks.map((c) => c.choices[0]?.delta?.content).filter(Boolean);
      const back = core.ChatCompletionEventStream.fromReadableStream(new Response(text).body);
      const { events, args } = listen(back, CHAT_STREAM_EVENTS);
      const read = await back.finalContent();
      check(read === final && final === written.join(""), `read "${read}", sent "${final}"`);
      const deltas = (args.content ?? []).map(([delta]) => delta);
      check(
        JSON.stringify(deltas) === JSON.stringify(written),
        `content events ${JSON.stringify(deltas)} != the lines' ${JSON.stringify(written)}`,
      );
      check(events[0] === "connect" && events.at(-1) === "end", `events ${events.join(",")}`);
    },
  ],
  ...RUN_TOOLS_SCENARIOS,
];

const EMBEDDINGS_PATH = "/openai/deployments/text-embedding-3-small/embeddings";

const SCENARIOS = [
  [
    "chat.completions.create() returns the emulator's reply",
    async ({ client }) => {
      const res = await client().chat.completions.create(chatParams);
      check(res.object === "chat.completion", `object is ${res.object}`);
      const content = res.choices[0].message.content;
      check(
        content === "You said: hello from the runtime matrix",
        `content is ${content}`,
      );
    },
  ],
  [
    "chat stream: chunks concatenate to the non-streamed reply",
    async ({ client }) => {
      const plain = await client().chat.completions.create(chatParams);
      const stream = await client().chat.completions.create({
        ...chatParams,
        stream: true,
      });
      check(
        stream.response instanceof Response,
        "stream.response is not a Response",
      );
      let text = "";
      let chunks = 0;
      for await (const chunk of stream) {
        chunks++;
        text += chunk.choices[0]?.delta?.content ?? "";
      }
      check(chunks >= 3, `only ${chunks} chunks`);
      check(
        text === plain.choices[0].message.content,
        `streamed "${text}" differs`,
      );
      const final = await stream.finalChatCompletion();
      check(
        final.choices[0].message.content === text,
        "finalChatCompletion() differs",
      );
    },
  ],
  ...CHAT_STREAM_SCENARIOS,
  [
    "embeddings.create() decodes base64 into a unit vector of the asked size",
    async ({ client }) => {
      const res = await client().embeddings.create({
        model: "text-embedding-3-small",
        input: ["alpha", "beta"],
        dimensions: 16,
      });
      check(res.data.length === 2, `${res.data.length} items`);
      const v = res.data[1].embedding;
      check(
        Array.isArray(v) && v.length === 16,
        `vector has ${v.length} values`,
      );
      const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      check(Math.abs(norm - 1) < 1e-5, `norm is ${norm}`);
    },
  ],
  [
    "withResponse() gives the result with its response and request id",
    async ({ client }) => {
      const { data, response, request_id } = await client()
        .embeddings.create({
          model: "text-embedding-3-small",
          input: "x",
          dimensions: 8,
        })
        .withResponse();
      check(data.data[0].embedding.length === 8, "wrong vector length");
      check(
        response instanceof Response && response.status === 200,
        "no 200 Response",
      );
      check(
        typeof request_id === "string" &&
          request_id === response.headers.get("apim-request-id"),
        `request_id ${request_id}`,
      );
    },
  ],
  [
    "audio.transcriptions.create() uploads a multipart WAV (Uint8Array)",
    async ({ client }) => {
      const res = await client().audio.transcriptions.create({
        model: "whisper",
        file: wavBytes(2),
        filename: "speech.wav",
      });
      check(
        typeof res.text === "string" && res.text.includes("speech.wav"),
        `text: ${res.text}`,
      );
    },
  ],
  [
    "audio.transcriptions.create() uploads a Blob and reads verbose_json",
    async ({ client }) => {
      const res = await client().audio.transcriptions.create({
        model: "whisper",
        file: new Blob([wavBytes(2)], { type: "audio/wav" }),
        filename: "blob.wav",
        response_format: "verbose_json",
      });
      check(res.duration === 2, `duration ${res.duration}`);
    },
  ],
  [
    "a wrong api-key raises AuthenticationError that never contains the key",
    async (env) => {
      const { core, endpoint } = env;
      const secret = "wrong-key-SECRET-0123456789";
      const bad = new core.AzureOpenAI({
        endpoint,
        apiKey: secret,
        maxRetries: 0,
      });
      let caught;
      try {
        await bad.embeddings.create({
          model: "text-embedding-3-small",
          input: "x",
        });
      } catch (err) {
        caught = err;
      }
      check(caught instanceof core.AuthenticationError, `got ${caught}`);
      check(caught.status === 401, `status ${caught.status}`);
      const seen = `${String(caught)} ${caught.stack} ${JSON.stringify(caught)}`;
      check(!seen.includes(secret), "the key leaked into the error");
    },
  ],

  [
    "edge app: embeddings miss then hit, same values, usage 0 on the hit",
    async ({ call }) => {
      const body = {
        input: ["edge one", "edge two"],
        encoding_format: "float",
      };
      const miss = await call(EMBEDDINGS_PATH, body);
      check(
        miss.res.status === 200,
        `miss status ${miss.res.status}: ${miss.text}`,
      );
      check(
        miss.res.headers.get("x-aoai-cache") === "miss",
        "first call was not a miss",
      );
      const hit = await call(EMBEDDINGS_PATH, body);
      check(hit.res.status === 200, `hit status ${hit.res.status}`);
      check(
        hit.res.headers.get("x-aoai-cache") === "hit",
        "second call was not a hit",
      );
      const a = JSON.parse(miss.text);
      const b = JSON.parse(hit.text);
      check(a.data.length === 2 && b.data.length === 2, "wrong item count");
      check(
        JSON.stringify(a.data) === JSON.stringify(b.data),
        "hit values differ from miss",
      );
      check(
        b.usage.prompt_tokens === 0,
        `hit usage ${JSON.stringify(b.usage)}`,
      );
    },
  ],
  [
    "edge app: streaming chat passes SSE through to [DONE]",
    async ({ call }) => {
      const { res, text } = await call(
        "/openai/deployments/gpt-4o/chat/completions",
        {
          messages: [{ role: "user", content: "stream via edge" }],
          stream: true,
        },
      );
      check(res.status === 200, `status ${res.status}: ${text}`);
      const type = res.headers.get("content-type") ?? "";
      check(type.startsWith("text/event-stream"), `content-type ${type}`);
      check(
        text.trimEnd().endsWith("data: [DONE]"),
        "stream did not end with [DONE]",
      );
      const content = text.split("\n")
        .filter((l) => l.startsWith("data: {"))
        .map((l) => JSON.parse(l.slice(6)).choices[0]?.delta?.content ?? "")
        .join("");
      check(content === "You said: stream via edge", `content ${content}`);
    },
  ],
  ["edge app: a request without a client key gets 401", async ({ app }) => {
    const res = await app.fetch(
      new Request(
        `http://edge.test${EMBEDDINGS_PATH}?api-version=${API_VERSION}`,
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ input: "x" }),
        },
      ),
    );
    await res.body?.cancel();
    check(res.status === 401, `status ${res.status}`);
  }],
];

/** Names of the scenarios, in the order {@link runScenarios} reports them. */
export const SCENARIO_NAMES = SCENARIOS.map(([name]) => name);

/**
 * Runs every scenario; never throws. Resolves to one `{ name, ok, error? }` per scenario.
 * `core` and `edge` are the bundled modules; `endpoint`/`apiKey` address the emulator.
 */
export async function runScenarios({ core, edge, endpoint, apiKey }) {
  const client = () =>
    new core.AzureOpenAI({
      endpoint,
      apiKey,
      apiVersion: API_VERSION,
      maxRetries: 0,
    });
  const app = edge.createEdgeApp({
    upstream: { endpoint, apiKey, apiVersion: API_VERSION },
    clientKeys: [CLIENT_KEY],
    cache: new edge.MemoryCache(),
    playground: false,
  });
  const call = async (path, body) => {
    const pending = [];
    const ctx = { waitUntil: (p) => pending.push(p) };
    const res = await app.fetch(
      new Request(`http://edge.test${path}?api-version=${API_VERSION}`, {
        method: "POST",
        headers: { "api-key": CLIENT_KEY, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
      {},
      ctx,
    );
    const text = await res.text();
    await Promise.all(pending);
    return { res, text };
  };
  const env = { core, edge, endpoint, apiKey, client, app, call };
  return await runAll(SCENARIOS, env);
}

/** Names of {@link CHAT_STREAM_SCENARIOS}, in the order {@link runChatStreamScenarios} reports them. */
export const CHAT_STREAM_SCENARIO_NAMES = CHAT_STREAM_SCENARIOS.map(([name]) => name);

/**
 * Runs the chat.completions.stream() and runTools() scenarios alone (for a runtime without the
 * edge app, as Chromium's page); never throws. Same options and results as {@link runScenarios},
 * no `edge`.
 */
export async function runChatStreamScenarios({ core, endpoint, apiKey }) {
  const client = () =>
    new core.AzureOpenAI({ endpoint, apiKey, apiVersion: API_VERSION, maxRetries: 0 });
  return await runAll(CHAT_STREAM_SCENARIOS, { core, client });
}

/**
 * Runs each `[name, fn]` of `scenarios` with `env` in turn; never throws. Resolves to one
 * `{ name, ok, error? }` per scenario.
 */
export async function runAll(scenarios, env) {
  const results = [];
  for (const [name, fn] of scenarios) {
    try {
      await fn(env);
      results.push({ name, ok: true });
    } catch (err) {
      results.push({ name, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return results;
}
