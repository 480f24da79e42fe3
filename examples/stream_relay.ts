// Relay a chat stream to a page and keep the reply: `deno run -A examples/stream_relay.ts`
import { type ChatCompletion, ChatCompletionStream } from "../mod.ts";
import { exampleClient } from "./_client.ts";

const client = exampleClient();
const saved: ChatCompletion[] = []; // stands in for your database
const pending: Promise<unknown>[] = []; // what `ctx.waitUntil()` keeps alive on an edge runtime

/** The server's handler: one branch of the stream goes to the page, the other is stored. */
async function handle(request: Request): Promise<Response> {
  const { question } = await request.json();
  const stream = await client.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: question }],
    stream: true,
    stream_options: { include_usage: true },
  });
  // tee() before any read: each branch gets every chunk, at its own pace, and the stored one
  // reads on when the page goes away.
  const [toPage, toStore] = stream.tee();
  pending.push(
    toStore.finalChatCompletion().then(
      (reply) => saved.push(reply),
      (err) => console.error("not stored:", err),
    ),
  );
  // JSON lines, one chunk per line: the page reads them with fromReadableStream(), ours or the
  // openai SDK's.
  return new Response(toPage.toReadableStream(), {
    headers: { "content-type": "application/x-ndjson" },
  });
}

// The page: `fetch("/chat", …)` in a browser; here the handler is called in memory.
const res = await handle(
  new Request("http://app.local/chat", {
    method: "POST",
    body: JSON.stringify({ question: "Tell me a short story about a lighthouse." }),
  }),
);
const page = ChatCompletionStream.fromReadableStream(res.body!);
const encoder = new TextEncoder();
for await (const chunk of page) {
  const text = chunk.choices[0]?.delta?.content;
  if (text) await Deno.stdout.write(encoder.encode(text));
}
const shown = await page.finalChatCompletion();
await Promise.all(pending);
const kept = saved[0];
console.log("\npage:", shown.choices[0].finish_reason, shown.usage?.total_tokens, "tokens");
console.log("stored:", kept.id, kept.choices[0].message.content?.length, "chars,", kept.usage);
console.log("same text:", kept.choices[0].message.content === shown.choices[0].message.content);
