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
  const count = layers.length;
  // One frame per layer invocation: IDLE, PENDING (its next() is running) or RETURNED. A
  // layer's frame is marked RETURNED by whoever awaits its result (the outer next() or the
  // top), so each layer costs one `then`.
  const guard = (index: number, what: string): Promise<never> =>
    Promise.reject(
      new MiddlewareError(
        `middleware #${index + 1} (${layers[index].name || "anonymous"}) ${what}`,
      ),
    );
  const run = (ctx: MiddlewareContext, index: number, frame: Frame): Promise<Response> => {
    if (index >= count) return terminal(ctx);
    const next = (): Promise<Response> => {
      if (frame.state === RETURNED) return guard(index, "called next() after it returned");
      if (frame.state === PENDING) {
        return guard(
          index,
          "called next() twice at once; await the first call before calling next() again",
        );
      }
      frame.state = PENDING;
      const child: Frame = { state: IDLE };
      let inner: Promise<Response>;
      try {
        inner = run(ctx, index + 1, child);
      } catch (err) {
        inner = Promise.reject(err);
      }
      return inner.then(
        (response) => {
          child.state = RETURNED;
          if (frame.state === PENDING) frame.state = IDLE;
          return response;
        },
        (err) => {
          child.state = RETURNED;
          if (frame.state === PENDING) frame.state = IDLE;
          throw err;
        },
      );
    };
    try {
      return Promise.resolve(layers[index](ctx, next));
    } catch (err) {
      return Promise.reject(err);
    }
  };
  return (ctx) => {
    if (count === 0) {
      try {
        return Promise.resolve(terminal(ctx));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    const top: Frame = { state: IDLE };
    return run(ctx, 0, top).then(
      (response) => {
        top.state = RETURNED;
        return response;
      },
      (err) => {
        top.state = RETURNED;
        throw err;
      },
    );
  };
}

const IDLE = 0;
const PENDING = 1;
const RETURNED = 2;

interface Frame {
  state: typeof IDLE | typeof PENDING | typeof RETURNED;
}
