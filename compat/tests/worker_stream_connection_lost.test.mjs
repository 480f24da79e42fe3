// A chat stream whose upstream connection is CUT inside an event (node:http writes one event and
// half of the next, then destroys the socket), in workerd through miniflare. workerd's fetch body
// then fails with a plain `Error: Network connection lost.` (a TypeError in Deno, Node and Bun):
// - the edge Worker's client never takes the cut reply as whole: the half event is ended, the
//   UpstreamStreamError event follows, then a clean end (as on Deno); the app reports the cut
//   through its onError, one `aoai-edge: chat: the upstream's stream broke …` line on stderr, and
//   its onRequest event (AOAI_EDGE_LOG_REQUESTS) says UpstreamStreamError;
// - this package's client used in a Worker rejects the read with APIConnectionError.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { listening } from "./_serve.mjs";
import { startWorker } from "./_worker.mjs";
import { chatChunk as CHUNK, postChat } from "./_chat_stream.mjs";

const COMPAT = fileURLToPath(new URL("..", import.meta.url));
const KEY = "worker-connection-lost-key-1";
const WHOLE = CHUNK("Hi");
const HALF = CHUNK(" there").slice(0, 40);
let cutter;
let worker;
let direct;
/** What the Worker printed (workerd's stdout and stderr). */
const printed = { out: "", err: "" };

/** node:http on 127.0.0.1: every request gets one event and half of the next, then a cut. */
function cuttingServer() {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(WHOLE + HALF, () => res.socket?.destroy());
    });
  });
  return listening(server);
}

/** A Worker that reads a raw chat stream of this package's client and answers what it got. */
const DIRECT_WORKER = `
import { AzureOpenAI } from "./.build/core.mjs";
export default {
  async fetch(request, env) {
    const client = new AzureOpenAI({ endpoint: env.UPSTREAM, apiKey: "k", apiVersion: "2024-10-21", maxRetries: 0 });
    const json = { messages: [{ role: "user", content: "hi" }], stream: true };
    const out = {};
    try {
      const res = await client.request({ path: "chat/completions", deployment: "gpt-4o", method: "POST", json, stream: true });
      await res.text();
      out.raw = "ended";
    } catch (err) {
      out.raw = err?.constructor?.name + ": " + err?.message;
    }
    try {
      const stream = await client.chat.completions.create({ model: "gpt-4o", ...json });
      for await (const _ of stream);
      out.stream = "ended";
    } catch (err) {
      out.stream = err?.constructor?.name + ": " + err?.message;
    }
    return Response.json(out);
  },
};
`;

before(async () => {
  cutter = await cuttingServer();
  worker = await startWorker({
    bindings: {
      AOAI_EDGE_KEYS: KEY,
      AZURE_OPENAI_ENDPOINT: cutter.url,
      AOAI_EDGE_LOG_REQUESTS: "1",
    },
    options: {
      handleRuntimeStdio(stdout, stderr) {
        stdout.on("data", (chunk) => printed.out += chunk);
        stderr.on("data", (chunk) => printed.err += chunk);
      },
    },
  });
  direct = new Miniflare({
    modules: [
      { type: "ESModule", path: `${COMPAT}direct_worker.mjs`, contents: DIRECT_WORKER },
      { type: "ESModule", path: `${COMPAT}.build/core.mjs` },
    ],
    modulesRoot: COMPAT,
    compatibilityDate: "2026-04-01",
    bindings: { UPSTREAM: cutter.url },
  });
});

after(async () => {
  await direct?.dispose();
  await worker?.close();
  await cutter?.close();
});

describe("a chat stream whose upstream connection is cut inside an event, in workerd", () => {
  test("the edge Worker's body ends with the UpstreamStreamError event; the cut is one onError line", async () => {
    const res = await postChat(worker, "gpt-4o", KEY);
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.ok(text.startsWith(WHOLE + HALF + "\n\n"), text);
    assert.match(text, /\n\ndata: \{"error":\{"code":"UpstreamStreamError"[^\n]*\n\n$/, text);
    // The report and the event come after the body ended: a few turns for workerd to print them.
    for (let i = 0; i < 200 && !/"error":"UpstreamStreamError"/.test(printed.out); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const reports = printed.err.split("\n").filter((line) => line.includes("aoai-edge: "));
    assert.equal(reports.length, 1, printed.err);
    assert.match(
      reports[0],
      /aoai-edge: chat: the upstream's stream broke before its end \(APIConnectionError: /,
    );
    assert.match(printed.out, /"error":"UpstreamStreamError"/, printed.out);
    assert.ok(!printed.err.includes(KEY) && !printed.out.includes(KEY));
  });

  test("this package's client in a Worker rejects the read with APIConnectionError", async () => {
    const out = await (await direct.dispatchFetch("http://direct.test/")).json();
    assert.match(out.raw, /^APIConnectionError: /, out.raw);
    assert.match(out.stream, /^APIConnectionError: /, out.stream);
  });
});
