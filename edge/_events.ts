/**
 * Per-request events (`onRequest`): the app's answer is observed as the client reads it, and one
 * plain, secret-free event is delivered once its body ended, failed or was cancelled; with
 * `tokenLimit` or `tokenQuota`, the client's budget and quota are charged from the same event.
 * Only used when `onRequest`, `tokenLimit` or `tokenQuota` is set.
 *
 * @module
 */
import { ServerSentEventParser } from "../src/sse/parser.ts";
import { pickUsage } from "../src/middleware/_usage.ts";
import { doneTracker, endsWithDone } from "./_sse_done.ts";
export { pickUsage };
import type { WaitUntil } from "./_caching.ts";
import type { EdgeRequestEvent, EdgeRequestRoute, EdgeRequestUsage } from "./options.ts";

/** What the app's handlers learn about one request, for its event. */
export interface RequestRecord {
  /** Index of the client key that matched. */
  key?: number;
  /** The deployment the request was sent to (after validation). */
  deployment?: string;
  /** The client asked for a stream. */
  stream?: boolean;
  /**
   * The token estimate of a streamed request's JSON body ({@link estimateTokens}), or of a
   * token-billed transcription's upload (its audio and prompt); with a token limit.
   */
  promptTokens?: number;
  /** The usage event the app asked for in a stream and took out of it (with a token limit). */
  usage?: EdgeRequestUsage;
  /** The request's estimate held against its client's budget (with a token limit). */
  hold?: Hold;
  /** The client went away before the upstream answered (the app answered 499). */
  abandoned?: boolean;
}

/**
 * The prompt tokens one request is estimated to use, held against its client's token budget in
 * this isolate from its check until it is charged (so concurrent requests see them spent).
 */
export interface Hold {
  /** The estimate, in tokens. */
  readonly tokens: number;
  /** Replaces the estimate (once the body is read). */
  set(tokens: number): void;
  /**
   * Says the request's answer ended: it is charged (and its hold let go) a task later, off the
   * client's path; a check meanwhile may wait for that rather than count the estimate.
   */
  end(): void;
  /** Lets the estimate go (once; later calls do nothing). */
  release(): void;
}

/** A store charged with the tokens of each charged answer: the token limiter, the token quota. */
export interface ChargeTo {
  /** Names it in the `onError` report of a failed charge, e.g. `"token limiter"`. */
  what: string;
  charge(client: string, tokens: number): void | Promise<void>;
}

/** Everything an event needs besides the response. */
export interface EventSource {
  /** Arrival time, ms on `now`. */
  start: number;
  now: () => number;
  method: string;
  route: EdgeRequestRoute;
  record: RequestRecord;
  /** The hashed id of the matched client key, if any. */
  client: Promise<string> | undefined;
  /** The `name` of the matched client key, if it has one. */
  clientName?: string;
  onRequest: (event: EdgeRequestEvent) => void | Promise<void>;
  /**
   * Charged with a 2xx answer's tokens, beside `onRequest`: the client's budget (`tokenLimit`)
   * and quota (`tokenQuota`), the same tokens to each.
   */
  charges?: readonly ChargeTo[];
  onError: (message: string) => void;
  /** `ctx.waitUntil` on Workers: keeps the delivery alive past the response. */
  waitUntil: WaitUntil | undefined;
}

/** A JSON body up to this size is kept and parsed whole. */
const JSON_WHOLE_MAX = 1024 * 1024;
/** Past it, only this much of its end is kept, and searched for `usage`. */
const JSON_TAIL = 64 * 1024;
/** Longest SSE line or event data looked at. */
const SSE_MAX = 1024 * 1024;
/** An error code worth reporting: short, no spaces, no punctuation a message would have. */
const SAFE_CODE = /^[A-Za-z0-9_.:-]{1,64}$/;
/** A `"usage"` key holding an object. */
export const USAGE_KEY = /"usage"\s*:\s*\{/;

type End = "end" | "cancel" | "error";

/**
 * The usage of a JSON body of which only the end is known: the counts after its last `"usage"`
 * key (a key: inside a string its quotes would be escaped).
 */
function usageFromTail(text: string): EdgeRequestUsage | undefined {
  const at = text.lastIndexOf('"usage"');
  if (at === -1 || !USAGE_KEY.test(text.slice(at, at + 64))) return undefined;
  const rest = text.slice(at, at + 4096);
  const field = (name: string) => {
    const match = new RegExp(`"${name}"\\s*:\\s*(\\d+)`).exec(rest);
    return match ? Number(match[1]) : undefined;
  };
  return pickUsage({
    prompt_tokens: field("prompt_tokens") ?? field("input_tokens"),
    completion_tokens: field("completion_tokens") ?? field("output_tokens"),
    total_tokens: field("total_tokens"),
  });
}

/** Reads what the event needs from the body as it passes: usage, and an error's code. */
interface Tap {
  feed(chunk: Uint8Array): void;
  /** Called once, after the body ended, off the client's path. */
  result(): { usage?: EdgeRequestUsage; code?: string };
  /** Quarters of a token of the generated text seen so far (streams, when estimating). */
  streamedQuarters?(): number;
  /** The usage of a complete event seen so far, even in a stream that did not end (SSE). */
  seenUsage?(): EdgeRequestUsage | undefined;
  /** Whether the stream's `[DONE]` passed (SSE): a cancel after it cut nothing. */
  done?(): boolean;
}

/**
 * The quarters of a token `text` is estimated at, without a tokenizer: one for each character of
 * the Latin blocks (U+0000 to U+024F: 4 characters a token, OpenAI's rule of thumb for English),
 * four (a whole token) for any other code point. CJK text takes about a token a character or more
 * in OpenAI's tokenizers (most kanji are two in cl100k_base), so 4 characters a token counted it
 * about a quarter; a few scripts (Cyrillic, Greek) take less than a token a character, and are
 * counted over rather than any under.
 */
export function tokenQuarters(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A low surrogate ends a code point its high one counted.
    n += c < 0x250 ? 1 : c >= 0xdc00 && c <= 0xdfff ? 0 : 4;
  }
  return n;
}

/** The tokens `text` is estimated at ({@link tokenQuarters}, rounded up). */
export function estimateTokens(text: string): number {
  return Math.ceil(tokenQuarters(text) / 4);
}

/**
 * Token quarters of the text a chat or completions chunk carries (delta content, tool arguments),
 * or a streamed transcription's `transcript.text.delta` event (its `delta`).
 */
function chunkQuarters(chunk: unknown): number {
  let n = 0;
  const add = (v: unknown) => typeof v === "string" && (n += tokenQuarters(v));
  add((chunk as { delta?: unknown })?.delta);
  const choices = (chunk as { choices?: unknown })?.choices;
  for (const choice of Array.isArray(choices) ? choices : []) {
    const delta = choice?.delta;
    add(choice?.text);
    add(delta?.content);
    add(delta?.refusal);
    add(delta?.function_call?.arguments);
    for (const call of Array.isArray(delta?.tool_calls) ? delta.tool_calls : []) {
      add(call?.function?.arguments);
    }
  }
  return n;
}

function jsonTap(): Tap {
  let chunks: Uint8Array[] = [];
  let kept = 0;
  let whole = true;
  return {
    feed(chunk) {
      if (kept + chunk.length > JSON_WHOLE_MAX) whole = false;
      // Copied: the bytes handed on are the client's. Past the bound, only a tail is of use.
      const part = whole || chunk.length <= JSON_TAIL ? chunk.slice() : chunk.slice(-JSON_TAIL);
      chunks.push(part);
      kept += part.length;
      if (whole) return;
      while (chunks.length > 1 && kept - chunks[0].length >= JSON_TAIL) {
        kept -= chunks[0].length;
        chunks.shift();
      }
    },
    result() {
      const bytes = new Uint8Array(kept);
      let at = 0;
      for (const c of chunks) {
        bytes.set(c, at);
        at += c.length;
      }
      chunks = [];
      const text = new TextDecoder().decode(bytes);
      if (!whole) return { usage: usageFromTail(text) };
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return {};
      }
      if (typeof body !== "object" || body === null) return {};
      const { usage, error } = body as { usage?: unknown; error?: { code?: unknown } };
      const code = typeof error === "object" && error !== null ? error.code : undefined;
      return {
        usage: pickUsage(usage),
        code: typeof code === "string" && SAFE_CODE.test(code) ? code : undefined,
      };
    },
  };
}

function sseTap(estimate: boolean): Tap {
  let usage: EdgeRequestUsage | undefined;
  let broken = false;
  let quarters = 0;
  const tracker = doneTracker();
  const parser = new ServerSentEventParser((event) => {
    const hasUsage = USAGE_KEY.test(event.data);
    if (!hasUsage && !estimate) return;
    try {
      const chunk = JSON.parse(event.data) as { usage?: unknown };
      if (estimate) quarters += chunkQuarters(chunk);
      if (hasUsage) usage = pickUsage(chunk.usage) ?? usage;
    } catch {
      // Not a chunk: nothing to count.
    }
  }, { maxBufferSize: SSE_MAX });
  return {
    feed(chunk) {
      tracker.feed(chunk);
      if (broken) return;
      try {
        parser.feed(chunk);
      } catch {
        broken = true; // a line over SSE_MAX: stop looking rather than hold it
      }
    },
    result: () => ({ usage }),
    streamedQuarters: () => quarters,
    seenUsage: () => usage,
    done: () => tracker.done,
  };
}

/**
 * Counts the text of a token-billed transcription's reply that carries no usage (`text`, `srt`,
 * `vtt`), as it passes: nothing is kept.
 */
function textTap(): Tap {
  const decoder = new TextDecoder();
  let quarters = 0;
  return {
    feed(chunk) {
      quarters += tokenQuarters(decoder.decode(chunk, { stream: true }));
    },
    result: () => ({}),
    streamedQuarters: () => quarters,
  };
}

/**
 * Returns the response to give the client, observed for its event: the same status and
 * headers, with the body passed on chunk by chunk as the client reads it (nothing read ahead,
 * nothing held back; a cancel reaches the upstream as before). The event is delivered once, after
 * the body ended, failed or was cancelled, or at once for a response without a body or a client
 * that already went away. With a token limit or quota (`charges`), a JSON body the client cancels or never
 * reads is read to its end instead, for its usage, and the event waits for that.
 */
export function observeResponse(
  response: Response,
  request: Request,
  source: EventSource,
): Response {
  let fired = false;
  let settle!: () => void;
  const delivered = new Promise<void>((resolve) => settle = resolve);
  source.waitUntil?.(delivered);
  const type = response.headers.get("content-type") ?? "";
  const tap = response.body === null
    ? undefined
    : type.includes("text/event-stream")
    ? sseTap(source.charges !== undefined)
    : type.includes("json")
    ? jsonTap()
    : source.route === "audio" && source.record.promptTokens !== undefined
    ? textTap()
    : undefined;
  /** When the first body byte went to the client (ms on `now`). */
  let firstByte: number | undefined;
  /** `read`: the body was read to its end (by the client, or drained), so its usage counts. */
  const finish = (end: End, read = end === "end") => {
    if (fired) return;
    fired = true;
    const durationMs = Math.max(0, source.now() - source.start);
    const firstByteMs = firstByte === undefined ? undefined : Math.max(0, firstByte - source.start);
    source.record.hold?.end();
    // Off the client's path: the parse and the delivery wait for the next task.
    setTimeout(() => {
      deliver(response, source, end, durationMs, firstByteMs, tap, read).finally(settle);
    }, 0);
  };
  const body = response.body;
  if (body === null) {
    finish("end");
    return response;
  }
  // Only a reply that is charged (a 2xx JSON of chat, completions, embeddings or a transcription,
  // which carry usage, or a token-billed transcription's text) is worth reading on.
  const drains = source.charges !== undefined && tap !== undefined && response.ok &&
    !type.includes("text/event-stream") &&
    (source.route === "chat" || source.route === "completions" || source.route === "embeddings" ||
      source.route === "audio");
  if (request.signal.aborted && !drains) {
    finish("cancel");
    return response;
  }
  const reader = body.getReader();
  // A JSON reply the client dropped was made (and billed) in full: with a token limit, its usage
  // is read off the rest of the body (held to the tap's bound) to charge it. A stream is cut
  // instead, to stop it.
  const drain = async () => {
    let read = false;
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        tap!.feed(next.value);
      }
      read = true;
    } catch {
      // Nothing more to read: charged by what is known.
    }
    finish("cancel", read);
  };
  if (request.signal.aborted) {
    // Nobody will read it: the body is drained here and the client gets none.
    void drain();
    return new Response(null, response);
  }
  const observed = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (err) {
        controller.error(err);
        // Broken after its [DONE] (a chat or completions stream): the reply was whole.
        finish(tap?.done?.() ? "end" : "error");
        return;
      }
      try {
        if (next.done) {
          // A chat or completions stream closed before its [DONE] was cut (the client's body ends
          // with the error event).
          finish(
            type.includes("text/event-stream") && endsWithDone(source.route) && !tap?.done?.()
              ? "error"
              : "end",
          );
          controller.close();
          return;
        }
        controller.enqueue(next.value);
        if (firstByte === undefined && next.value.length > 0) firstByte = source.now();
      } catch {
        // Cancelled while the read was pending: the cancel has finished it (or drains the rest,
        // after this chunk).
        try {
          if (!next.done) tap?.feed(next.value);
        } catch { /* nothing to count then */ }
        return;
      }
      try {
        tap?.feed(next.value);
      } catch {
        // Never let the observer break what the client gets.
      }
    },
    cancel(reason) {
      if (drains && !fired) {
        void drain();
        return;
      }
      // A client that stops at `[DONE]` (this package's streams do) got the whole reply.
      finish(tap?.done?.() ? "end" : "cancel");
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
  return new Response(observed, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

async function deliver(
  response: Response,
  source: EventSource,
  end: End,
  durationMs: number,
  firstByteMs: number | undefined,
  tap: Tap | undefined,
  read: boolean,
): Promise<void> {
  try {
    let found: ReturnType<Tap["result"]> = {};
    try {
      // Usage and codes only from a body that ended (a cut one may end anywhere).
      if (read) found = tap?.result() ?? {};
    } catch {
      // No usage then.
    }
    const { status, headers } = response;
    const event: EdgeRequestEvent = {
      time: new Date(source.start).toISOString(),
      method: source.method,
      route: source.route,
      status,
      durationMs,
      stream: source.record.stream === true,
    };
    if (firstByteMs !== undefined) event.firstByteMs = firstByteMs;
    // A name the upstream does not know (404) is text of the client's choosing, not a deployment.
    const { deployment } = source.record;
    if (deployment !== undefined && status !== 404) event.deployment = deployment;
    if (source.client) {
      try {
        event.client = await source.client;
      } catch {
        // No id then.
      }
    }
    if (source.clientName !== undefined) event.clientName = source.clientName;
    const cache = headers.get("x-aoai-cache");
    if (cache === "hit" || cache === "miss" || cache === "partial") event.cache = cache;
    const upstream = headers.get("x-aoai-upstream");
    if (upstream !== null && /^\d{1,4}$/.test(upstream)) event.upstream = Number(upstream);
    const usage = found.usage ?? source.record.usage;
    if (usage) event.usage = usage;
    const error = end === "cancel"
      ? "ClientClosedRequest"
      : end === "error"
      ? "UpstreamStreamError"
      : status >= 400
      ? found.code ?? String(status)
      : undefined;
    if (error !== undefined) event.error = error;
    // Started before onRequest, from what is known now: a hook that edits its event or never
    // settles changes nothing to the charge.
    const charged = source.charges && event.client && (status < 300 || source.record.abandoned)
      ? charge(source.charges, event.client, tokensOf(event, source.record, tap), source.onError)
      : undefined;
    // The held estimate goes as the charge is handed to the limiter (an in-memory one has counted
    // it then; a shared one once written), not waiting for onRequest.
    source.record.hold?.release();
    try {
      await source.onRequest(event);
    } catch (err) {
      source.onError(`onRequest failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    await charged;
  } catch (err) {
    source.record.hold?.release();
    source.onError(`onRequest failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The tokens of one 2xx answer: its `usage.total_tokens` (in a stream, from its usage event even
 * when the client stopped reading after it), nothing for a full cache hit, and for a stream that
 * carried no usage (none asked for, or cancelled before it) an estimate over the request's JSON
 * and the text streamed ({@link estimateTokens}); likewise a token-billed transcription without
 * usage (a text format, a stream cut before its end): its upload's estimate and the text it
 * answered. A request whose client went away before the upstream answered is charged the estimate
 * of its prompt: the upstream had it.
 */
function tokensOf(event: EdgeRequestEvent, record: RequestRecord, tap: Tap | undefined): number {
  if (event.cache === "hit") return 0;
  const usage = event.usage ?? tap?.seenUsage?.();
  if (usage) return usage.total_tokens;
  if (record.stream || record.promptTokens !== undefined) {
    return (record.promptTokens ?? 0) + Math.ceil((tap?.streamedQuarters?.() ?? 0) / 4);
  }
  return record.abandoned ? record.hold?.tokens ?? 0 : 0;
}

/**
 * Charges `tokens` to `client` in each store (all started at once, before this returns), reporting
 * each one that fails.
 */
async function charge(
  to: readonly ChargeTo[],
  client: string,
  tokens: number,
  onError: (message: string) => void,
): Promise<void> {
  if (!(tokens > 0)) return;
  await Promise.all(to.map(async ({ what, charge }) => {
    try {
      await charge(client, tokens);
    } catch (err) {
      onError(
        `${what} failed to count ${tokens} tokens: ${
          err instanceof Error ? err.message : String(err)
        }`,
      );
    }
  }));
}
