import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { embeddingVector } from "./embeddings.ts";
import { post } from "./_testing.ts";

const PATH = "/openai/deployments/text-embedding-3-small/embeddings";

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

function decode(b64: string): Float32Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

Deno.test("embeddings returns 1536-dim unit vectors, same text same vector, different text different", async () => {
  const e = createEmulator();
  const res = await post(e, PATH, { input: ["alpha", "beta", "alpha"] });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.object, "list");
  assert.equal(body.model, "text-embedding-3-small");
  assert.equal(body.data.length, 3);
  for (const [i, d] of body.data.entries()) {
    assert.equal(d.object, "embedding");
    assert.equal(d.index, i);
    assert.equal(d.embedding.length, 1536);
    assert.ok(Math.abs(norm(d.embedding) - 1) < 1e-5);
  }
  assert.deepEqual(body.data[0].embedding, body.data[2].embedding);
  assert.notDeepEqual(body.data[0].embedding, body.data[1].embedding);
  const again = await (await post(createEmulator(), PATH, { input: "alpha" })).json();
  assert.deepEqual(again.data[0].embedding, body.data[0].embedding);
});

Deno.test("embeddings differ across deployments for the same text", async () => {
  const e = createEmulator({
    deployments: [
      { name: "a", model: "text-embedding-3-small" },
      { name: "b", model: "text-embedding-3-small" },
    ],
  });
  const a = await (await post(e, "/openai/deployments/a/embeddings", { input: "x" })).json();
  const b = await (await post(e, "/openai/deployments/b/embeddings", { input: "x" })).json();
  assert.notDeepEqual(a.data[0].embedding, b.data[0].embedding);
});

Deno.test("embeddings honours dimensions and defaults to 3072 for text-embedding-3-large", async () => {
  const e = createEmulator({ deployments: [{ name: "large", model: "text-embedding-3-large" }] });
  const full = await (await post(e, "/openai/deployments/large/embeddings", { input: "x" })).json();
  assert.equal(full.data[0].embedding.length, 3072);
  const short = await (await post(e, "/openai/deployments/large/embeddings", {
    input: "x",
    dimensions: 256,
  })).json();
  assert.equal(short.data[0].embedding.length, 256);
  assert.ok(Math.abs(norm(short.data[0].embedding) - 1) < 1e-5);
  const tooMany = await post(e, "/openai/deployments/large/embeddings", {
    input: "x",
    dimensions: 4000,
  });
  assert.equal(tooMany.status, 400);
  assert.equal((await tooMany.json()).error.param, "dimensions");
});

Deno.test("embeddings rejects dimensions on models before text-embedding-3", async () => {
  const e = createEmulator({ deployments: [{ name: "ada", model: "text-embedding-ada-002" }] });
  const res = await post(e, "/openai/deployments/ada/embeddings", { input: "x", dimensions: 8 });
  assert.equal(res.status, 400);
  assert.equal((await res.json()).error.param, "dimensions");
});

Deno.test("embeddings encodes base64 as little-endian float32 of the same vector", async () => {
  const e = createEmulator();
  const f = await (await post(e, PATH, { input: "hello" })).json();
  const b = await (await post(e, PATH, { input: "hello", encoding_format: "base64" })).json();
  assert.equal(typeof b.data[0].embedding, "string");
  const decoded = decode(b.data[0].embedding);
  assert.equal(decoded.length, 1536);
  assert.deepEqual(Array.from(decoded), f.data[0].embedding);
  assert.ok(Math.abs(norm(decoded) - 1) < 1e-5);
});

Deno.test("embeddings accepts token arrays and counts usage deterministically", async () => {
  const e = createEmulator();
  // Token ids are not in the stored documents' input schema (2024-10-21 and older): a later version.
  const apiVersion = "2024-12-01-preview";
  const tokens = await (await post(e, PATH, { input: [1, 2, 3] }, { apiVersion })).json();
  assert.equal(tokens.data.length, 1);
  assert.deepEqual(tokens.usage, { prompt_tokens: 3, total_tokens: 3 });
  const many = await (await post(e, PATH, { input: [[1, 2], [3, 4, 5]] }, { apiVersion })).json();
  assert.equal(many.data.length, 2);
  assert.equal(many.usage.prompt_tokens, 5);
  const text = await (await post(e, PATH, { input: ["hello world", "abcdefghi"] })).json();
  // "hell" "o" " wor" "ld" + "abcd" "efgh" "i"
  assert.equal(text.usage.prompt_tokens, 4 + 3);
});

Deno.test("embeddings answers 400 naming input when input is missing, empty or too long", async () => {
  const e = createEmulator();
  const cases: unknown[] = [
    {},
    { input: "" },
    { input: [] },
    { input: [""] },
    { input: [1, "a"] },
    {
      input: Array.from({ length: 2049 }, () => "a"),
    },
  ];
  for (const body of cases) {
    const res = await post(e, PATH, body);
    assert.equal(res.status, 400, JSON.stringify(body).slice(0, 40));
    const err = (await res.json()).error;
    assert.equal(err.param, "input");
    assert.equal(err.type, "invalid_request_error");
  }
  const ok = await post(e, PATH, { input: Array.from({ length: 2048 }, (_, i) => `t${i}`) });
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).data.length, 2048);
});

Deno.test("embeddingVector() matches what the endpoint returns", async () => {
  const e = createEmulator();
  const body = await (await post(e, PATH, { input: "predict me", dimensions: 64 })).json();
  assert.deepEqual(
    Array.from(embeddingVector("text-embedding-3-small", "predict me", 64)),
    body.data[0].embedding,
  );
});

Deno.test("embeddings of a token array differ from those of the string of its ids (token ids and text are keyed apart)", async () => {
  const e = createEmulator();
  // Versions that take token ids: one without a stored document, and the v1 API.
  const send = (input: unknown, apiVersion: string, encoding_format = "float") =>
    apiVersion === "v1"
      ? post(e, "/openai/v1/embeddings", {
        input,
        encoding_format,
        model: "text-embedding-3-small",
      })
      : post(e, PATH, { input, encoding_format }, { apiVersion });
  for (const apiVersion of ["2024-12-01-preview", "v1"]) {
    for (const format of ["float", "base64"]) {
      const what = `${apiVersion} ${format}`;
      const text = await (await send("1,2,3", apiVersion, format)).json();
      const ids = await (await send([1, 2, 3], apiVersion, format)).json();
      assert.notDeepEqual(ids.data[0].embedding, text.data[0].embedding, what);
      // string[] and integer[][] (an array mixing both is refused).
      const texts = await (await send(["1,2,3", "1"], apiVersion, format)).json();
      const arrays = await (await send([[1, 2, 3], [1]], apiVersion, format)).json();
      const vectors = [texts.data[0], arrays.data[0], texts.data[1], arrays.data[1]]
        .map((d) => d.embedding);
      assert.deepEqual(vectors[0], text.data[0].embedding, what);
      assert.deepEqual(vectors[1], ids.data[0].embedding, what);
      assert.notDeepEqual(vectors[2], vectors[3], what);
      for (const v of vectors) {
        const floats = typeof v === "string" ? decode(v) : v;
        assert.ok(Math.abs(norm(floats) - 1) < 1e-5, what);
      }
      // Deterministic: another emulator returns the same vector for the same ids.
      const again = await (await post(createEmulator(), PATH, { input: [1, 2, 3] }, {
        apiVersion: "2024-12-01-preview",
      })).json();
      const floats = typeof ids.data[0].embedding === "string"
        ? Array.from(decode(ids.data[0].embedding))
        : ids.data[0].embedding;
      assert.deepEqual(again.data[0].embedding, floats, what);
    }
  }
  assert.deepEqual(
    Array.from(embeddingVector("text-embedding-3-small", [1, 2, 3], 1536)),
    (await (await send([1, 2, 3], "v1")).json()).data[0].embedding,
  );
});
