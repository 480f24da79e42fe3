import { APIConnectionError, APIUserAbortError } from "../errors/api_error.ts";
import { siteOf, unbuiltParts } from "../middleware/_replay.ts";
import type { MiddlewareContext, Terminal } from "../middleware/types.ts";

/** The fetch signature the client needs. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/** A fetch that takes a URL and an init (the global `fetch`). */
export type UrlFetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * The innermost handler: sends `ctx.request` with `ctx.signal`. With `urlFetch`, a client
 * request no layer has built yet is sent from its parts as `urlFetch(url, init)`, so only fetch
 * builds a `Request`. An abort becomes {@link APIUserAbortError} (timeout() turns its own aborts
 * into APITimeoutError); any other failure becomes {@link APIConnectionError} with the failure as
 * `cause`.
 */
export function createTerminal(fetchImpl: FetchLike, urlFetch?: UrlFetch): Terminal {
  return async (ctx: MiddlewareContext): Promise<Response> => {
    const signal = ctx.signal;
    const parts = urlFetch ? unbuiltParts(ctx) : undefined;
    try {
      if (parts !== undefined) {
        return await (urlFetch as UrlFetch)(parts.url, {
          method: parts.method,
          headers: parts.headers,
          body: parts.body,
          signal,
        });
      }
      return await fetchImpl(ctx.request, signal ? { signal } : undefined);
    } catch (err) {
      const site = siteOf(ctx);
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
