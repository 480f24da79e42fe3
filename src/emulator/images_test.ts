import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { BASE, post } from "./_testing.ts";

const PATH = "/openai/deployments/dall-e-3/images/generations";
const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

Deno.test("images returns a url served by the emulator as a PNG, with revised_prompt and filter results", async () => {
  const e = createEmulator();
  const res = await post(e, PATH, {
    prompt: "a cat",
    size: "1024x1024",
    quality: "hd",
    style: "natural",
  });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(typeof body.created, "number");
  assert.equal(body.data.length, 1);
  const item = body.data[0];
  assert.match(item.url, /^http:\/\/emulator\.test\/emulator\/images\/[0-9a-f]{8}\.png$/);
  assert.match(item.revised_prompt, /a cat/);
  assert.equal(item.prompt_filter_results.profanity.detected, false);
  assert.equal(item.content_filter_results.sexual.severity, "safe");
  const image = await e.fetch(item.url);
  assert.equal(image.status, 200);
  assert.equal(image.headers.get("content-type"), "image/png");
  const bytes = new Uint8Array(await image.arrayBuffer());
  assert.deepEqual(Array.from(bytes.subarray(0, 8)), PNG_SIGNATURE);
  assert.equal((await e.fetch(`${BASE}/emulator/images/zz.png`)).status, 404);
});

Deno.test("images returns b64_json of the same PNG the url serves", async () => {
  const e = createEmulator();
  const url = (await (await post(e, PATH, { prompt: "same" })).json()).data[0].url;
  const b64 = (await (await post(e, PATH, { prompt: "same", response_format: "b64_json" })).json())
    .data[0].b64_json;
  const fromUrl = new Uint8Array(await (await e.fetch(url)).arrayBuffer());
  const decoded = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  assert.deepEqual(decoded, fromUrl);
});

Deno.test("images answers 400 naming the param for dall-e-3 n != 1, bad size and missing prompt", async () => {
  const e = createEmulator();
  const cases: [unknown, string][] = [
    [{ prompt: "x", n: 2 }, "n"],
    [{ prompt: "x", size: "256x256" }, "size"],
    [{}, "prompt"],
    [{ prompt: "" }, "prompt"],
    [{ prompt: "x", quality: "ultra" }, "quality"],
    [{ prompt: "x", style: "odd" }, "style"],
    [{ prompt: "x", response_format: "jpeg" }, "response_format"],
  ];
  for (const [body, param] of cases) {
    const res = await post(e, PATH, body);
    assert.equal(res.status, 400, param);
    assert.equal((await res.json()).error.param, param);
  }
});

Deno.test("images answers the DALL-E content policy error for the trigger word", async () => {
  const e = createEmulator();
  const res = await post(e, PATH, { prompt: "__content_filter__" });
  assert.equal(res.status, 400);
  const { error } = await res.json();
  assert.equal(error.code, "content_policy_violation");
  assert.equal(error.inner_error.code, "ResponsibleAIPolicyViolation");
  assert.equal(error.inner_error.content_filter_results.violence.filtered, true);
  assert.equal(typeof error.inner_error.revised_prompt, "string");
  // DALL-E 2 does not revise prompts: its error has none either.
  const d2 = createEmulator({ deployments: [{ name: "d2", model: "dall-e-2" }] });
  const refused = await post(d2, "/openai/deployments/d2/images/generations", {
    prompt: "__content_filter__",
  }, { apiVersion: "2024-06-01" });
  const inner = (await refused.json()).error.inner_error;
  assert.equal(inner.code, "ResponsibleAIPolicyViolation");
  assert.equal("revised_prompt" in inner, false);
});

Deno.test("images on a dall-e-2 deployment allows n up to 10 and small sizes, without revised_prompt", async () => {
  const e = createEmulator({ deployments: [{ name: "d2", model: "dall-e-2" }] });
  // On an api-version without a stored document: the three documents set `n` maximum 1
  // (tests/emulator/images_n_test.ts), and 2024-02-01's and 2024-10-21's size enums lack 256x256.
  const body = await (await post(e, "/openai/deployments/d2/images/generations", {
    prompt: "x",
    n: 3,
    size: "256x256",
  }, { apiVersion: "2024-06-01" })).json();
  assert.equal(body.data.length, 3);
  assert.equal(new Set(body.data.map((d: { url: string }) => d.url)).size, 3);
  assert.equal(body.data[0].revised_prompt, undefined);
});

Deno.test("images on a dall-e-2 deployment answer 400 naming quality / style outside the enums", async () => {
  // imageGenerationsRequest lists quality and style for every model; the enums hold for DALL-E 2.
  const e = createEmulator({ deployments: [{ name: "d2", model: "dall-e-2" }] });
  for (const apiVersion of ["2024-05-01-preview", "2024-10-21", "2024-06-01"]) {
    for (const [param, value] of [["quality", "ultra"], ["quality", ["hd"]], ["style", "weird"]]) {
      const res = await post(e, "/openai/deployments/d2/images/generations", {
        prompt: "x",
        [param as string]: value,
      }, { apiVersion });
      assert.equal(res.status, 400, `${apiVersion} ${param}=${JSON.stringify(value)}`);
      assert.equal((await res.json()).error.param, param);
    }
    const ok = await post(e, "/openai/deployments/d2/images/generations", {
      prompt: "x",
      quality: "standard",
      style: "natural",
    }, { apiVersion });
    assert.equal(ok.status, 200);
    await ok.body?.cancel();
  }
});

Deno.test("images: quality / style null mean the default where no stored document refuses null", async () => {
  const e = createEmulator({
    deployments: [{ name: "d2", model: "dall-e-2" }, { name: "d3", model: "dall-e-3" }],
  });
  for (const d of ["d2", "d3"]) {
    const path = `/openai/deployments/${d}/images/generations`;
    for (const param of ["quality", "style"]) {
      const ok = await post(e, path, { prompt: "x", [param]: null }, { apiVersion: "2024-06-01" });
      assert.equal(ok.status, 200, `${path} ${param}`);
      await ok.body?.cancel();
      // The stored documents' imageQuality / imageStyle are not nullable.
      const res = await post(e, path, { prompt: "x", [param]: null }, { apiVersion: "2024-10-21" });
      assert.equal(res.status, 400, `${path} ${param} 2024-10-21`);
      assert.match((await res.json()).error.message, /must not be null/);
    }
  }
});
