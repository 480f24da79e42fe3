import type { Middleware } from "./types.ts";

const KIND = Symbol.for("aoai-edge.middleware.kind");

/** The roles of built-in middleware that replace a default layer when a user passes them. */
export type BuiltinKind = "retry" | "timeout" | "auth";

/** Tags a built-in middleware with its role. */
export function tagBuiltin<M extends Middleware>(middleware: M, kind: BuiltinKind): M {
  Object.defineProperty(middleware, KIND, { value: kind });
  return middleware;
}

/** Reads the role tag of a middleware, if it is a built-in. */
export function builtinKind(middleware: Middleware): BuiltinKind | undefined {
  return (middleware as unknown as Record<symbol, BuiltinKind | undefined>)[KIND];
}
