/**
 * A gpt-image-1 deployment answers as Azure documents for it (how-to "Azure OpenAI image
 * generation models", learn.microsoft.com/azure/ai-foundry/openai/how-to/dall-e): n 1 to 10,
 * sizes 1024x1024 / 1536x1024 / 1024x1536 (and `auto`, as the SDK's ImageGenerateParams lists),
 * qualities low / medium / high / auto, images only as base64 (no URL option), with `usage`.
 * A dall-e-3 deployment keeps DALL-E 3's limits.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { post } from "../../src/emulator/_testing.ts";

const deployments = [
  { name: "img", model: "gpt-image-1" },
  { name: "d3", model: "dall-e-3" },
];
const PATH = "/openai/deployments/img/images/generations";
const VERSION = "2025-04-01-preview";
const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

Deno.test("gpt-image-1 takes n > 1, its sizes and qualities, and answers b64_json with usage", async () => {
  const e = createEmulator({ deployments });
  for (const size of ["1024x1024", "1536x1024", "1024x1536", "auto", undefined]) {
    for (const quality of ["low", "medium", "high", "auto", undefined]) {
      const res = await post(e, PATH, { prompt: "a lighthouse", n: 3, size, quality }, {
        apiVersion: VERSION,
      });
      const body = await res.json();
      const what = `${size} ${quality}: ${JSON.stringify(body).slice(0, 300)}`;
      assert.equal(res.status, 200, what);
      assert.equal(body.data.length, 3, what);
      for (const item of body.data) {
        assert.equal(item.url, undefined, what);
        assert.equal(item.revised_prompt, undefined, what);
        const bytes = Uint8Array.from(atob(item.b64_json), (c) => c.charCodeAt(0));
        assert.deepEqual(Array.from(bytes.subarray(0, 8)), PNG_SIGNATURE, what);
      }
      assert.equal(typeof body.usage.input_tokens, "number", what);
      assert.ok(body.usage.output_tokens > 0, what);
      assert.equal(
        body.usage.total_tokens,
        body.usage.input_tokens + body.usage.output_tokens,
        what,
      );
      assert.equal(body.usage.input_tokens_details.image_tokens, 0, what);
      assert.equal(body.usage.input_tokens_details.text_tokens, body.usage.input_tokens, what);
      assert.equal(body.output_format, "png", what);
      assert.equal(body.size, size === undefined || size === "auto" ? "1024x1024" : size, what);
      assert.equal(
        body.quality,
        quality === undefined || quality === "auto" ? "high" : quality,
        what,
      );
    }
  }
  // Ten images is the most; b64_json asked for explicitly is what it sends anyway.
  const ten = await post(e, PATH, { prompt: "x", n: 10, response_format: "b64_json" }, {
    apiVersion: VERSION,
  });
  assert.equal(ten.status, 200);
  assert.equal((await ten.json()).data.length, 10);
});

Deno.test("gpt-image-1 answers 400 naming the param for what it does not take", async () => {
  const e = createEmulator({ deployments });
  const cases: [Record<string, unknown>, string][] = [
    [{ prompt: "x", n: 11 }, "n"],
    [{ prompt: "x", n: 0 }, "n"],
    [{ prompt: "x", size: "1792x1024" }, "size"],
    [{ prompt: "x", size: "256x256" }, "size"],
    [{ prompt: "x", quality: "hd" }, "quality"],
    [{ prompt: "x", quality: "standard" }, "quality"],
    [{ prompt: "x", response_format: "url" }, "response_format"],
    [{ prompt: "x", output_format: "gif" }, "output_format"],
    [{ prompt: "x", output_compression: 101 }, "output_compression"],
    [{ prompt: "x", background: "green" }, "background"],
    [{ prompt: "x", moderation: "none" }, "moderation"],
    [{ prompt: "x".repeat(32_001) }, "prompt"],
  ];
  for (const [body, param] of cases) {
    const res = await post(e, PATH, body, { apiVersion: VERSION });
    const json = await res.json();
    assert.equal(res.status, 400, `${param}: ${JSON.stringify(json)}`);
    assert.equal(json.error.param, param, JSON.stringify(body).slice(0, 80));
  }
  // A prompt DALL-E 3 would refuse as too long is fine for gpt-image-1.
  const long = await post(e, PATH, { prompt: "x".repeat(32_000) }, { apiVersion: VERSION });
  assert.equal(long.status, 200);
});

Deno.test("dall-e-3 keeps DALL-E 3's n, sizes, qualities and url answers beside a gpt-image-1 deployment", async () => {
  const e = createEmulator({ deployments });
  const path = "/openai/deployments/d3/images/generations";
  for (
    const [body, param] of [
      [{ prompt: "x", n: 2 }, "n"],
      [{ prompt: "x", size: "1536x1024" }, "size"],
      [{ prompt: "x", quality: "low" }, "quality"],
    ] as const
  ) {
    const res = await post(e, path, body, { apiVersion: VERSION });
    assert.equal(res.status, 400, param);
    assert.equal((await res.json()).error.param, param);
  }
  const res = await post(e, path, { prompt: "x" }, { apiVersion: VERSION });
  const json = await res.json();
  assert.equal(res.status, 200);
  assert.match(json.data[0].url, /\/emulator\/images\/[0-9a-f]{8}\.png$/);
  assert.equal(json.usage, undefined);
});
