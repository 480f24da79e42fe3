// A stream waited for its first byte (another upstream being left to fail over to) is then relayed
// whole: every chunk after the first, as each arrives, up to its end.
import assert from "node:assert/strict";
import { azurePath, postJson } from "./_helpers.ts";
import { firstThenEmulator } from "./_first_upstream.ts";

Deno.test("a stream with several chunks from the first upstream reaches the client whole", async () => {
  const chunks = [
    'data: {"n":1}\n\n',
    'data: {"n":2}\n\n',
    'data: {"n":3}\n\n',
    "data: [DONE]\n\n",
  ];
  const { app } = firstThenEmulator(() => {
    const left = [...chunks];
    const encoder = new TextEncoder();
    return Promise.resolve(
      new Response(
        new ReadableStream<Uint8Array>({
          pull(c) {
            const next = left.shift();
            if (next === undefined) c.close();
            else c.enqueue(encoder.encode(next));
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      ),
    );
  });
  const res = await app.fetch(
    postJson(azurePath("gpt-4o", "chat/completions"), {
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    }),
  );
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("x-aoai-upstream"), "0");
  assert.equal(await res.text(), chunks.join(""));
});
