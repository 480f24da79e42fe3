/**
 * Values the stored spec documents refuse and the emulator used to take: `null` for fields whose
 * schema is not nullable (per api-version). Each refused body is checked against the document first,
 * and each accepted one too, so the cases follow the documents, not the emulator.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { type SpecVersion, validateRequestBody } from "../helpers/spec_schema.ts";
import { call } from "./_version_paths.ts";

const DEPLOYMENT: Record<string, string> = {
  "chat/completions": "gpt-4o",
  completions: "gpt-35-turbo-instruct",
  embeddings: "text-embedding-3-small",
  "images/generations": "dall-e-3",
};
const BASE_BODY: Record<string, Record<string, unknown>> = {
  "chat/completions": { messages: [{ role: "user", content: "hi" }] },
  completions: { prompt: "x" },
  embeddings: { input: "x" },
  "images/generations": { prompt: "x" },
};

/**
 * Sends the base body of `op` plus `{ [field]: null }` at `version`: `refused` fields must answer
 * 400 naming the field (and the document must refuse them), `accepted` ones 200.
 */
async function nulls(
  version: SpecVersion,
  op: string,
  refused: string[],
  accepted: string[],
  specAccepts = true,
): Promise<void> {
  const e = createEmulator();
  for (const [fields, ok] of [[refused, false], [accepted, true]] as const) {
    for (const field of fields) {
      const body = { ...BASE_BODY[op], [field]: null };
      const what = `${version} ${op} ${field}: null`;
      const specErrors = validateRequestBody(version, `/deployments/x/${op}`, "POST", body);
      if (!ok) assert.notDeepEqual(specErrors, [], what);
      else if (specAccepts) assert.deepEqual(specErrors, [], what);
      const res = await call(e, `/deployments/${DEPLOYMENT[op]}/${op}`, version, { body });
      const json = await res.json();
      assert.equal(res.status, ok ? 200 : 400, `${what}: ${JSON.stringify(json).slice(0, 200)}`);
      if (!ok) {
        assert.equal(json.error.param, field, what);
        assert.equal(json.error.type, "invalid_request_error", what);
      }
    }
  }
}

const CHAT_ALWAYS = ["user", "data_sources", "response_format", "tools", "tool_choice"];
const CHAT_FUNCTIONS = ["functions", "function_call"];

Deno.test("chat answers 400 for null in a field the version's schema does not make nullable", async () => {
  for (const version of ["2024-02-01", "2024-05-01-preview"] as const) {
    await nulls(version, "chat/completions", [
      ...CHAT_ALWAYS,
      ...CHAT_FUNCTIONS,
      "max_tokens",
      "presence_penalty",
      "frequency_penalty",
    ], ["temperature", "top_p", "stream", "stop", "logit_bias", "n", "seed"]);
  }
  await nulls("2024-05-01-preview", "chat/completions", [], ["logprobs", "top_logprobs"]);
  await nulls("2024-10-21", "chat/completions", [...CHAT_ALWAYS, ...CHAT_FUNCTIONS], [
    "temperature",
    "top_p",
    "stream",
    "stop",
    "logit_bias",
    "n",
    "seed",
    "logprobs",
    "top_logprobs",
    "max_completion_tokens",
    "parallel_tool_calls",
  ]);
  // 2024-10-21 marks these nullable in createChatCompletionRequest, while the
  // chatCompletionsRequestCommon it is allOf'd with does not: the explicit mark wins.
  await nulls("2024-10-21", "chat/completions", [], [
    "max_tokens",
    "presence_penalty",
    "frequency_penalty",
  ], false);
});

Deno.test("completions answers 400 for null in a field the version's schema does not make nullable", async () => {
  const always = ["temperature", "top_p", "n", "stream", "logprobs", "suffix", "echo", "stop"];
  for (const version of ["2024-02-01", "2024-05-01-preview"] as const) {
    await nulls(version, "completions", [
      "user",
      "logit_bias",
      "presence_penalty",
      "frequency_penalty",
      "best_of",
    ], [...always, "prompt", "max_tokens"]);
  }
  await nulls("2024-10-21", "completions", ["user"], [
    ...always,
    "prompt",
    "max_tokens",
    "logit_bias",
    "presence_penalty",
    "frequency_penalty",
    "best_of",
    "seed",
  ]);
});

Deno.test("embeddings answers 400 for a null user or input_type; dimensions and encoding_format take null", async () => {
  await nulls("2024-02-01", "embeddings", ["user", "input_type"], []);
  for (const version of ["2024-05-01-preview", "2024-10-21"] as const) {
    await nulls(version, "embeddings", ["user", "input_type"], ["dimensions", "encoding_format"]);
  }
});

Deno.test("images answers 400 for null n, size, response_format, user, quality or style", async () => {
  for (const version of ["2024-02-01", "2024-05-01-preview", "2024-10-21"] as const) {
    await nulls(
      version,
      "images/generations",
      ["n", "size", "response_format", "user", "quality", "style"],
      [],
    );
  }
});

Deno.test("versions without a stored document still take null for those fields", async () => {
  const e = createEmulator();
  for (const [op, field] of [["chat/completions", "user"], ["images/generations", "size"]]) {
    const body = { ...BASE_BODY[op], [field]: null };
    const res = await call(e, `/deployments/${DEPLOYMENT[op]}/${op}`, "2024-12-01-preview", {
      body,
    });
    assert.equal(res.status, 200, `${op} ${field}`);
    await res.body?.cancel();
  }
});

Deno.test("chat answers 400 naming messages[i].role for a developer message where the document has no such role", async () => {
  const e = createEmulator();
  const body = {
    messages: [{ role: "user", content: "hi" }, { role: "developer", content: "be brief" }],
  };
  for (const version of ["2024-02-01", "2024-05-01-preview", "2024-10-21"] as const) {
    const specErrors = validateRequestBody(
      version,
      "/deployments/x/chat/completions",
      "POST",
      body,
    );
    assert.notDeepEqual(specErrors, [], version);
    const res = await call(e, "/deployments/gpt-4o/chat/completions", version, { body });
    assert.equal(res.status, 400, version);
    const { error } = await res.json();
    assert.equal(error.param, "messages[1].role", version);
    assert.equal(error.type, "invalid_request_error", version);
    assert.doesNotMatch(error.message, /developer/, version);
  }
  // Versions without a stored document (developer arrived with the 2024-12-01-preview) take it.
  for (const version of ["2024-12-01-preview", "2025-01-01-preview"]) {
    const res = await call(e, "/deployments/gpt-4o/chat/completions", version, { body });
    assert.equal(res.status, 200, version);
    await res.body?.cancel();
  }
});

const TOKEN_IDS: [string, string, string][] = [
  ["embeddings", "input", "text-embedding-3-small"],
  ["completions", "prompt", "gpt-35-turbo-instruct"],
];

Deno.test("embeddings input and completions prompt of token ids answer 400 where the document lists only strings", async () => {
  const e = createEmulator();
  for (const [op, field, deployment] of TOKEN_IDS) {
    for (const version of ["2024-02-01", "2024-05-01-preview", "2024-10-21"] as const) {
      for (const value of [[1, 2, 3], [[1, 2], [3]], ["a", [1]]]) {
        const body = { [field]: value };
        const what = `${version} ${op} ${JSON.stringify(body)}`;
        const specErrors = validateRequestBody(version, `/deployments/x/${op}`, "POST", body);
        assert.notDeepEqual(specErrors, [], what);
        const res = await call(e, `/deployments/${deployment}/${op}`, version, { body });
        assert.equal(res.status, 400, what);
        const { error } = await res.json();
        assert.equal(error.param, field, what);
        assert.equal(error.type, "invalid_request_error", what);
      }
    }
  }
});

Deno.test("versions without a stored document take token ids; their embeddings are deterministic unit vectors", async () => {
  const e = createEmulator();
  const V = "2024-12-01-preview";
  const post = (op: string, deployment: string, body: unknown) =>
    call(e, `/deployments/${deployment}/${op}`, V, { body });
  const one = await (await post("embeddings", "text-embedding-3-small", { input: [5, 6, 7] }))
    .json();
  const two = await (await post("embeddings", "text-embedding-3-small", {
    input: [[5, 6, 7], [8]],
  })).json();
  assert.equal(two.data.length, 2);
  assert.deepEqual(two.data[0].embedding, one.data[0].embedding);
  assert.notDeepEqual(two.data[1].embedding, one.data[0].embedding);
  for (const { embedding } of two.data) {
    const norm = Math.sqrt(embedding.reduce((s: number, x: number) => s + x * x, 0));
    assert.ok(Math.abs(norm - 1) < 1e-5, String(norm));
  }
  assert.deepEqual(two.usage, { prompt_tokens: 4, total_tokens: 4 });
  const completion = await post("completions", "gpt-35-turbo-instruct", { prompt: [[1, 2], [3]] });
  assert.equal(completion.status, 200);
  assert.equal((await completion.json()).choices.length, 2);
});

Deno.test("DALL-E 3 generations answer 400 naming size for a size outside the document's enum", async () => {
  const e = createEmulator();
  const send = (version: string, size: unknown) =>
    call(e, "/deployments/dall-e-3/images/generations", version, { body: { prompt: "x", size } });
  for (const version of ["2024-02-01", "2024-05-01-preview", "2024-10-21"] as const) {
    for (const size of [["1024x1024"], [["1792x1024"]], "1024X1024", "2048x2048", 1024]) {
      const what = `${version} ${JSON.stringify(size)}`;
      const specErrors = validateRequestBody(
        version,
        "/deployments/x/images/generations",
        "POST",
        { prompt: "x", size },
      );
      assert.notDeepEqual(specErrors, [], what);
      const res = await send(version, size);
      assert.equal(res.status, 400, what);
      assert.equal((await res.json()).error.param, "size", what);
    }
    for (const size of ["1024x1024", "1792x1024", "1024x1792"]) {
      const res = await send(version, size);
      assert.equal(res.status, 200, `${version} ${size}`);
      await res.body?.cancel();
    }
  }
  // 2024-05-01-preview's imageSize enum also lists 256x256 and 512x512, described as
  // "Only supported for dall-e-2": a DALL-E 3 deployment refuses them.
  for (const size of ["256x256", "512x512"]) {
    const res = await send("2024-05-01-preview", size);
    assert.equal(res.status, 400, size);
    assert.equal((await res.json()).error.param, "size", size);
  }
});

Deno.test("DALL-E 3 generations answer 400 for a quality or style that is not one of the enumerated strings", async () => {
  const e = createEmulator();
  for (const [field, value] of [["quality", ["hd"]], ["style", ["vivid"]], ["quality", "HD"]]) {
    const body = { prompt: "x", [field as string]: value };
    const what = JSON.stringify(body);
    const path = "/deployments/x/images/generations";
    assert.notDeepEqual(validateRequestBody("2024-10-21", path, "POST", body), [], what);
    const res = await call(e, "/deployments/dall-e-3/images/generations", "2024-10-21", { body });
    assert.equal(res.status, 400, what);
    assert.equal((await res.json()).error.param, field, what);
  }
});

Deno.test("DALL-E 2 generations answer 400 naming size for 256x256 and 512x512 where the document's enum lacks them", async () => {
  // kindOfModel() reads the model name case-insensitively; both deployments are DALL-E 2.
  const e = createEmulator({
    deployments: [{ name: "d2", model: "dall-e-2" }, { name: "D2", model: "DALL-E-2" }],
  });
  const path = "/deployments/x/images/generations";
  for (const deployment of ["d2", "D2"]) {
    const send = (version: string, size: string) =>
      call(e, `/deployments/${deployment}/images/generations`, version, {
        body: { prompt: "x", size },
      });
    for (const size of ["256x256", "512x512"]) {
      for (const version of ["2024-02-01", "2024-10-21"] as const) {
        const what = `${deployment} ${version} ${size}`;
        assert.notDeepEqual(validateRequestBody(version, path, "POST", { prompt: "x", size }), []);
        const res = await send(version, size);
        assert.equal(res.status, 400, what);
        assert.equal((await res.json()).error.param, "size", what);
      }
      // 2024-05-01-preview lists them ("Only supported for dall-e-2").
      const body = { prompt: "x", size };
      assert.deepEqual(validateRequestBody("2024-05-01-preview", path, "POST", body), []);
      const res = await send("2024-05-01-preview", size);
      assert.equal(res.status, 200, `${deployment} 2024-05-01-preview ${size}`);
      await res.body?.cancel();
    }
    for (const version of ["2024-02-01", "2024-05-01-preview", "2024-10-21"]) {
      const res = await send(version, "1024x1024");
      assert.equal(res.status, 200, `${deployment} ${version} 1024x1024`);
      await res.body?.cancel();
    }
  }
});
