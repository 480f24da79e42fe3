/**
 * Chat completions: streamed replies pass through as they arrive; with `chatCache` on,
 * deterministic requests (temperature 0 or a seed) are served from the cache, and a cached
 * completion asked for with `stream: true` is replayed as SSE. A streamed miss is passed
 * through and, once it completed, folded into a completion and stored for next time.
 *
 * @module
 */
import { ServerSentEventParser } from "../src/sse/parser.ts";
import { ChatCompletionAccumulator } from "../src/streaming/chat_completion_accumulator.ts";
import type { ChatCompletionChunk } from "../src/types/mod.ts";
import type { Middleware } from "../src/middleware/types.ts";
import {
  CHAT_KEY_STATE_KEY,
  holdWriting,
  STORE_ONLY_STATE_KEY,
} from "../src/middleware/_chat_cache.ts";
import { clientGone, forward } from "./_forward.ts";
import type { PreparedCall, SentJson } from "./_operations.ts";
import type { Caching, WaitUntil } from "./_caching.ts";
import { completionToSse } from "./chat_replay.ts";
import type { EdgeRequestUsage, ResolvedOptions } from "./options.ts";
import { askingUsage, asksUsage, takesStreamOptions, withoutUsageEvent } from "./_stream_usage.ts";

/** True for a chat body the cache may serve: temperature 0 or a seed. */
export function isDeterministic(body: Record<string, unknown>): boolean {
  return body.temperature === 0 || typeof body.seed === "number";
}

/**
 * Whether the client's body may hold an integer JSON.parse rounded: a run of digits past
 * Number.MAX_SAFE_INTEGER (one in a string, or a fraction's digits, too: such a body is only not
 * cached).
 */
function mayRound(sent: SentJson | undefined): boolean {
  if (!sent) return false;
  for (const [run] of new TextDecoder().decode(sent.bytes).matchAll(/\d{16,}/g)) {
    if (BigInt(run) > BigInt(Number.MAX_SAFE_INTEGER)) return true;
  }
  return false;
}

/**
 * Handles one validated chat completions call. Given `onStreamUsage` (a token limit), a stream
 * whose client did not ask for usage is sent asking for it, where the api-version takes
 * `stream_options`, and its usage event goes to `onStreamUsage` instead of the client.
 */
export async function handleChat(
  opts: ResolvedOptions,
  caching: Caching,
  request: Request,
  call: PreparedCall,
  apiVersion: string | undefined,
  waitUntil: WaitUntil | undefined,
  onStreamUsage?: (usage: EdgeRequestUsage) => void,
): Promise<Response> {
  const json = call.json as Record<string, unknown>;
  // Its key is made of the parse: seeds 2^63 - 1 and 2^63 - 2 would share one completion.
  const cacheLayers = isDeterministic(json) && !mayRound(call.sent)
    ? caching.chat(waitUntil)
    : undefined;
  // Without an api-version of the client's, each upstream is sent its own: all must take it.
  const askUsage = onStreamUsage !== undefined && call.stream && !asksUsage(json) &&
    (apiVersion === undefined
      ? opts.upstreams.list.every((u) => takesStreamOptions(u.client.apiVersion))
      : takesStreamOptions(apiVersion));
  /** The upstream's stream without the usage event the app asked for. */
  const unasked = (res: Response): Response =>
    askUsage && res.status === 200 && res.body !== null &&
      (res.headers.get("content-type") ?? "").includes("event-stream")
      ? new Response(withoutUsageEvent(res.body, onStreamUsage!), res)
      : res;
  const init = {
    path: call.op.path,
    deployment: call.deployment,
    method: "POST" as const,
    json: askUsage ? askingUsage(json) : json,
    sent: call.sent,
    stream: call.stream,
    operation: call.op.operation,
    apiVersion,
  };
  if (!cacheLayers) return unasked(await forward(opts, request, init));
  if (!call.stream) return await forward(opts, request, { ...init, middleware: cacheLayers });

  // Streamed and cacheable: look the completion up without going upstream on a miss.
  const lookup: Record<string, unknown> = { ...json, stream: false };
  delete lookup.stream_options;
  /** The completion's cache key, as the lookup's cache layer made it. */
  let key: string | undefined;
  const peek: Middleware = (ctx) => {
    key = ctx.state[CHAT_KEY_STATE_KEY] as string | undefined;
    return Promise.resolve(new Response(null, { status: 204 }));
  };
  const cached = await forward(opts, request, {
    ...init,
    json: lookup,
    stream: false,
    middleware: [...cacheLayers, peek],
  });
  if (cached.status === 200 && cached.headers.get("x-aoai-cache") === "hit") {
    const completion = await cached.json();
    const options = json.stream_options as { include_usage?: boolean } | null | undefined;
    const headers = new Headers({
      "content-type": "text/event-stream",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
      "x-aoai-cache": "hit",
    });
    // The client's id, as forward() echoed it on the lookup's answer.
    const id = cached.headers.get("x-ms-client-request-id");
    if (id !== null) headers.set("x-ms-client-request-id", id);
    return new Response(
      completionToSse(completion, { includeUsage: options?.include_usage === true }),
      { headers },
    );
  }
  await cached.body?.cancel();
  // The client left during the lookup: nothing was sent upstream, nor will be.
  if (request.signal.aborted) return clientGone(true);
  // Not coalesced with an identical stream in flight (as non-streamed misses are): waiting for
  // its stored answer would show this client nothing until the other completion ends.
  const upstream = unasked(await forward(opts, request, init));
  if (upstream.status !== 200 || upstream.body === null) return upstream;
  const store = (completion: Record<string, unknown>) => {
    // A stream without include_usage folds into a completion without `usage`; a hit reports
    // usage 0 anyway, and a chat completion always carries one.
    completion.usage ??= { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
    const text = JSON.stringify(completion);
    // Served to an identical call from the [DONE] on: the store work below (forward, hashing, a
    // store read, the claim) is async, and the client has its whole reply already.
    const release = key === undefined
      ? undefined
      : holdWriting(key, new TextEncoder().encode(text));
    // Not waiting for an identical call in flight: without waitUntil this client's stream
    // stays open until the store ends (its SDK reads on after [DONE]).
    const storeOnly: Middleware = (ctx, next) => {
      ctx.state[STORE_ONLY_STATE_KEY] = true;
      return next();
    };
    const give: Middleware = () =>
      Promise.resolve(new Response(text, { headers: { "content-type": "application/json" } }));
    return forward(opts, request, {
      ...init,
      json: lookup,
      stream: false,
      middleware: [storeOnly, ...cacheLayers, give],
    }).then((res) => res.body?.cancel()).finally(release);
  };
  const headers = new Headers(upstream.headers);
  headers.set("x-aoai-cache", "miss");
  return new Response(observeStream(upstream.body, store, opts.onError, waitUntil), {
    status: upstream.status,
    headers,
  });
}

/** A blank line: ends the event block the stream's end left pending. */
const BLANK_LINE = new Uint8Array([10, 10]);

/**
 * Passes the SSE bytes through unchanged while folding the chunks into a completion; once its
 * `data: [DONE]` event arrived (without an error event before it), hands the completion to
 * `store` (through `waitUntil` when there is one, else awaited before the stream closes), even
 * when the connection breaks or the client cancels after it: the reply was whole. The stream's
 * end (a close, a break, a cancel) ends its last block, as the client's ends: a `data: [DONE]`
 * block without its blank line is a whole reply to the client (the app ends it cleanly, reporting
 * no cut, and this package's client and the openai SDK end such a stream quietly), so it is stored
 * too; a chunk cut before any [DONE] stores nothing.
 */
function observeStream(
  body: ReadableStream<Uint8Array>,
  store: (completion: Record<string, unknown>) => Promise<unknown>,
  onError: (message: string) => void,
  waitUntil: WaitUntil | undefined,
): ReadableStream<Uint8Array> {
  const acc = new ChatCompletionAccumulator();
  let done = false;
  let broken = false;
  const parser = new ServerSentEventParser((event) => {
    if (broken || done) return;
    if (event.data === "[DONE]") {
      done = true;
      return;
    }
    try {
      const chunk = JSON.parse(event.data);
      // An error event (`event: error`, or `data: {"error": …}`) failed the client's read: the
      // stream is no answer, even when chunks and [DONE] follow.
      if (event.event === "error" || chunk?.error != null) broken = true;
      else acc.add(chunk as ChatCompletionChunk);
    } catch {
      broken = true;
    }
  });
  let stored: Promise<void> | undefined;
  /** Feeds bytes to the parser, then stores the completion once its [DONE] arrived. */
  const feed = (bytes: Uint8Array) => {
    if (!broken) {
      try {
        parser.feed(bytes);
      } catch {
        broken = true;
      }
    }
    if (stored || !done || broken) return;
    const completion = acc.result() as unknown as Record<string, unknown>;
    if (!Array.isArray(completion.choices) || completion.choices.length === 0) return;
    stored = store(completion).then(
      () => {},
      (err) =>
        onError(`chat cache write failed: ${err instanceof Error ? err.message : String(err)}`),
    );
    // Workers: keep the write alive past the response.
    waitUntil?.(stored);
  };
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (err) {
        feed(BLANK_LINE);
        throw err;
      }
      if (next.done) {
        feed(BLANK_LINE);
        // Elsewhere than Workers: finish the write before the stream closes (after [DONE] reached
        // the client), so the next call can hit.
        if (!waitUntil) await stored;
        return controller.close();
      }
      controller.enqueue(next.value);
      feed(next.value);
    },
    cancel(reason) {
      feed(BLANK_LINE);
      return reader.cancel(reason);
    },
  });
}
