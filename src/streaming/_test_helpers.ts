// Stream fixtures for the streaming tests (not exported from mod.ts): an Azure-like chat
// stream (prompt-filter chunk first, n = 2, tool calls split across chunks, a chunk without
// delta, content_filter finish, usage chunk) and the non-streamed reply it must fold into.
import type { ChatCompletion, ChatCompletionChunk } from "../types/mod.ts";
import { AzureOpenAI, type FetchLike } from "../../mod.ts";
import { type LogEvent, logger } from "../middleware/mod.ts";
import { Stream } from "./stream.ts";
import { PROMPT_FILTER_CHUNK as AZURE_PROMPT_FILTER_CHUNK } from "../../compat/tests/_azure_chunks.mjs";

const BASE = {
  id: "chatcmpl-AZ1",
  object: "chat.completion.chunk",
  created: 1727000000,
  model: "gpt-4o-2024-08-06",
  system_fingerprint: "fp_5b26d85e12",
} as const;

const SAFE = { filtered: false, severity: "safe" } as const;

/** The prompt-filter-only chunk Azure sends first (shared with the compat tests). */
export const PROMPT_FILTER_CHUNK = AZURE_PROMPT_FILTER_CHUNK as ChatCompletionChunk;

const lp = (token: string, logprob: number) => ({
  token,
  logprob,
  bytes: Array.from(new TextEncoder().encode(token)),
  top_logprobs: [],
});

/** The chunks of the Azure-like stream, in order (without `[DONE]`). */
export const AZURE_CHAT_CHUNKS: ChatCompletionChunk[] = [
  PROMPT_FILTER_CHUNK,
  {
    ...BASE,
    choices: [{
      index: 0,
      delta: { role: "assistant", content: "", refusal: null },
      finish_reason: null,
      logprobs: null,
    }],
  },
  {
    ...BASE,
    choices: [{ index: 1, delta: { role: "assistant", content: null }, finish_reason: null }],
  },
  {
    ...BASE,
    choices: [{
      index: 0,
      delta: { content: "Bonjour" },
      finish_reason: null,
      logprobs: { content: [lp("Bonjour", -0.01)], refusal: null },
      content_filter_results: {
        hate: SAFE,
        sexual: SAFE,
        violence: { filtered: false, severity: "low" },
      },
    }],
  },
  {
    ...BASE,
    choices: [{
      index: 1,
      delta: {
        tool_calls: [{
          index: 0,
          id: "call_a",
          type: "function",
          function: { name: "get_weather", arguments: "" },
        }],
      },
      finish_reason: null,
    }],
  },
  {
    ...BASE,
    choices: [{
      index: 1,
      delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      finish_reason: null,
    }],
  },
  {
    ...BASE,
    choices: [{
      index: 1,
      delta: {
        tool_calls: [
          {
            index: 1,
            id: "call_b",
            type: "function",
            function: { name: "get_time", arguments: "{}" },
          },
          { index: 0, function: { arguments: '"Paris"}' } },
        ],
      },
      finish_reason: null,
    }],
  },
  // A choice without delta: only filter results (Azure sends these). A later "safe"
  // verdict must not lower this "medium" one.
  {
    ...BASE,
    choices: [{
      index: 0,
      finish_reason: null,
      content_filter_results: { violence: { filtered: false, severity: "medium" } },
    }],
  },
  {
    ...BASE,
    choices: [{
      index: 0,
      delta: { content: " 日本 😀" },
      finish_reason: null,
      logprobs: { content: [lp(" 日本", -0.5), lp(" 😀", -1.5)], refusal: null },
      content_filter_results: { hate: SAFE, sexual: SAFE, violence: SAFE },
    }],
  },
  {
    ...BASE,
    choices: [{
      index: 0,
      delta: {},
      finish_reason: "content_filter",
      content_filter_results: { sexual: { filtered: true, severity: "high" } },
    }],
  },
  { ...BASE, choices: [{ index: 1, delta: {}, finish_reason: "tool_calls", logprobs: null }] },
  {
    ...BASE,
    choices: [],
    usage: { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 },
  },
];

/** What the non-streaming call returns for the same reply, written out by hand. */
export const AZURE_CHAT_COMPLETION: ChatCompletion = {
  id: "chatcmpl-AZ1",
  object: "chat.completion",
  created: 1727000000,
  model: "gpt-4o-2024-08-06",
  system_fingerprint: "fp_5b26d85e12",
  prompt_filter_results: PROMPT_FILTER_CHUNK.prompt_filter_results,
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: "Bonjour 日本 😀", refusal: null },
      finish_reason: "content_filter",
      logprobs: {
        content: [lp("Bonjour", -0.01), lp(" 日本", -0.5), lp(" 😀", -1.5)],
        refusal: null,
      },
      content_filter_results: {
        hate: SAFE,
        sexual: { filtered: true, severity: "high" },
        violence: { filtered: false, severity: "medium" },
      },
    },
    {
      index: 1,
      message: {
        role: "assistant",
        content: null,
        refusal: null,
        tool_calls: [
          {
            id: "call_a",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
          { id: "call_b", type: "function", function: { name: "get_time", arguments: "{}" } },
        ],
      },
      finish_reason: "tool_calls",
      logprobs: null,
    },
  ],
  usage: { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32 },
};

/** `data: {json}\n\n` for each payload (strings are sent as-is), no `[DONE]` added. */
export function sseText(payloads: readonly unknown[]): string {
  return payloads.map((p) => `data: ${typeof p === "string" ? p : JSON.stringify(p)}\n\n`).join("");
}

/** What `toReadableStream()` writes of `chunks`: each one's JSON and a line break. */
export function jsonLines(chunks: readonly unknown[]): string {
  return chunks.map((c) => JSON.stringify(c) + "\n").join("");
}

/** A Response whose body delivers `text` in pieces of `size` bytes (whole body by default). */
export function sseResponse(text: string, size = Infinity, init?: ResponseInit): Response {
  const bytes = new TextEncoder().encode(text);
  const pieces: Uint8Array[] = [];
  const step = Number.isFinite(size) ? size : Math.max(bytes.length, 1);
  for (let i = 0; i < bytes.length; i += step) pieces.push(bytes.slice(i, i + step));
  return new Response(ReadableStream.from(pieces), {
    headers: { "content-type": "text/event-stream", "apim-request-id": "req-123" },
    ...init,
  });
}

/** What iterating a {@linkcode Stream} over the event-stream `text` throws (fails when nothing). */
export async function streamFailure(text: string): Promise<unknown> {
  try {
    for await (const _ of new Stream(sseResponse(text)));
  } catch (error) {
    return error;
  }
  throw new Error(`no error from ${text}`);
}

/** One chat chunk (content "hi"). */
export const HI_CHUNK = {
  id: "c1",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta: { content: "hi" }, finish_reason: null }],
};

/** A streamed chat call's params (deployment gpt-4o, one message). */
export const STREAM_PARAMS = {
  model: "gpt-4o",
  messages: [{ role: "user" as const, content: "hi" }],
  stream: true as const,
};

/** One timer turn. */
export const turn = (): Promise<unknown> => new Promise((resolve) => setTimeout(resolve));

/**
 * An event stream that sends {@link HI_CHUNK} and then waits: errored with the signal's reason
 * when `signal` aborts (as the platform's fetch does), left open when it is undefined (a fetch
 * that ignores it). `state.cancelled` counts cancels.
 */
export function waitingStream(
  signal: AbortSignal | undefined,
): { state: { cancelled: number }; response: Response } {
  const state = { cancelled: 0 };
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode(`data: ${JSON.stringify(HI_CHUNK)}\n\n`));
      signal?.addEventListener("abort", () => c.error(signal.reason), { once: true });
    },
    cancel() {
      state.cancelled++;
    },
  });
  return {
    state,
    response: new Response(body, { headers: { "content-type": "text/event-stream" } }),
  };
}

/**
 * A client whose fetch answers every call with a {@link waitingStream}, honouring the call's
 * signal or (`honours` false) ignoring it; with `events`, a `logger()` records into it.
 * `bodies` holds each answer's cancel count.
 */
export function waitingClient(
  apiKey: string,
  honours: boolean,
  options: { events?: LogEvent[]; streamIdleTimeoutMs?: number; maxRetries?: number } = {},
): { bodies: { cancelled: number }[]; client: AzureOpenAI } {
  const bodies: { cancelled: number }[] = [];
  const fetch: FetchLike = (_request, init) => {
    const { state, response } = waitingStream(honours ? init?.signal ?? undefined : undefined);
    bodies.push(state);
    return Promise.resolve(response);
  };
  const { events, streamIdleTimeoutMs, maxRetries } = options;
  return {
    bodies,
    client: new AzureOpenAI({
      endpoint: "http://x.test",
      apiKey,
      fetch,
      streamIdleTimeoutMs,
      maxRetries,
      middleware: events ? [logger({ onEvent: (e) => void events.push(e) })] : [],
    }),
  };
}

/** A body that hands out `pieces` one read at a time and records its cancellation. */
export function piecewise(pieces: string[]): { response: Response; cancelled: () => boolean } {
  let cancelled = false;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces.shift();
      if (piece === undefined) controller.close();
      else controller.enqueue(encoder.encode(piece));
    },
    cancel() {
      cancelled = true;
    },
  }, { highWaterMark: 0 });
  return {
    response: new Response(body, { headers: { "content-type": "text/event-stream" } }),
    cancelled: () => cancelled,
  };
}
