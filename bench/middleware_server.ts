/// <reference lib="deno.worker" />
/**
 * Worker for `middleware_bench.ts`: serves a small chat completion JSON on 127.0.0.1 (random
 * port) from its own thread, so the bench measures the client side only. Posts `{ port }` back.
 * @module
 */
const BODY = JSON.stringify({
  id: "chatcmpl-bench",
  object: "chat.completion",
  created: 1,
  model: "gpt-4o",
  choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
});

self.onmessage = () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    async (req) => {
      await req.arrayBuffer();
      return new Response(BODY, {
        headers: { "content-type": "application/json", "apim-request-id": "bench" },
      });
    },
  );
  self.postMessage({ port: server.addr.port });
};
