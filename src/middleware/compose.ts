import type { Middleware, MiddlewareContext, Terminal } from "./types.ts";

/** Thrown when a middleware misuses `next()`. */
export class MiddlewareError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "MiddlewareError";
  }
}

/**
 * Composes middleware in onion order (first is outermost) around a terminal handler.
 * Guards: `next()` called while a previous `next()` of the same layer is still pending, or after
 * the layer returned, is a {@link MiddlewareError}. Calling `next()` again after it settled
 * re-runs the inner layers (that is how `retry()` works).
 *
 * @example Log around every request
 * ```ts
 * import { compose, type Middleware, type MiddlewareContext } from "@aoai/edge";
 * const tag: Middleware = async (ctx, next) => {
 *   const res = await next();
 *   return new Response(res.body, { status: res.status, headers: { "x-tag": ctx.operation } });
 * };
 * const run = compose([tag], () => Promise.resolve(new Response("ok")));
 * const ctx = { operation: "demo" } as MiddlewareContext;
 * console.log((await run(ctx)).headers.get("x-tag"));
 * ```
 */
export function compose(
  middleware: readonly Middleware[],
  terminal: Terminal,
): (ctx: MiddlewareContext) => Promise<Response> {
  const layers = middleware.slice();
  const dispatch = (ctx: MiddlewareContext, index: number): Promise<Response> => {
    if (index >= layers.length) return terminal(ctx);
    const layer = layers[index];
    let pending = false;
    let returned = false;
    const next = (): Promise<Response> => {
      if (returned) {
        return Promise.reject(
          new MiddlewareError(
            `middleware #${index + 1} (${
              layer.name || "anonymous"
            }) called next() after it returned`,
          ),
        );
      }
      if (pending) {
        return Promise.reject(
          new MiddlewareError(
            `middleware #${index + 1} (${
              layer.name || "anonymous"
            }) called next() twice at once; ` +
              "await the first call before calling next() again",
          ),
        );
      }
      pending = true;
      let inner: Promise<Response>;
      try {
        inner = dispatch(ctx, index + 1);
      } catch (err) {
        inner = Promise.reject(err);
      }
      return inner.finally(() => {
        pending = false;
      });
    };
    let result: Promise<Response>;
    try {
      result = Promise.resolve(layer(ctx, next));
    } catch (err) {
      result = Promise.reject(err);
    }
    return result.finally(() => {
      returned = true;
    });
  };
  return (ctx) => dispatch(ctx, 0);
}
