import { builtinKind } from "./_kind.ts";
import type { Middleware, MiddlewareContext, Terminal } from "./types.ts";

const enum Step {
  IDLE,
  PENDING,
  RETURNED,
}

/**
 * Thrown when a middleware misuses `next()`.
 *
 * @example A middleware that calls next() twice at once
 * ```ts
 * import { compose, type Middleware, type MiddlewareContext, MiddlewareError } from "@aoai/edge";
 * const twice: Middleware = (_ctx, next) => Promise.all([next(), next()]).then(([first]) => first);
 * const run = compose([twice], () => Promise.resolve(new Response("ok")));
 * try {
 *   await run({ operation: "demo" } as MiddlewareContext);
 * } catch (err) {
 *   console.log(err instanceof MiddlewareError); // true
 * }
 * ```
 */
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
 * the layer returned, is a {@link MiddlewareError} (every layer but the built-in `retry()`,
 * `timeout()` and auth, which are not guarded). Calling `next()` again after it settled re-runs
 * the inner layers (that is how `retry()` works). A guarded layer that resolves to nothing (it
 * forgot to return `next()`'s response) or to something that is not a `Response` is a
 * {@link MiddlewareError} too.
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
  // The built-ins (retry, timeout, auth) call next() as they should: their calls are not guarded,
  // which spares each of them a `then` (a microtask per layer, per call).
  const guarded = layers.map((m) => builtinKind(m) === undefined);
  // One frame per guarded layer invocation: IDLE, PENDING (its next() is running) or RETURNED.
  // A layer's frame is marked RETURNED by whoever awaits its result (the outer next() or the
  // top), so each guarded layer costs one `then`.
  const step = (ctx: MiddlewareContext, index: number, parent?: Frame): Promise<Response> => {
    const frame: Frame | undefined = guarded[index] ? { state: Step.IDLE } : undefined;
    let result: Promise<Response>;
    try {
      result = Promise.resolve(
        index < layers.length
          ? layers[index](
            ctx,
            frame ? () => next(ctx, index, frame) : () => step(ctx, index + 1),
          )
          : terminal(ctx),
      );
    } catch (err) {
      result = Promise.reject(err);
    }
    if (!frame && !parent) return result;
    const settle = () => {
      if (frame) frame.state = Step.RETURNED;
      if (parent?.state === Step.PENDING) parent.state = Step.IDLE;
    };
    return result.then((response) => {
      settle();
      // A layer that forgot to return next()'s response, or returned something else (a string,
      // a plain object): fail here, not in whoever reads it. No instanceof: a fetch of another
      // realm (undici's own) answers with another Response class.
      return frame && !response?.headers ? misuse(index, "returned no response") : response;
    }, (err) => {
      settle();
      throw err;
    });
  };
  const next = (ctx: MiddlewareContext, index: number, frame: Frame): Promise<Response> => {
    if (frame.state === Step.IDLE) {
      frame.state = Step.PENDING;
      return step(ctx, index + 1, frame);
    }
    return misuse(
      index,
      frame.state === Step.RETURNED
        ? "called next() after it returned"
        : "called next() twice at once; await it before calling it again",
    );
  };
  const misuse = (index: number, what: string): Promise<never> =>
    Promise.reject(
      new MiddlewareError(
        `middleware #${index + 1} (${layers[index].name || "anonymous"}) ${what}`,
      ),
    );
  return (ctx) => step(ctx, 0);
}

interface Frame {
  state: Step;
}
