// Helpers of the edge Worker's chat stream tests: an event of a chat stream, and a streamed chat
// request to the Worker.

/** One `data:` event of a chat stream whose delta is `content`. */
export const chatChunk = (content) =>
  `data: ${
    JSON.stringify({
      id: "c1",
      object: "chat.completion.chunk",
      created: 1,
      model: "gpt-4o",
      choices: [{ index: 0, delta: { content }, finish_reason: null }],
    })
  }\n\n`;

/** A streamed chat request to `worker` (from startWorker) for `deployment`, with client key `key`. */
export function postChat(worker, deployment, key) {
  return worker.mf.dispatchFetch(
    `${worker.base}/openai/deployments/${deployment}/chat/completions?api-version=2024-10-21`,
    {
      method: "POST",
      headers: { "api-key": key, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], stream: true }),
    },
  );
}
