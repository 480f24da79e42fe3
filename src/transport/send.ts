import { APIConnectionError, APIUserAbortError } from "../errors/api_error.ts";
import { messageOf } from "../errors/_message_of.ts";
import { siteOf, unbuiltParts } from "../middleware/_replay.ts";
import type { MiddlewareContext, Terminal } from "../middleware/types.ts";

/**
 * The fetch signature the client needs.
 *
 * @example Record what the client sends
 * ```ts
 * import { AzureOpenAI, type FetchLike } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const sent: string[] = [];
 * const recording: FetchLike = (request, init) => {
 *   sent.push(`${request.method} ${new URL(request.url).pathname}`);
 *   return emulator.fetch(request, init);
 * };
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: recording,
 * });
 * await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" });
 * console.log(sent); // [ "POST /openai/deployments/text-embedding-3-small/embeddings" ]
 * ```
 */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/**
 * The innermost handler: sends `ctx.request` with `ctx.signal` through `fetchImpl`. Without
 * `fetchImpl`, it uses the global `fetch` (looked up per call, so a later polyfill applies), and
 * a client request no layer has built yet is sent from its parts as `fetch(url, init)`, so only
 * fetch builds a `Request`. An abort becomes {@link APIUserAbortError} (timeout() turns its own
 * aborts into APITimeoutError); any other failure becomes {@link APIConnectionError} with the
 * failure as `cause`.
 */
export function createTerminal(fetchImpl?: FetchLike): Terminal {
  // Not async: the response comes one microtask after fetch's (an async function's `return
  // await` inside try costs more).
  return (ctx: MiddlewareContext): Promise<Response> => {
    const signal = ctx.signal;
    const fail = (err: unknown): never => {
      const site = siteOf(ctx);
      if (signal?.aborted) {
        throw new APIUserAbortError(`${site} was aborted by the caller`, { cause: err });
      }
      throw new APIConnectionError(
        `${site} could not reach the service: ${
          messageOf(err)
        }; check the endpoint and the network`,
        { cause: err },
      );
    };
    try {
      // An aborted call sends nothing, as in the openai SDK: an injected fetch may ignore signals.
      signal?.throwIfAborted();
      const parts = fetchImpl ? undefined : unbuiltParts(ctx);
      // Promise.resolve: an injected fetch may return a Response or a thenable.
      return Promise.resolve(
        parts
          ? fetch(parts.url, { ...parts, signal })
          : (fetchImpl ?? fetch)(ctx.request, signal ? { signal } : undefined),
      ).catch(fail);
    } catch (err) {
      return Promise.reject(err).catch(fail);
    }
  };
}
