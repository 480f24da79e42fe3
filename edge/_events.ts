/**
 * Per-request events (`onRequest`): the app's answer is observed as the client reads it, and one
 * plain, secret-free event is delivered once its body ended, failed or was cancelled. Only used
 * when `onRequest` is set.
 *
 * @module
 */
import { ServerSentEventParser } from "../src/sse/parser.ts";
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
  onRequest: (event: EdgeRequestEvent) => void | Promise<void>;
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
const USAGE_KEY = /"usage"\s*:\s*\{/;

type End = "end" | "cancel" | "error";

/** A finite, non-negative token count, or undefined. */
function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The three counts of a `usage` object, or undefined when it has no prompt and total. */
function pickUsage(value: unknown): EdgeRequestUsage | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const u = value as Record<string, unknown>;
  const prompt = count(u.prompt_tokens);
  const total = count(u.total_tokens);
  if (prompt === undefined || total === undefined) return undefined;
  const completion = count(u.completion_tokens);
  return completion === undefined
    ? { prompt_tokens: prompt, total_tokens: total }
    : { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total };
}

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
    prompt_tokens: field("prompt_tokens"),
    completion_tokens: field("completion_tokens"),
    total_tokens: field("total_tokens"),
  });
}

/** Reads what the event needs from the body as it passes: usage, and an error's code. */
interface Tap {
  feed(chunk: Uint8Array): void;
  /** Called once, after the body ended, off the client's path. */
  result(): { usage?: EdgeRequestUsage; code?: string };
}

function jsonTap(): Tap {
  let chunks: Uint8Array[] = [];
  let kept = 0;
  let whole = true;
  return {
    feed(chunk) {
      // Copied: the bytes handed on are the client's.
      chunks.push(chunk.slice());
      kept += chunk.length;
      if (kept <= JSON_WHOLE_MAX) return;
      whole = false;
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

function sseTap(): Tap {
  let usage: EdgeRequestUsage | undefined;
  let broken = false;
  const parser = new ServerSentEventParser((event) => {
    if (!USAGE_KEY.test(event.data)) return;
    try {
      usage = pickUsage((JSON.parse(event.data) as { usage?: unknown }).usage) ?? usage;
    } catch {
      // Not a chunk: nothing to count.
    }
  }, { maxBufferSize: SSE_MAX });
  return {
    feed(chunk) {
      if (broken) return;
      try {
        parser.feed(chunk);
      } catch {
        broken = true; // a line over SSE_MAX: stop looking rather than hold it
      }
    },
    result: () => ({ usage }),
  };
}

/**
 * Returns the response to give the client, observed for its event: the same status and
 * headers, with the body passed on chunk by chunk as the client reads it (nothing read ahead,
 * nothing held back; a cancel reaches the upstream as before). The event is delivered once, after
 * the body ended, failed or was cancelled, or at once for a response without a body or a client
 * that already went away.
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
    ? sseTap()
    : type.includes("json")
    ? jsonTap()
    : undefined;
  const finish = (end: End) => {
    if (fired) return;
    fired = true;
    const durationMs = Math.max(0, source.now() - source.start);
    // Off the client's path: the parse and the delivery wait for the next task.
    setTimeout(() => {
      deliver(response, source, end, durationMs, end === "end" ? tap : undefined)
        .finally(settle);
    }, 0);
  };
  const body = response.body;
  if (body === null || request.signal.aborted) {
    finish(body === null ? "end" : "cancel");
    return response;
  }
  const reader = body.getReader();
  const observed = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (err) {
        controller.error(err);
        finish("error");
        return;
      }
      try {
        if (next.done) {
          finish("end");
          controller.close();
          return;
        }
        controller.enqueue(next.value);
      } catch {
        return; // cancelled while the read was pending: the cancel has finished it
      }
      try {
        tap?.feed(next.value);
      } catch {
        // Never let the observer break what the client gets.
      }
    },
    cancel(reason) {
      finish("cancel");
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
  tap: Tap | undefined,
): Promise<void> {
  try {
    let found: ReturnType<Tap["result"]> = {};
    try {
      found = tap?.result() ?? {};
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
    const cache = headers.get("x-aoai-cache");
    if (cache === "hit" || cache === "miss" || cache === "partial") event.cache = cache;
    const upstream = headers.get("x-aoai-upstream");
    if (upstream !== null && /^\d{1,4}$/.test(upstream)) event.upstream = Number(upstream);
    if (found.usage) event.usage = found.usage;
    const error = end === "cancel"
      ? "ClientClosedRequest"
      : end === "error"
      ? "UpstreamStreamError"
      : status >= 400
      ? found.code ?? String(status)
      : undefined;
    if (error !== undefined) event.error = error;
    await source.onRequest(event);
  } catch (err) {
    source.onError(`onRequest failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}
