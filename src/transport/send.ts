import { APIConnectionError, APIUserAbortError } from "../errors/api_error.ts";
import { describeSite } from "../errors/from_response.ts";
import type { MiddlewareContext, Terminal } from "../middleware/types.ts";

/** The fetch signature the client needs. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/**
 * The innermost handler: sends `ctx.request` with `ctx.signal`. An abort becomes
 * {@link APIUserAbortError} (timeout() turns its own aborts into APITimeoutError); any other
 * failure becomes {@link APIConnectionError} with the failure as `cause`.
 */
export function createTerminal(fetchImpl: FetchLike): Terminal {
  return async (ctx: MiddlewareContext): Promise<Response> => {
    const signal = ctx.signal;
    try {
      return await fetchImpl(ctx.request, signal ? { signal } : undefined);
    } catch (err) {
      const site = describeSite({
        operation: ctx.operation,
        method: ctx.request.method,
        url: ctx.request.url,
      });
      if (signal?.aborted) {
        throw new APIUserAbortError(`${site} was aborted by the caller`, { cause: err });
      }
      const detail = err instanceof Error ? err.message : String(err);
      throw new APIConnectionError(
        `${site} could not reach the service: ${detail}; check the endpoint and the network`,
        { cause: err },
      );
    }
  };
}
