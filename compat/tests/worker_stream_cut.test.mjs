// The edge Worker (edge/worker.ts bundled by compat/worker/build.sh) in workerd through miniflare,
// in front of an upstream (node:http on 127.0.0.1) that closes a chat stream cleanly before its
// `data: [DONE]`: the client's body keeps what was relayed and ends with the UpstreamStreamError
// event, so an SDK does not take the cut reply as whole; a stream with its [DONE] is relayed as is.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startWorker } from "./_worker.mjs";
import { chatChunk as CHUNK, postChat } from "./_chat_stream.mjs";

const KEY = "worker-stream-cut-key-1";
const RELAYED = CHUNK("Hi") + CHUNK(" there");
let worker;

/** An event stream of `text`, in two pieces split inside an event, then a clean close. */
function eventStream(text) {
  const bytes = new TextEncoder().encode(text);
  return new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(bytes.slice(0, 7));
        controller.enqueue(bytes.slice(7));
        controller.close();
      },
    }),
    { headers: { "content-type": "text/event-stream" } },
  );
}

before(async () => {
  worker = await startWorker({
    bindings: { AOAI_EDGE_KEYS: KEY },
    reply(request) {
      const path = new URL(request.url).pathname;
      if (path.includes("/deployments/cut-chat/")) return eventStream(RELAYED);
      if (path.includes("/deployments/whole-chat/")) {
        return eventStream(RELAYED + "data: [DONE]\n\n");
      }
      return undefined;
    },
  });
});

after(async () => {
  await worker?.close();
});

const chat = (deployment) => postChat(worker, deployment, KEY);

describe("edge worker: a chat stream cut before data: [DONE] in workerd (miniflare)", () => {
  test("the body keeps the relayed events and ends with the UpstreamStreamError event", async () => {
    const res = await chat("cut-chat");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
    const text = await res.text();
    assert.ok(text.startsWith(RELAYED), text);
    const last = text.slice(RELAYED.length);
    assert.match(last, /^data: \{"error":\{"code":"UpstreamStreamError"/, last);
    assert.ok(last.endsWith("\n\n"), last);
    assert.equal(last.split("\n\n").length, 2, last);
    assert.ok(!text.includes("[DONE]"), text);
  });

  test("a stream that ends with its data: [DONE] is relayed as it came", async () => {
    const res = await chat("whole-chat");
    assert.equal(res.status, 200);
    assert.equal(await res.text(), RELAYED + "data: [DONE]\n\n");
  });
});
