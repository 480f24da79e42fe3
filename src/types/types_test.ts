/**
 * Checks the `x-ms-examples` of the OpenAPI documents against our wire types at run
 * time: every example request body must fit our params type, and every example
 * response must fit our reply type — except for the fields the examples leave out,
 * which are listed here exactly (the schemas require them, the live service sends
 * them, the example files are trimmed).
 */

import assert from "node:assert/strict";
import { problemsOf, type RawCheck } from "./_check_test.ts";
import {
  chatCompletion,
  chatParams,
  completion,
  completionParams,
  embeddingParams,
  embeddingResponse,
  imageParams,
  imagesResponse,
  speechParams,
  transcription,
  translation,
} from "./_shapes_ops_test.ts";

type Json = Record<string, unknown>;

const SPEC_DIR = new URL("../../../shared/azure-openai-spec/", import.meta.url);

/** What the example's request body is. */
type RequestKind = RawCheck | "multipart" | "none";
/** What the example's 200 response is. */
type ResponseKind = RawCheck | "text" | "binary";

interface Expectation {
  /** How to check the request body. */
  request: RequestKind;
  /** How to check the 200 response body. */
  response: ResponseKind;
  /** Problems the response is expected to have: the fields the example omits. */
  omitted?: string[];
}

/** `object` and `model` are required by the schemas but missing from these examples. */
const NO_OBJECT_NO_MODEL = ["$.object: missing", "$.model: missing"];

const EXAMPLES: Record<string, Record<string, Expectation>> = {
  "2024-02-01": {
    "chat_completions.json": {
      request: chatParams,
      response: chatCompletion,
      omitted: NO_OBJECT_NO_MODEL,
    },
    "chat_completions_azure_search_advanced.json": {
      request: chatParams,
      response: chatCompletion,
      omitted: NO_OBJECT_NO_MODEL,
    },
    "chat_completions_azure_search_minimum.json": {
      request: chatParams,
      response: chatCompletion,
      omitted: NO_OBJECT_NO_MODEL,
    },
    "chat_completions_cosmos_db.json": {
      request: chatParams,
      response: chatCompletion,
      omitted: NO_OBJECT_NO_MODEL,
    },
    "generated_chat_completions.json": {
      request: chatParams,
      response: chatCompletion,
      omitted: NO_OBJECT_NO_MODEL,
    },
    "completions.json": {
      request: completionParams,
      response: completion,
      omitted: NO_OBJECT_NO_MODEL,
    },
    "generated_completions.json": {
      request: completionParams,
      response: completion,
      omitted: NO_OBJECT_NO_MODEL,
    },
    "embeddings.json": {
      request: embeddingParams,
      response: embeddingResponse,
      omitted: ["$.object: missing", "$.data[0].object: missing", "$.model: missing"],
    },
    "audio_transcription_object.json": { request: "none", response: transcription },
    "audio_transcription_text.json": { request: "multipart", response: "text" },
    "audio_translation_object.json": { request: "multipart", response: translation },
    "audio_translation_text.json": { request: "multipart", response: "text" },
  },
  "2024-05-01-preview": {
    "completions.json": {
      request: completionParams,
      response: completion,
      omitted: NO_OBJECT_NO_MODEL,
    },
    "image_generation.json": { request: imageParams, response: imagesResponse },
    "audio_speech.json": { request: speechParams, response: "binary" },
  },
};

async function readExample(version: string, file: string): Promise<Json> {
  const url = new URL(`${version}/examples/${file}`, SPEC_DIR);
  return JSON.parse(await Deno.readTextFile(url)) as Json;
}

function field(value: unknown, key: string, where: string): unknown {
  assert.ok(typeof value === "object" && value !== null, `${where} is not an object`);
  assert.ok(key in value, `${where} has no ${key}`);
  return (value as Json)[key];
}

function checkRequest(kind: RequestKind, parameters: unknown, where: string): void {
  if (kind === "none") {
    assert.equal((parameters as Json).body, undefined, `${where}: expected no body`);
    return;
  }
  const body = field(parameters, "body", where);
  if (kind === "multipart") {
    // Our audio params send the upload as the form field `file`.
    assert.equal(typeof body, "string", `${where}: multipart body should be text`);
    assert.match(String(body), /Content-Disposition: form-data; name="file"; filename=/);
    return;
  }
  assert.deepEqual(problemsOf(kind, body), [], `${where}: request body`);
}

function checkResponse(expect: Expectation, responses: unknown, where: string): void {
  const ok = field(responses, "200", where) as Json;
  if (expect.response === "text") {
    // text/srt/vtt replies are plain strings.
    assert.equal(ok.type, "string", `${where}: text reply type`);
    assert.equal(typeof ok.example, "string", `${where}: text reply example`);
    return;
  }
  if (expect.response === "binary") {
    assert.equal(typeof ok.body, "string", `${where}: binary reply`);
    return;
  }
  const problems = problemsOf(expect.response, field(ok, "body", where));
  assert.deepEqual(problems, expect.omitted ?? [], `${where}: response body`);
}

for (const [version, files] of Object.entries(EXAMPLES)) {
  Deno.test(`x-ms-examples of ${version} are all covered by this test`, async () => {
    const names: string[] = [];
    for await (const entry of Deno.readDir(new URL(`${version}/examples/`, SPEC_DIR))) {
      if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
    }
    assert.deepEqual(names.sort(), Object.keys(files).sort());
  });

  for (const [file, expect] of Object.entries(files)) {
    Deno.test(`${version}/${file} request and response fit the wire types`, async () => {
      const example = await readExample(version, file);
      checkRequest(expect.request, field(example, "parameters", file), file);
      checkResponse(expect, field(example, "responses", file), file);
    });
  }
}

Deno.test("2024-02-01 examples leave out object and model although the schema requires them", async () => {
  // Documents why NO_OBJECT_NO_MODEL is expected rather than a gap in our types.
  const doc = JSON.parse(
    await Deno.readTextFile(new URL("2024-02-01/inference.json", SPEC_DIR)),
  ) as { components: { schemas: Record<string, { required?: string[] }> } };
  const required = doc.components.schemas.createChatCompletionResponse.required ?? [];
  assert.ok(required.includes("object") && required.includes("model"));
});
