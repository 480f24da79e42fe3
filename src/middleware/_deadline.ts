import type { MiddlewareContext } from "./types.ts";

/** `ctx.state` key under which `timeout()` records the call's total deadline (epoch ms). */
export const DEADLINE_STATE_KEY = "aoai-edge.deadline";

/** Reads the call's total deadline (epoch ms) recorded by `timeout({ totalTimeoutMs })`. */
export function callDeadline(ctx: MiddlewareContext): number | undefined {
  const value = ctx.state[DEADLINE_STATE_KEY];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}
