// The edge Worker in workerd (through miniflare) relays the upstream's `content-length` with a
// JSON reply it passes through byte for byte, so that a reply whose upstream connection is cut
// mid-body fails the client's read (workerd ends a failed body of no declared length cleanly:
// the client got the cut JSON as a whole-looking body). Whole replies carry a content-length
// that is right, or none: a gzip-encoded upstream reply (fetch decodes it, so its length is not
// the body's), one the cache rebuilds (float vectors from base64), a cache hit, an error the app
// builds, HEAD.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { cutJson, forward, frontServer } from "./_front_server.mjs";
import { startWorker } from "./_worker.mjs";

const KEY = "worker-json-length-key-01";
/** What the front server does with the next upstream request: cut it, gzip it, or pass it on. */
let mode = "whole";
let front;
let worker;

/**
 * node:http on 127.0.0.1 in front of the emulator: every answer with its `content-length`; in
 * mode "cut" a 200 JSON declaring its whole length whose body stops half-way (the socket
 * destroyed), in mode "gzip" the emulator's answer gzip-encoded.
 */
function lengthServer() {
  return frontServer(async (req, body, res) => {
    const now = mode;
    mode = "whole";
    if (now === "cut") return cutJson(res, true);
    const answer = await forward(worker.upstreamUrl, req, body);
    let bytes = Buffer.from(await answer.arrayBuffer());
    const out = Object.fromEntries(answer.headers);
    delete out["transfer-encoding"];
    if (now === "gzip") {
      bytes = gzipSync(bytes);
      out["content-encoding"] = "gzip";
    }
    out["content-length"] = String(bytes.length);
    res.writeHead(answer.status, out);
    res.end(bytes);
  });
}

before(async () => {
  front = await lengthServer();
  worker = await startWorker({
    bindings: { AOAI_EDGE_KEYS: KEY, AZURE_OPENAI_ENDPOINT: front.url },
    options: { kvNamespaces: ["AOAI_CACHE"], handleRuntimeStdio() {} },
  });
});

after(async () => {
  await worker?.close();
  await front?.close();
});

function post(path, json, key = KEY) {
  return worker.mf.dispatchFetch(`${worker.base}${path}`, {
    method: "POST",
    // Identity: miniflare compresses JSON for a client accepting gzip, as Cloudflare does, and
    // a compressed body ends cleanly when it fails (see the report of this test's commit).
    headers: { "api-key": key, "content-type": "application/json", "accept-encoding": "identity" },
    body: JSON.stringify(json),
  });
}

/** The body's bytes, after checking its content-length (when it has one) is their count. */
async function bytesOf(res, what) {
  const bytes = new Uint8Array(await res.arrayBuffer());
  const length = res.headers.get("content-length");
  if (length !== null) assert.equal(Number(length), bytes.length, `${what}: content-length`);
  return bytes;
}

const EMBEDDINGS = "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21";
const CHAT = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
const V1_CHAT = "/openai/v1/chat/completions";
const HI = [{ role: "user", content: "hi" }];

describe("edge worker: content-length of relayed JSON replies, in workerd", () => {
  test("a pass-through JSON reply cut mid-body fails the client's read", async () => {
    const cases = [
      [CHAT, { messages: HI }],
      [V1_CHAT, { model: "gpt-4o", messages: HI }],
      ["/openai/deployments/dall-e-3/images/generations?api-version=2024-10-21", {
        prompt: "a cat",
      }],
      // A miss of the embeddings cache: it reads the cut reply whole before answering.
      [EMBEDDINGS, { input: ["cut mid-body"] }],
    ];
    for (const [path, json] of cases) {
      mode = "cut";
      const res = await post(path, json);
      assert.equal(res.status, 200, path);
      const read = await res.text().then((text) => `a clean body: ${text}`, () => "failed");
      assert.equal(read, "failed", path);
    }
  });

  test("whole replies: a right content-length or none (pass-through, gzip-encoded upstream, rebuilt, hit, errors)", async () => {
    for (const encoding of ["whole", "gzip"]) {
      for (
        const [path, json] of [[CHAT, { messages: HI }], [V1_CHAT, {
          model: "gpt-4o",
          messages: HI,
        }]]
      ) {
        mode = encoding;
        const res = await post(path, json);
        assert.equal(res.status, 200, path);
        // Passed through as it came: its length declared (not for the gzip-encoded one).
        if (encoding === "whole") assert.ok(res.headers.has("content-length"), path);
        const text = new TextDecoder().decode(await bytesOf(res, `${encoding} ${path}`));
        assert.equal(JSON.parse(text).object, "chat.completion");
      }
      // A miss the cache rebuilds (float vectors from the base64 it asks for), then a hit.
      const input = { input: [`whole ${encoding}`] };
      mode = encoding;
      const miss = await post(EMBEDDINGS, input);
      assert.equal(miss.headers.get("x-aoai-cache"), "miss");
      const vectors = JSON.parse(new TextDecoder().decode(await bytesOf(miss, "miss")));
      assert.ok(Array.isArray(vectors.data[0].embedding));
      let hit;
      for (let i = 0; i < 50 && hit?.headers.get("x-aoai-cache") !== "hit"; i++) {
        await hit?.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, 10));
        hit = await post(EMBEDDINGS, input);
      }
      assert.equal(hit.headers.get("x-aoai-cache"), "hit");
      assert.deepEqual(
        JSON.parse(new TextDecoder().decode(await bytesOf(hit, "hit"))).data,
        vectors.data,
      );
    }
    // Errors: the upstream's (an unknown deployment), and the app's own (a wrong key).
    mode = "whole";
    const upstreamError = await post(
      "/openai/deployments/nope/chat/completions?api-version=2024-10-21",
      { messages: HI },
    );
    assert.equal(upstreamError.status, 404);
    JSON.parse(new TextDecoder().decode(await bytesOf(upstreamError, "404")));
    const appError = await post(CHAT, { messages: HI }, "wrong-key-000000000");
    assert.equal(appError.status, 401);
    JSON.parse(new TextDecoder().decode(await bytesOf(appError, "401")));
  });
});
