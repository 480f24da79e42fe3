import assert from "node:assert/strict";
import {
  convertNullable,
  findSpecPath,
  schemaNames,
  SPEC_VERSIONS,
  validateAgainstSpec,
  validateRequestBody,
  validateResponseBody,
} from "./spec_schema.ts";

const EXAMPLES = new URL("../../../shared/azure-openai-spec/", import.meta.url);

function example(
  version: string,
  name: string,
): { parameters: { body?: unknown }; responses: Record<string, { body: unknown }> } {
  return JSON.parse(Deno.readTextFileSync(new URL(`${version}/examples/${name}`, EXAMPLES)));
}

Deno.test("convertNullable() turns nullable into null types, enums and anyOf branches", () => {
  assert.deepEqual(convertNullable({ type: "string", nullable: true }), {
    type: ["string", "null"],
  });
  assert.deepEqual(convertNullable({ enum: ["a"], nullable: true }), { enum: ["a", null] });
  assert.deepEqual(convertNullable({ oneOf: [{ type: "string" }], nullable: true }), {
    anyOf: [{ oneOf: [{ type: "string" }] }, { type: "null" }],
  });
  assert.deepEqual(convertNullable({ properties: { x: { type: "integer", nullable: false } } }), {
    properties: { x: { type: "integer" } },
  });
});

Deno.test("validateAgainstSpec() accepts the spec's own examples", () => {
  const chat = example("2024-02-01", "chat_completions.json").responses["200"].body;
  assert.deepEqual(
    validateAgainstSpec("2024-10-21", "createChatCompletionResponse", {
      ...(chat as Record<string, unknown>),
      object: "chat.completion",
      model: "gpt-4o",
      choices: (chat as { choices: Record<string, unknown>[] }).choices.map((c) => ({
        ...c,
        logprobs: null,
        message: { ...(c.message as Record<string, unknown>), refusal: null },
      })),
    }),
    [],
  );
  const images = example("2024-05-01-preview", "image_generation.json").responses["200"].body;
  assert.deepEqual(validateAgainstSpec("2024-05-01-preview", "generateImagesResponse", images), []);
});

Deno.test("validateAgainstSpec() reports errors with the JSON pointer", () => {
  const errors = validateAgainstSpec("2024-10-21", "createChatCompletionResponse", {
    id: 1,
    object: "chat.completion",
    created: 1,
    model: "m",
    choices: [{
      index: 0,
      finish_reason: "odd",
      message: { role: "assistant", content: null, refusal: null },
      logprobs: null,
    }],
  });
  assert.ok(errors.some((e) => e.startsWith("/id ")), errors.join("\n"));
  assert.ok(errors.some((e) => e.startsWith("/choices/0/finish_reason ")), errors.join("\n"));
  assert.deepEqual(
    validateAgainstSpec("2024-10-21", "errorResponse", { error: { code: "x", message: "y" } }),
    [],
  );
  assert.notDeepEqual(
    validateAgainstSpec("2024-10-21", "errorResponse", { error: { code: 5 } }),
    [],
  );
});

Deno.test("validateAgainstSpec() throws for an unknown schema name or version", () => {
  assert.throws(() => validateAgainstSpec("2024-10-21", "nope", {}), /No schema "nope"/);
  assert.throws(
    () => validateAgainstSpec("1999-01-01" as unknown as "2024-10-21", "error", {}),
    /Unknown spec version/,
  );
  assert.ok(schemaNames("2024-02-01").includes("createChatCompletionResponse"));
});

Deno.test("validateRequestBody() checks bodies against the operation's request schema", () => {
  const path = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
  assert.deepEqual(
    validateRequestBody("2024-10-21", path, "POST", {
      messages: [{ role: "user", content: "hi" }],
    }),
    [],
  );
  assert.notDeepEqual(validateRequestBody("2024-10-21", path, "POST", { messages: [] }), []);
  assert.notDeepEqual(validateRequestBody("2024-10-21", path, "POST", {}), []);
  const emb = example("2024-02-01", "embeddings.json").parameters.body;
  assert.deepEqual(validateRequestBody("2024-02-01", "/deployments/x/embeddings", "post", emb), []);
  const speech = example("2024-05-01-preview", "audio_speech.json").parameters.body;
  assert.deepEqual(
    validateRequestBody(
      "2024-05-01-preview",
      "/deployments/tts/audio/speech",
      "POST",
      speech,
      "multipart/form-data",
    ),
    [],
  );
  assert.throws(() => validateRequestBody("2024-10-21", "/nowhere", "POST", {}), /No path/);
  assert.throws(() => validateRequestBody("2024-10-21", path, "GET", {}), /GET is not defined/);
});

Deno.test("validateResponseBody() picks the status schema or default", () => {
  const path = "/deployments/x/embeddings";
  assert.deepEqual(
    validateResponseBody("2024-10-21", path, "POST", 200, {
      object: "list",
      model: "m",
      data: [{ index: 0, object: "embedding", embedding: [0.1] }],
      usage: { prompt_tokens: 1, total_tokens: 1 },
    }),
    [],
  );
  assert.notDeepEqual(
    validateResponseBody("2024-10-21", path, "POST", 200, { object: "list" }),
    [],
  );
  const chat = "/deployments/x/chat/completions";
  assert.deepEqual(
    validateResponseBody("2024-10-21", chat, "POST", 400, { error: { code: "x", message: "m" } }),
    [],
  );
  assert.notDeepEqual(
    validateResponseBody("2024-10-21", chat, "POST", 400, { error: { code: 4 } }),
    [],
  );
  assert.throws(() => validateResponseBody("2024-10-21", path, "POST", 400, {}), /no 400/);
  assert.equal(
    findSpecPath("2024-10-21", "/openai/deployments/a/audio/translations"),
    "/deployments/{deployment-id}/audio/translations",
  );
});

Deno.test("validateRequestBody() checks each message against the schema of its role (discriminator)", () => {
  const chat = "/openai/deployments/gpt-4o/chat/completions";
  const image = {
    type: "image_url",
    image_url: { url: "https://example.com/a.png", detail: "low" },
  };
  for (const version of SPEC_VERSIONS) {
    const check = (message: unknown) =>
      validateRequestBody(version, chat, "POST", { messages: [message] });
    // Valid in every document (the older ones' function-message and image-part slips corrected).
    assert.deepEqual(check({ role: "user", content: [{ type: "text", text: "hi" }, image] }), []);
    assert.deepEqual(check({ role: "function", name: "f", content: "42" }), [], version);
    const call = { id: "c1", type: "function", function: { name: "f", arguments: "{}" } };
    assert.deepEqual(check({ role: "assistant", tool_calls: [call] }), [], version);
    // Each breaks its role's schema, which only a discriminator-aware check sees.
    assert.notDeepEqual(check({ role: "tool", content: "42" }), [], `${version} tool_call_id`);
    assert.notDeepEqual(check({ role: "system" }), [], `${version} system content`);
    assert.notDeepEqual(
      check({ role: "user", content: [{ type: "image_url" }] }),
      [],
      `${version} image_url`,
    );
    assert.notDeepEqual(
      check({ role: "user", content: [{ type: "text" }] }),
      [],
      `${version} text part`,
    );
  }
  // The older documents require an assistant's content when it has no tool or function call.
  assert.notDeepEqual(
    validateRequestBody("2024-05-01-preview", chat, "POST", { messages: [{ role: "assistant" }] }),
    [],
  );
  // The older documents allow parts only in user messages.
  assert.notDeepEqual(
    validateRequestBody("2024-02-01", chat, "POST", {
      messages: [{ role: "system", content: [{ type: "text", text: "x" }] }],
    }),
    [],
  );
});
