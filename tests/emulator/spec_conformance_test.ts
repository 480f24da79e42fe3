import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import {
  loadSpec,
  type SpecVersion,
  validateAgainstSpec,
  validateRequestBody,
  validateResponseBody,
} from "../helpers/spec_schema.ts";

const BASE = "http://emulator.test";
const VERSIONS: SpecVersion[] = ["2024-10-21", "2024-02-01"];

function post(
  e: ReturnType<typeof createEmulator>,
  path: string,
  body: unknown,
  version: string,
): Promise<Response> {
  return e.fetch(`${BASE}/openai${path}?api-version=${version}`, {
    method: "POST",
    headers: { "api-key": e.apiKey, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function sseChunks(res: Response): Promise<unknown[]> {
  const text = await res.text();
  return text.split("\n\n").filter((b) => b.startsWith("data: ") && b !== "data: [DONE]")
    .map((b) => JSON.parse(b.slice(6)));
}

function assertValid(errors: string[], what: string): void {
  assert.deepEqual(errors, [], `${what}:\n${errors.join("\n")}`);
}

const TOOLS = [{
  type: "function",
  function: {
    name: "f",
    parameters: { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
  },
}];

for (const version of VERSIONS) {
  Deno.test(`emulator chat responses validate against the ${version} spec`, async () => {
    const e = createEmulator();
    const bodies: Record<string, unknown>[] = [
      { messages: [{ role: "user", content: "hi" }] },
      { messages: [{ role: "user", content: "hi" }], n: 2, logprobs: true, top_logprobs: 2 },
      { messages: [{ role: "user", content: "hi" }], tools: TOOLS, tool_choice: "required" },
      { messages: [{ role: "user", content: "a __filter_output__ b" }] },
      { messages: [{ role: "user", content: "one two three" }], max_tokens: 2 },
    ];
    for (const body of bodies) {
      if (version === "2024-10-21") {
        assertValid(
          validateRequestBody(version, "/deployments/gpt-4o/chat/completions", "POST", body),
          "request",
        );
      }
      const res = await post(e, "/deployments/gpt-4o/chat/completions", body, version);
      assert.equal(res.status, 200);
      const json = await res.json();
      assertValid(
        validateAgainstSpec(version, "createChatCompletionResponse", json),
        JSON.stringify(body),
      );
      assertValid(
        validateResponseBody(version, "/deployments/gpt-4o/chat/completions", "POST", 200, json),
        "path response",
      );
      // 2024-02-01 has no schema for stream chunks.
      if (version !== "2024-10-21") continue;
      const stream = await post(e, "/deployments/gpt-4o/chat/completions", {
        ...body,
        stream: true,
      }, version);
      for (const chunk of await sseChunks(stream)) {
        assertValid(
          validateAgainstSpec(version, "createChatCompletionStreamResponse", chunk),
          `chunk ${JSON.stringify(chunk).slice(0, 120)}`,
        );
      }
    }
  });

  Deno.test(`emulator completions responses validate against the ${version} spec`, async () => {
    const e = createEmulator();
    for (const body of [{ prompt: "hi" }, { prompt: ["a", "b"], n: 2, logprobs: 2 }]) {
      assertValid(
        validateRequestBody(version, "/deployments/x/completions", "POST", body),
        "request",
      );
      const res = await post(e, "/deployments/gpt-35-turbo-instruct/completions", body, version);
      const json = await res.json();
      const path = "/deployments/x/completions";
      assertValid(validateResponseBody(version, path, "POST", 200, json), "completion");
      const stream = await post(e, "/deployments/gpt-35-turbo-instruct/completions", {
        ...body,
        stream: true,
      }, version);
      for (const chunk of await sseChunks(stream)) {
        // The spec says stream chunks share the non-stream shape but does not mark
        // finish_reason nullable; the service (and the emulator) send null mid-stream.
        const nullFinish = new Set(
          (chunk as { choices: { finish_reason: unknown }[] }).choices
            .map((ch, i) => ch.finish_reason === null ? `/choices/${i}/finish_reason ` : "")
            .filter((s) => s !== ""),
        );
        const errors = validateResponseBody(version, path, "POST", 200, chunk)
          .filter((err) => ![...nullFinish].some((prefix) => err.startsWith(prefix)));
        assertValid(errors, "chunk");
      }
    }
  });

  Deno.test(`emulator embeddings responses validate against the ${version} spec`, async () => {
    const e = createEmulator();
    for (const body of [{ input: "x" }, { input: ["a", "b"], encoding_format: "base64" }]) {
      assertValid(validateRequestBody(version, "/deployments/x/embeddings", "POST", body), "req");
      const res = await post(e, "/deployments/text-embedding-3-small/embeddings", body, version);
      const json = await res.json();
      // 2024-02-01 has no encoding_format: it is ignored, and the answer is number[] as typed.
      if (body.encoding_format === "base64" && version !== "2024-02-01") {
        // The spec types embedding as number[]; base64 answers carry a string instead.
        assert.equal(typeof json.data[0].embedding, "string");
        continue;
      }
      assertValid(
        validateResponseBody(version, "/deployments/x/embeddings", "POST", 200, json),
        "embeddings",
      );
    }
  });

  Deno.test(`emulator error bodies validate against the ${version} error schemas`, async () => {
    const e = createEmulator();
    const errors = [
      await post(e, "/deployments/gpt-4o/chat/completions", {}, version),
      await post(e, "/deployments/nope/chat/completions", {}, version),
      await post(e, "/deployments/gpt-4o/chat/completions", {
        messages: [{ role: "user", content: "__content_filter__" }],
      }, version),
      await post(e, "/deployments/gpt-4o/chat/completions", {}, "1999-01-01"),
      await e.fetch(`${BASE}/openai/deployments/gpt-4o/chat/completions?api-version=${version}`, {
        method: "POST",
        body: "{}",
      }),
    ];
    for (const res of errors) {
      assert.ok(res.status >= 400);
      assertValid(validateAgainstSpec(version, "errorResponse", await res.json()), `${res.status}`);
    }
    const image = await post(e, "/deployments/dall-e-3/images/generations", {
      prompt: "__content_filter__",
    }, version);
    assertValid(validateAgainstSpec(version, "dalleErrorResponse", await image.json()), "dalle");
  });
}

Deno.test("emulator image responses validate against the 2024-10-21 and 2024-05-01-preview specs", async () => {
  const e = createEmulator();
  for (const version of ["2024-10-21", "2024-05-01-preview"] as SpecVersion[]) {
    for (const body of [{ prompt: "x" }, { prompt: "x", response_format: "b64_json" }]) {
      assertValid(
        validateRequestBody(version, "/deployments/x/images/generations", "POST", body),
        "request",
      );
      const res = await post(e, "/deployments/dall-e-3/images/generations", body, version);
      assertValid(
        validateAgainstSpec(version, "generateImagesResponse", await res.json()),
        version,
      );
    }
  }
});

Deno.test("emulator audio responses validate against the 2024-10-21 and 2024-05-01-preview specs", async () => {
  const e = createEmulator();
  for (const version of ["2024-10-21", "2024-05-01-preview"] as SpecVersion[]) {
    for (const format of ["json", "verbose_json"]) {
      const form = new FormData();
      form.append("file", new File([new Uint8Array(32_000)], "a.wav"));
      form.append("response_format", format);
      if (version === "2024-05-01-preview") form.append("timestamp_granularities[]", "word");
      if (version === "2024-05-01-preview" && format === "json") {
        form.delete("timestamp_granularities[]");
      }
      const res = await e.fetch(
        `${BASE}/openai/deployments/whisper/audio/transcriptions?api-version=${version}`,
        { method: "POST", headers: { "api-key": e.apiKey }, body: form },
      );
      const json = await res.json();
      const schema = format === "json" ? "audioResponse" : "audioVerboseResponse";
      assertValid(validateAgainstSpec(version, schema, json), `${version} ${format}`);
    }
  }
  const speech = {
    input: "Hi! What are you going to make?",
    voice: "fable",
    response_format: "mp3",
  };
  assertValid(
    validateRequestBody(
      "2024-05-01-preview",
      "/deployments/tts/audio/speech",
      "POST",
      speech,
      "multipart/form-data",
    ),
    "speech request",
  );
});

/** The operations whose request checks follow the spec, with a deployment and a minimal body. */
const EXAMPLE_OPS: Record<string, [string, Record<string, unknown>]> = {
  "chat/completions": ["gpt-4o", { messages: [{ role: "user", content: "hi" }] }],
  "completions": ["gpt-35-turbo-instruct", { prompt: "x" }],
  "embeddings": ["text-embedding-3-small", { input: "x" }],
  "images/generations": ["dall-e-3", { prompt: "x" }],
};

interface SchemaNode {
  $ref?: string;
  allOf?: SchemaNode[];
  properties?: Record<string, SchemaNode>;
  example?: unknown;
}

/** The parts of a document read here. */
interface Doc {
  components: { schemas: Record<string, SchemaNode> };
  paths: Record<string, {
    post?: {
      requestBody: {
        content: Record<string, { schema: SchemaNode; example?: Record<string, unknown> }>;
      };
      "x-ms-examples"?: Record<string, { $ref: string }>;
    };
  }>;
}

const SPEC_DIR = new URL("../../../shared/azure-openai-spec/", import.meta.url);

/**
 * Request examples of the documents, as [operation, body, where]: the `example` of each request
 * body, the `example` of each request schema property (sent with a minimal body), and the
 * stored `x-ms-examples` files (the 2024-10-21 files are not stored; 2024-02-01's and
 * 2024-05-01-preview's are).
 */
function requestExamples(version: SpecVersion): [string, Record<string, unknown>, string][] {
  const doc = loadSpec(version) as unknown as Doc;
  const resolve = (node: SchemaNode): SchemaNode =>
    node.$ref ? doc.components.schemas[node.$ref.split("/").pop()!] : node;
  const propsOf = (node: SchemaNode): Record<string, SchemaNode> =>
    Object.assign({}, ...(resolve(node).allOf ?? []).map(propsOf), resolve(node).properties);
  const out: [string, Record<string, unknown>, string][] = [];
  for (const [op, [, base]] of Object.entries(EXAMPLE_OPS)) {
    const post = doc.paths[`/deployments/{deployment-id}/${op}`]?.post;
    if (!post) continue;
    const content = post.requestBody.content["application/json"];
    if (content.example) out.push([op, content.example, "requestBody example"]);
    for (const [name, prop] of Object.entries(propsOf(content.schema))) {
      const example = resolve(prop).example;
      if (example !== undefined) out.push([op, { ...base, [name]: example }, name]);
    }
    for (const ref of Object.values(post["x-ms-examples"] ?? {})) {
      const url = new URL(`${version}/${ref.$ref}`, SPEC_DIR);
      let text: string;
      try {
        text = Deno.readTextFileSync(url);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) continue;
        throw e;
      }
      out.push([op, JSON.parse(text).parameters.body, ref.$ref]);
    }
  }
  return out;
}

Deno.test("the documents' request examples for chat, completions, embeddings and images get 200", async () => {
  const e = createEmulator();
  const sent: string[] = [];
  for (const version of ["2024-10-21", "2024-02-01", "2024-05-01-preview"] as SpecVersion[]) {
    for (const [op, body, where] of requestExamples(version)) {
      sent.push(`${version} ${op} ${where}`);
      for (const apiVersion of new Set([version, "2024-10-21"])) {
        const res = await post(e, `/deployments/${EXAMPLE_OPS[op][0]}/${op}`, body, apiVersion);
        assert.equal(res.status, 200, `${apiVersion} ${op} ${where}: ${JSON.stringify(body)}`);
        await res.body?.cancel();
      }
    }
  }
  const files = sent.filter((s) => s.includes("./examples/")).sort();
  assert.deepEqual(files, [
    "2024-02-01 chat/completions ./examples/chat_completions.json",
    "2024-02-01 chat/completions ./examples/chat_completions_azure_search_advanced.json",
    "2024-02-01 chat/completions ./examples/chat_completions_azure_search_minimum.json",
    "2024-02-01 chat/completions ./examples/chat_completions_cosmos_db.json",
    "2024-02-01 completions ./examples/completions.json",
    "2024-02-01 embeddings ./examples/embeddings.json",
    "2024-05-01-preview completions ./examples/completions.json",
    "2024-05-01-preview images/generations ./examples/image_generation.json",
  ]);
  for (const op of Object.keys(EXAMPLE_OPS)) {
    assert.ok(sent.some((s) => s.startsWith(`2024-10-21 ${op} `)), op);
  }
  assert.ok(sent.includes("2024-10-21 chat/completions user"));
});
