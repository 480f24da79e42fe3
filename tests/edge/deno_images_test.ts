import assert from "node:assert/strict";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";
import { keyText } from "./_helpers.ts";

Deno.test("serveEdge() with the built-in emulator returns image URLs the client can fetch", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const vars: Record<string, string> = { PORT: "0", AOAI_EDGE_KV_PATH: `${dir}/edge.kv` };
    const config = edgeConfigFromEnv((name) => vars[name]);
    const key = keyText(config.options.clientKeys[0]);
    await using server = await serveEdge(config);
    const res = await fetch(`${server.url}/v1/images/generations`, {
      method: "POST",
      headers: { "api-key": key, "content-type": "application/json" },
      body: JSON.stringify({ model: "dall-e-3", prompt: "a lighthouse" }),
    });
    assert.equal(res.status, 200);
    const url: string = (await res.json()).data[0].url;
    assert.ok(url.startsWith(`${server.url}/`), `image URL ${url} is not on ${server.url}`);
    const image = await fetch(url);
    assert.equal(image.status, 200);
    assert.equal(image.headers.get("content-type"), "image/png");
    const bytes = new Uint8Array(await image.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
