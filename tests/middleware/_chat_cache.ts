// A chat call through cache() with chat caching on, for the chat cache tests.
import { cache } from "../../src/middleware/cache.ts";
import { compose } from "../../src/middleware/compose.ts";
import type { CacheStore } from "../../src/cache/types.ts";
import { makeContext } from "./_context.ts";

/** An Azure chat completions URL. */
export const CHAT =
  "https://res.openai.azure.com/openai/deployments/gpt/chat/completions?api-version=2024-10-21";

/**
 * POSTs `body` (as JSON) to `CHAT` through `cache({ store, chat: true })` whose upstream answers
 * `answer` (as JSON); the response and how many times the upstream was called.
 */
export async function cachedChat(
  store: CacheStore,
  body: unknown,
  answer: unknown,
): Promise<{ res: Response; calls: number }> {
  let calls = 0;
  const ctx = makeContext({
    request: new Request(CHAT, {
      method: "POST",
      body: JSON.stringify(body),
      headers: { "content-type": "application/json" },
    }),
  });
  const res = await compose([cache({ store, chat: true })], () => {
    calls++;
    return Promise.resolve(Response.json(answer));
  })(ctx);
  return { res, calls };
}
