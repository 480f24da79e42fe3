// A JSON reply whose upstream connection is CUT mid-body (node:http sends the headers and half of
// the JSON, then destroys the socket), relayed by the edge Worker in workerd through miniflare:
// embeddings (a cache miss, with AOAI_CACHE), chat without stream, images and a /openai/v1 route.
// - the app reports each cut through its onError, one `aoai-edge: <route>: the upstream's reply
//   broke before its end (…)` line on stderr, with no key in it (none before: only workerd's own
//   uncaught-exception line);
// - the client never gets a reply it can parse: workerd (through miniflare) ends a failed body
//   cleanly, so what it gets is the cut JSON or nothing, never JSON;
// - the cut embeddings are not stored: the same input, answered whole, is a miss, then a hit.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { cutJson, forward, frontServer } from "./_front_server.mjs";
import { startWorker } from "./_worker.mjs";

const KEY = "worker-json-cut-key-0001";
const printed = { out: "", err: "" };
/** How many of the next upstream requests the cutter cuts; the emulator answers the others. */
let cuts = 0;
let cutter;
let worker;

/**
 * node:http on 127.0.0.1: a request to cut gets a 200 JSON whose body stops half-way (the socket
 * destroyed once that half is written); another goes to the emulator behind the Worker.
 */
function cuttingServer() {
  return frontServer(async (req, body, res) => {
    if (cuts > 0) {
      cuts--;
      return cutJson(res);
    }
    const answer = await forward(worker.upstreamUrl, req, body);
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
}

before(async () => {
  cutter = await cuttingServer();
  worker = await startWorker({
    bindings: { AOAI_EDGE_KEYS: KEY, AZURE_OPENAI_ENDPOINT: cutter.url },
    options: {
      kvNamespaces: ["AOAI_CACHE"],
      handleRuntimeStdio(stdout, stderr) {
        stdout.on("data", (chunk) => printed.out += chunk);
        stderr.on("data", (chunk) => printed.err += chunk);
      },
    },
  });
});

after(async () => {
  await worker?.close();
  await cutter?.close();
});

function post(path, json) {
  return worker.mf.dispatchFetch(`${worker.base}${path}`, {
    method: "POST",
    headers: { "api-key": KEY, "content-type": "application/json" },
    body: JSON.stringify(json),
  });
}

/** The `aoai-edge: ` lines printed so far. */
const reports = () => printed.err.split("\n").filter((line) => line.includes("aoai-edge: "));

/** Waits (a few ticks, 200 at most) until `count` report lines were printed. */
async function reported(count) {
  for (let i = 0; i < 200 && reports().length < count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return reports();
}

const CASES = [
  ["embeddings", "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21", {
    input: ["cut input"],
  }],
  ["chat", "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", {
    messages: [{ role: "user", content: "hi" }],
  }],
  ["images", "/openai/deployments/dall-e-3/images/generations?api-version=2024-10-21", {
    prompt: "a cat",
  }],
  ["chat", "/openai/v1/chat/completions", {
    model: "gpt-4o",
    messages: [{ role: "user", content: "hi" }],
  }],
];

describe("edge worker: a JSON reply whose upstream connection is cut mid-body, in workerd", () => {
  test("each cut is one masked onError line, and the client gets no reply it can parse", async () => {
    for (const [route, path, json] of CASES) {
      const before = reports().length;
      cuts = 1;
      const res = await post(path, json);
      assert.equal(res.status, 200, path);
      let text;
      try {
        text = await res.text();
      } catch {
        text = undefined; // a failed read: what a runtime that fails the body gives
      }
      if (text !== undefined) {
        assert.throws(() => JSON.parse(text), SyntaxError, `${path}: ${text}`);
      }
      const lines = (await reported(before + 1)).slice(before);
      assert.equal(lines.length, 1, `${path}:\n${printed.err}`);
      assert.match(
        lines[0],
        new RegExp(
          `aoai-edge: ${route}: the upstream's reply broke before its end \\(APIConnectionError: `,
        ),
        path,
      );
    }
    assert.equal(cuts, 0);
    assert.ok(!printed.err.includes(KEY) && !printed.out.includes(KEY));
    assert.ok(!printed.err.includes("azure-upstream-key"));
  });

  test("cut embeddings are not stored: the same input answered whole is a miss, then a hit", async () => {
    const path = "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21";
    const input = { input: ["stored only whole"] };
    cuts = 1;
    const cut = await post(path, input);
    await cut.text().catch(() => {});
    // The KV write of a miss is left to ctx.waitUntil: a few ticks for it.
    const whole = await post(path, input);
    assert.equal(whole.headers.get("x-aoai-cache"), "miss");
    assert.equal((await whole.json()).data.length, 1);
    let hit;
    for (let i = 0; i < 50; i++) {
      const again = await post(path, input);
      hit = again.headers.get("x-aoai-cache");
      await again.body?.cancel();
      if (hit === "hit") break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal(hit, "hit");
  });
});
