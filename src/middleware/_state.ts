/** `ctx.state` key where `cache()` records `"hit" | "miss" | "partial"` for outer layers. */
export const CACHE_STATE_KEY = "aoai-edge.cache";

/** `ctx.state` key the edge app (or you) may set to the platform's `waitUntil` function. */
export const WAIT_UNTIL_STATE_KEY = "waitUntil";
