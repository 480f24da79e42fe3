// Differential test of stream accumulation: the same SSE bytes, served from 127.0.0.1, are read
// by our bundled core (compat/.build/core.mjs: AzureOpenAI -> ChatCompletionStream
// .finalChatCompletion()) and by the official openai SDK (AzureOpenAI -> chat.completions
// .stream() -> ChatCompletionStream.finalChatCompletion()); the two completions are compared
// field by field. Every difference must be listed in the fixture as a known one, with both
// values and a one-line reason (who is right, from the Azure spec and the design contract);
// an unlisted difference, or a listed one that no longer happens, fails. Run with
// `sh compat/run.sh`.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { AzureOpenAI as SdkAzureOpenAI } from "openai";
import { AzureOpenAI } from "../.build/core.mjs";
import { serve } from "./_serve.mjs";
import { PROMPT_FILTER_CHUNK as PROMPT_FILTER, SAFE_FILTERS as SAFE4 } from "./_azure_chunks.mjs";

const BASE = {
  id: "chatcmpl-DIFF1",
  object: "chat.completion.chunk",
  created: 1727000000,
  model: "gpt-4o-2024-08-06",
  system_fingerprint: "fp_diff01",
};
const bytesOf = (text) => [...new TextEncoder().encode(text)];
const lp = (token, logprob) => ({
  token,
  logprob,
  bytes: bytesOf(token),
  top_logprobs: [{ token, logprob, bytes: bytesOf(token) }],
});
const chunk = (choices, extra = {}) => ({ ...BASE, ...extra, choices });
const choice = (index, delta, rest = {}) => ({
  index,
  delta,
  finish_reason: null,
  ...rest,
});
const sse = (chunks, eol = "\n") =>
  [...chunks.map((c) => JSON.stringify(c)), "[DONE]"].map((d) => `data: ${d}${eol}${eol}`).join("");

/** SDK-only helper output, not part of the API: dropped from the SDK's result before comparing. */
function dropSdkHelperFields(completion) {
  // `message.parsed` is the SDK's structured-output helper field (null without a parser).
  for (const c of completion.choices ?? []) delete c.message?.parsed;
  return completion;
}

const WORDS = Array.from(
  { length: 240 },
  (_, i) =>
    [" Streamed", " 日本語", " émoji", " 😀", " text", ","][i % 6] +
    (i % 7 ? "" : `#${i}`),
);
const PLAIN = [
  chunk([
    choice(0, { role: "assistant", content: "", refusal: null }, {
      logprobs: null,
    }),
  ]),
  chunk([choice(0, { content: "é😀日" }, { logprobs: null })]),
  chunk([choice(0, {}, { finish_reason: "stop", logprobs: null })]),
];

/**
 * name; body (SSE text) and pieceSize (bytes per write, whole body if absent); expect: path ->
 * value our result must have; known: the differences, each { path, ours, sdk, why } (`undefined`
 * = member absent); sdkRejects: the SDK's error when it refuses the stream (then `known` is
 * unused and `why` says why our result stands).
 */
const FIXTURES = [
  {
    name: "plain content over 240 chunks in 7-byte writes",
    pieceSize: 7,
    body: sse([
      chunk([
        choice(0, { role: "assistant", content: "", refusal: null }, {
          logprobs: null,
        }),
      ]),
      ...WORDS.map((w) => chunk([choice(0, { content: w }, { logprobs: null })])),
      chunk([choice(0, {}, { finish_reason: "stop", logprobs: null })]),
    ]),
    expect: {
      "choices[0].message.content": WORDS.join(""),
      "choices[0].message.role": "assistant",
      "choices[0].finish_reason": "stop",
      system_fingerprint: "fp_diff01",
      id: "chatcmpl-DIFF1",
      object: "chat.completion",
    },
  },
  {
    name: "n=2: interleaved choices, second one first, own filter results and finish reasons",
    body: sse([
      chunk([choice(1, { role: "assistant", content: "" })]),
      chunk([choice(0, { role: "assistant", content: "" })]),
      chunk([choice(1, { content: "B1" }, { content_filter_results: SAFE4 })]),
      chunk([
        choice(0, { content: "A1" }, {
          content_filter_results: {
            ...SAFE4,
            hate: { filtered: false, severity: "low" },
          },
        }),
        choice(1, { content: " B2" }, { content_filter_results: SAFE4 }),
      ]),
      chunk([choice(0, { content: " A2" }, {
        content_filter_results: {
          ...SAFE4,
          hate: { filtered: false, severity: "low" },
        },
      })]),
      chunk([choice(1, {}, { finish_reason: "length" })]),
      chunk([choice(0, {}, { finish_reason: "stop" })]),
    ]),
    expect: {
      "choices.length": 2,
      "choices[0].message.content": "A1 A2",
      "choices[1].message.content": "B1 B2",
      "choices[0].finish_reason": "stop",
      "choices[1].finish_reason": "length",
      "choices[0].content_filter_results.hate.severity": "low",
      "choices[1].content_filter_results.hate.severity": "safe",
    },
  },
  {
    name: "parallel tool_calls: argument fragments, id/type/name only on the first fragment",
    pieceSize: 13,
    body: sse([
      chunk([choice(0, {
        role: "assistant",
        content: null,
        tool_calls: [{
          index: 0,
          id: "call_a",
          type: "function",
          function: { name: "get_weather", arguments: "" },
        }],
      })]),
      chunk([
        choice(0, {
          tool_calls: [{ index: 0, function: { arguments: '{"ci' } }],
        }),
      ]),
      chunk([choice(0, {
        tool_calls: [{
          index: 1,
          id: "call_b",
          type: "function",
          function: { name: "get_time", arguments: '{"tz"' },
        }],
      })]),
      chunk([choice(0, {
        tool_calls: [
          { index: 0, function: { arguments: 'ty":"Paris"}' } },
          {
            index: 2,
            id: "call_c",
            type: "function",
            function: { name: "noop", arguments: "" },
          },
        ],
      })]),
      chunk([
        choice(0, {
          tool_calls: [{ index: 1, function: { arguments: ':"UTC"}' } }],
        }),
      ]),
      chunk([
        choice(0, {
          tool_calls: [{ index: 2, function: { arguments: "{}" } }],
        }),
      ]),
      chunk([choice(0, {}, { finish_reason: "tool_calls" })]),
    ]),
    expect: {
      "choices[0].message.content": null,
      "choices[0].message.tool_calls": [
        {
          id: "call_a",
          type: "function",
          function: { name: "get_weather", arguments: '{"city":"Paris"}' },
        },
        {
          id: "call_b",
          type: "function",
          function: { name: "get_time", arguments: '{"tz":"UTC"}' },
        },
        {
          id: "call_c",
          type: "function",
          function: { name: "noop", arguments: "{}" },
        },
      ],
      "choices[0].finish_reason": "tool_calls",
    },
  },
  {
    name: "legacy function_call in fragments",
    body: sse([
      chunk([choice(0, {
        role: "assistant",
        content: null,
        function_call: { name: "get_weather", arguments: "" },
      })]),
      chunk([choice(0, { function_call: { arguments: '{"city"' } })]),
      chunk([choice(0, { function_call: { arguments: ':"Oslo"}' } })]),
      chunk([choice(0, {}, { finish_reason: "function_call" })]),
    ]),
    expect: {
      "choices[0].message.function_call": {
        name: "get_weather",
        arguments: '{"city":"Oslo"}',
      },
      "choices[0].message.content": null,
      "choices[0].finish_reason": "function_call",
    },
  },
  {
    name: "content logprobs (first chunk's content: [], as the service sends it)",
    body: sse([
      chunk([choice(0, { role: "assistant", content: "" }, {
        logprobs: { content: [], refusal: null },
      })]),
      chunk([
        choice(0, { content: "Hi" }, {
          logprobs: { content: [lp("Hi", -0.1)], refusal: null },
        }),
      ]),
      chunk([choice(0, { content: " there" }, {
        logprobs: { content: [lp(" there", -0.2)], refusal: null },
      })]),
      chunk([choice(0, {}, { finish_reason: "stop", logprobs: null })]),
    ]),
    expect: {
      "choices[0].message.content": "Hi there",
      "choices[0].logprobs": {
        content: [lp("Hi", -0.1), lp(" there", -0.2)],
        refusal: null,
      },
    },
  },
  {
    name: "content logprobs without a refusal member (2024-05-01-preview chunks)",
    body: sse([
      chunk([
        choice(0, { role: "assistant", content: "" }, {
          logprobs: { content: [] },
        }),
      ]),
      chunk([
        choice(0, { content: "Yo" }, {
          logprobs: { content: [lp("Yo", -0.5)] },
        }),
      ]),
      chunk([choice(0, {}, { finish_reason: "stop", logprobs: null })]),
    ]),
    expect: { "choices[0].logprobs": { content: [lp("Yo", -0.5)] } },
  },
  {
    name: "refusal deltas with refusal logprobs",
    body: sse([
      chunk([choice(0, { role: "assistant", content: null, refusal: "" }, {
        logprobs: { content: null, refusal: [] },
      })]),
      chunk([choice(0, { refusal: "I can't" }, {
        logprobs: { content: null, refusal: [lp("I can't", -0.3)] },
      })]),
      chunk([choice(0, { refusal: " help." }, {
        logprobs: { content: null, refusal: [lp(" help.", -0.4)] },
      })]),
      chunk([choice(0, {}, { finish_reason: "stop" })]),
    ]),
    expect: {
      "choices[0].message.refusal": "I can't help.",
      "choices[0].message.content": null,
      "choices[0].logprobs": {
        content: null,
        refusal: [lp("I can't", -0.3), lp(" help.", -0.4)],
      },
    },
  },
  {
    name: "logprobs on the chunk that opens a choice",
    body: sse([
      chunk([choice(0, { role: "assistant", content: "a" }, {
        logprobs: { content: [lp("a", -1)], refusal: null },
      })]),
      chunk([
        choice(0, { content: "b" }, {
          logprobs: { content: [lp("b", -2)], refusal: null },
        }),
      ]),
      chunk([choice(0, {}, { finish_reason: "stop" })]),
    ]),
    expect: { "choices[0].message.content": "ab" },
    known: [{
      path: "choices[0].logprobs.content",
      ours: [lp("a", -1), lp("b", -2)],
      sdk: [lp("a", -1), lp("a", -1), lp("b", -2)],
      why: "SDK bug: it pushes the opening chunk's tokens onto that chunk's own array, so they " +
        "count twice; the reply has one logprob per token (ours)",
    }],
  },
  {
    name: "usage-only final chunk (stream_options.include_usage, empty choices)",
    body: sse([
      chunk([choice(0, { role: "assistant", content: "" })], { usage: null }),
      chunk([choice(0, { content: "ok" })], { usage: null }),
      chunk([choice(0, {}, { finish_reason: "stop" })], { usage: null }),
      chunk([], {
        usage: {
          prompt_tokens: 9,
          completion_tokens: 1,
          total_tokens: 10,
          completion_tokens_details: { reasoning_tokens: 0 },
        },
      }),
    ]),
    expect: {
      usage: {
        prompt_tokens: 9,
        completion_tokens: 1,
        total_tokens: 10,
        completion_tokens_details: { reasoning_tokens: 0 },
      },
      "choices.length": 1,
    },
  },
  {
    name: "usage: null on every chunk and no usage chunk",
    body: sse([
      chunk([choice(0, { role: "assistant", content: "ok" })], { usage: null }),
      chunk([choice(0, {}, { finish_reason: "stop" })], { usage: null }),
    ]),
    expect: { "choices[0].message.content": "ok" },
    known: [{
      path: "usage",
      ours: undefined,
      sdk: null,
      why: "usage is an object in the spec (not nullable): left out when none arrived (ours)",
    }],
  },
  {
    name: "Azure: prompt_filter_results-only first chunk, {} filter results on first and last",
    pieceSize: 5,
    body: sse([
      PROMPT_FILTER,
      chunk([choice(0, { role: "assistant", content: "", refusal: null }, {
        logprobs: null,
        content_filter_results: {},
      })]),
      chunk([
        choice(0, { content: "Hello" }, {
          logprobs: null,
          content_filter_results: SAFE4,
        }),
      ]),
      chunk([
        choice(0, { content: " world" }, {
          logprobs: null,
          content_filter_results: SAFE4,
        }),
      ]),
      chunk([
        choice(0, {}, {
          finish_reason: "stop",
          logprobs: null,
          content_filter_results: {},
        }),
      ]),
      chunk([], {
        usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
      }),
    ]),
    expect: {
      "choices[0].message.content": "Hello world",
      prompt_filter_results: PROMPT_FILTER.prompt_filter_results,
      id: "chatcmpl-DIFF1",
      created: 1727000000,
      model: "gpt-4o-2024-08-06",
      "usage.total_tokens": 7,
    },
    known: [{
      path: "choices[0].content_filter_results",
      ours: SAFE4,
      sdk: {},
      why: "SDK keeps only the last chunk's results (here Azure's empty {}); the reply's " +
        "contentFilterChoiceResults judge the whole text, so verdicts accumulate (ours)",
    }],
  },
  {
    name: "a chunk without delta carrying a worse verdict than the later ones",
    body: sse([
      PROMPT_FILTER,
      chunk([choice(0, { role: "assistant", content: "" })]),
      chunk([
        choice(0, { content: "Hello" }, { content_filter_results: SAFE4 }),
      ]),
      chunk([{
        index: 0,
        finish_reason: null,
        content_filter_results: {
          ...SAFE4,
          violence: { filtered: false, severity: "medium" },
        },
      }]),
      chunk([
        choice(0, { content: " world" }, { content_filter_results: SAFE4 }),
      ]),
      chunk([choice(0, {}, { finish_reason: "stop" })]),
    ]),
    expect: { "choices[0].message.content": "Hello world" },
    known: [{
      path: "choices[0].content_filter_results.violence.severity",
      ours: "medium",
      sdk: "safe",
      why: "the verdict covers the whole text: the highest severity any part got stays (ours; " +
        "the SDK keeps the last chunk's)",
    }],
  },
  {
    name: "finish_reason content_filter with the filtering verdict on the last chunk",
    body: sse([
      PROMPT_FILTER,
      chunk([choice(0, { role: "assistant", content: "" })]),
      chunk([choice(0, { content: "bad" }, {
        content_filter_results: {
          ...SAFE4,
          sexual: { filtered: false, severity: "low" },
        },
      })]),
      chunk([choice(0, {}, {
        finish_reason: "content_filter",
        content_filter_results: {
          ...SAFE4,
          sexual: { filtered: true, severity: "high" },
        },
      })]),
    ]),
    expect: {
      "choices[0].finish_reason": "content_filter",
      "choices[0].content_filter_results.sexual": {
        filtered: true,
        severity: "high",
      },
    },
  },
  {
    name: "finish_reason on a choice without delta",
    body: sse([
      chunk([choice(0, { role: "assistant", content: "a" })]),
      chunk([{ index: 0, finish_reason: "length" }]),
    ]),
    expect: {
      "choices[0].finish_reason": "length",
      "choices[0].message.content": "a",
    },
  },
  {
    name: "Azure async filter: an annotation chunk (empty id) after finish_reason",
    body: sse([
      PROMPT_FILTER,
      chunk([choice(0, { role: "assistant", content: "" })]),
      chunk([choice(0, { content: "text" })]),
      chunk([choice(0, {}, { finish_reason: "stop" })]),
      {
        id: "",
        object: "",
        created: 0,
        model: "",
        choices: [{
          index: 0,
          finish_reason: null,
          content_filter_results: SAFE4,
          content_filter_offsets: {
            check_offset: 0,
            start_offset: 0,
            end_offset: 4,
          },
        }],
      },
    ]),
    expect: {
      "choices[0].content_filter_results": SAFE4,
      "choices[0].finish_reason": "stop",
      id: "chatcmpl-DIFF1",
    },
    known: [{
      path: "choices[0].content_filter_offsets",
      ours: undefined,
      sdk: { check_offset: 0, start_offset: 0, end_offset: 4 },
      why: "stream-only bookkeeping of the async filter; no such member in the reply schema " +
        "(2024-10-21, 2024-05-01-preview), so not accumulated (ours)",
    }],
  },
  {
    name: "On Your Data context on the first delta (Azure extra kept by both)",
    body: sse([
      chunk([choice(0, {
        role: "assistant",
        content: "",
        context: {
          intent: '["x"]',
          citations: [{ content: "c", title: "t", url: null }],
        },
      })]),
      chunk([choice(0, { content: "Answer [doc1]" })]),
      chunk([choice(0, {}, { finish_reason: "stop" })]),
    ]),
    expect: {
      "choices[0].message.context": {
        intent: '["x"]',
        citations: [{ content: "c", title: "t", url: null }],
      },
    },
  },
  {
    name: "system_fingerprint: empty on the first chunk, real later",
    body: sse([
      chunk([choice(0, { role: "assistant", content: "x" })], {
        system_fingerprint: "",
      }),
      chunk([choice(0, {}, { finish_reason: "stop" })], {
        system_fingerprint: "fp_late",
      }),
    ]),
    expect: { system_fingerprint: "fp_late" },
  },
  {
    name: "system_fingerprint: null on every chunk",
    body: sse([
      chunk([choice(0, { role: "assistant", content: "x" })], {
        system_fingerprint: null,
      }),
      chunk([choice(0, {}, { finish_reason: "stop" })], {
        system_fingerprint: null,
      }),
    ]),
    expect: { "choices[0].message.content": "x" },
    known: [{
      path: "system_fingerprint",
      ours: null,
      sdk: undefined,
      why: "we keep what the stream said, as the non-streamed reply of the same upstream does " +
        "(our type allows null); the SDK drops a falsy fingerprint",
    }],
  },
  {
    name: "an empty text reply (content: '' then stop)",
    body: sse([
      chunk([choice(0, { role: "assistant", content: "", refusal: null })]),
      chunk([choice(0, {}, { finish_reason: "stop" })]),
    ]),
    expect: { "choices[0].message.refusal": null },
    known: [{
      path: "choices[0].message.content",
      ours: "",
      sdk: null,
      why: "text streams open with content '' (tool-call ones with null), so '' is the empty " +
        "text the non-streamed reply has (ours); the SDK turns every empty text into null",
    }],
  },
  {
    name: "SSE framing: CRLF line ends, 1-byte writes",
    pieceSize: 1,
    body: sse(PLAIN, "\r\n"),
    expect: { "choices[0].message.content": "é😀日" },
  },
  {
    name: "SSE framing: CR line ends, no space after the colon",
    pieceSize: 3,
    body: sse(PLAIN, "\r").replaceAll("data: ", "data:"),
    expect: { "choices[0].message.content": "é😀日" },
  },
  {
    name: "SSE framing: BOM, comments, id/retry fields, data split over two lines",
    pieceSize: 4,
    body: "\uFEFF: keep-alive\n\n" +
      PLAIN.map((c, i) =>
        `id: ${i}\nretry: 100\ndata: ${
          JSON.stringify(c).replace(',"choices"', '\ndata: ,"choices"')
        }\n\n`
      ).join("") + ": end\n\ndata: [DONE]\n\n",
    expect: { "choices[0].message.content": "é😀日" },
  },
  {
    name: "no role on any delta",
    body: sse([
      chunk([choice(0, { content: "a" })]),
      chunk([choice(0, {}, { finish_reason: "stop" })]),
    ]),
    expect: {
      "choices[0].message.role": "assistant",
      "choices[0].message.content": "a",
    },
    sdkRejects: /missing role/,
    why: "the reply's role is required and always assistant, so we fill it in instead of failing",
  },
  {
    name: "a tool call without id and type",
    body: sse([
      chunk([choice(0, {
        role: "assistant",
        content: null,
        tool_calls: [{ index: 0, function: { name: "f", arguments: "{}" } }],
      })]),
      chunk([choice(0, {}, { finish_reason: "tool_calls" })]),
    ]),
    expect: {
      "choices[0].message.tool_calls": [
        { id: "", type: "function", function: { name: "f", arguments: "{}" } },
      ],
    },
    sdkRejects: /missing `type`/,
    why: "function is the only tool type; the call is returned with what arrived, not thrown away",
  },
  {
    name: "a choice without finish_reason before [DONE]",
    body: sse([chunk([choice(0, { role: "assistant", content: "cut" })])]),
    expect: {
      "choices[0].finish_reason": null,
      "choices[0].message.content": "cut",
    },
    sdkRejects: /missing finish_reason/,
    why: "finalChatCompletion() rejects only with the stream's own error; it reports what arrived",
  },
];

let server;
let ours;
let sdk;
const served = new Map();

before(async () => {
  server = await serve((request) => {
    const match = new URL(request.url).pathname.match(
      /\/deployments\/(\d+)\/chat\/completions$/,
    );
    const fixture = match && FIXTURES[Number(match[1])];
    if (!fixture) return new Response("no such fixture", { status: 404 });
    served.set(fixture.name, (served.get(fixture.name) ?? 0) + 1);
    const bytes = new TextEncoder().encode(fixture.body);
    const size = fixture.pieceSize ?? bytes.length;
    let at = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (at >= bytes.length) controller.close();
        else controller.enqueue(bytes.slice(at, at += size));
      },
    });
    return new Response(body, {
      headers: { "content-type": "text/event-stream" },
    });
  });
  const options = {
    endpoint: server.url,
    apiKey: "diff-key",
    apiVersion: "2024-10-21",
  };
  ours = new AzureOpenAI({ ...options, maxRetries: 0 });
  sdk = new SdkAzureOpenAI({ ...options, maxRetries: 0 });
});

after(async () => {
  await server.close();
});

const PATH_PART = /[^.[\]]+/g;
/** `a.b[0].c` -> value (undefined when a member is missing). */
function get(value, path) {
  for (const key of path.match(PATH_PART)) value = value?.[key];
  return value;
}

/** Paths of the leaves where `a` and `b` differ (a member missing on one side counts). */
function differences(a, b, path = "", out = []) {
  if (Object.is(a, b)) return out;
  const objects = a !== null && b !== null && typeof a === "object" &&
    typeof b === "object";
  if (!objects || Array.isArray(a) !== Array.isArray(b)) {
    out.push(path);
    return out;
  }
  if (Array.isArray(a) && a.length !== b.length) out.push(`${path}.length`);
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const at = Array.isArray(a) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    differences(a[key], b[key], at, out);
  }
  return out;
}

const covers = (known, path) =>
  path === known || path.startsWith(`${known}.`) ||
  path.startsWith(`${known}[`);

/** The fixture's index is the deployment name, so the server knows what to send. */
const params = (index) => ({
  model: String(index),
  messages: [{ role: "user", content: "differential" }],
});

describe("finalChatCompletion(): our core vs the openai SDK on the same SSE bytes", () => {
  FIXTURES.forEach((fixture, index) => {
    test(fixture.name, async () => {
      const stream = await ours.chat.completions.create({
        ...params(index),
        stream: true,
      });
      const mine = await stream.finalChatCompletion();
      for (const [path, value] of Object.entries(fixture.expect)) {
        assert.deepEqual(get(mine, path), value, `ours at ${path}`);
      }
      const theirs = sdk.chat.completions.stream(params(index))
        .finalChatCompletion();
      if (fixture.sdkRejects) {
        await assert.rejects(theirs, fixture.sdkRejects);
        assert.equal(
          served.get(fixture.name),
          2,
          "both clients read the fixture",
        );
        assert.ok(fixture.why, "a reason why our result stands");
        return;
      }
      const reference = dropSdkHelperFields(await theirs);
      assert.equal(
        served.get(fixture.name),
        2,
        "both clients read the fixture",
      );
      const known = fixture.known ?? [];
      for (const k of known) {
        assert.ok(k.why, `a reason for ${k.path}`);
        assert.deepEqual(
          get(mine, k.path),
          k.ours,
          `ours at ${k.path} (${k.why})`,
        );
        assert.deepEqual(
          get(reference, k.path),
          k.sdk,
          `SDK at ${k.path} (${k.why})`,
        );
      }
      const unexplained = differences(mine, reference).filter((path) =>
        !known.some((k) => covers(k.path, path))
      );
      assert.deepEqual(
        unexplained,
        [],
        "differences not listed in the fixture",
      );
    });
  });
});
