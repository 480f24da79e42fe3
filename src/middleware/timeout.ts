import { tagBuiltin } from "./_kind.ts";
import { APITimeoutError, APIUserAbortError } from "../errors/api_error.ts";
import { describeSite } from "../errors/from_response.ts";
import type { Middleware } from "./types.ts";

/** Options of {@link timeout}. */
export interface TimeoutOptions {
  /** Deadline per attempt in ms, until headers arrive (and, for non-streams, the whole body). */
  timeoutMs?: number;
}

class TimeoutSignal extends Error {
  constructor() {
    super("timeout");
    this.name = "TimeoutSignal";
  }
}

/**
 * Per-attempt deadline. For non-streaming calls the deadline covers headers and body (the body
 * is read inside the deadline); for streams it covers the time to headers, then the stream's own
 * idle timeout takes over. An expired deadline raises {@link APITimeoutError}, which `retry()`
 * may retry. Without `timeoutMs`, the call's `timeoutMs` option (client default 600 000) applies.
 *
 * @example A 10 s deadline per attempt
 * ```ts
 * import { AzureOpenAI, timeout } from "@aoai/edge";
 * const client = new AzureOpenAI({
 *   endpoint: "https://my-res.openai.azure.com",
 *   apiKey: "key",
 *   middleware: [timeout({ timeoutMs: 10_000 })],
 * });
 * console.log(typeof client);
 * ```
 */
export function timeout(options: TimeoutOptions = {}): Middleware {
  return tagBuiltin(async function timeout(ctx, next) {
    const ms = options.timeoutMs ?? ctx.options.timeoutMs;
    if (!(ms > 0) || !Number.isFinite(ms)) return next();
    const outer = ctx.signal;
    const controller = new AbortController();
    const marker = new TimeoutSignal();
    const onOuterAbort = () => controller.abort(outer?.reason);
    if (outer?.aborted) controller.abort(outer.reason);
    else outer?.addEventListener("abort", onOuterAbort, { once: true });
    const timer = setTimeout(() => controller.abort(marker), ms);
    ctx.signal = controller.signal;
    const timedOut = () => controller.signal.aborted && controller.signal.reason === marker;
    const fail = (cause: unknown): never => {
      if (timedOut()) {
        throw new APITimeoutError(
          `${
            describeSite({
              operation: ctx.operation,
              method: ctx.request.method,
              url: ctx.request.url,
            })
          } ` +
            `timed out after ${ms} ms; raise timeoutMs or check the network`,
          { cause },
        );
      }
      throw cause;
    };
    try {
      let response: Response;
      try {
        response = await next();
      } catch (err) {
        return fail(err);
      }
      if (ctx.stream || !response.body) return response;
      try {
        const body = await response.arrayBuffer();
        return new Response(body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      } catch (err) {
        if (timedOut()) return fail(err);
        if (outer?.aborted) {
          throw new APIUserAbortError(`${ctx.operation} was aborted by the caller`, { cause: err });
        }
        throw err;
      }
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
      ctx.signal = outer;
    }
  }, "timeout");
}
