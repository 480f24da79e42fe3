/**
 * Every property of the request and response schemas of the operations we type (chat, incl.
 * stream chunks and On Your Data; completions; embeddings; image generation; audio
 * transcription, translation and speech) must exist in our exported type at the same nesting,
 * in all three stored OpenAPI documents; every enum value the schema names must be assignable
 * there; every `nullable` field must take `null`; and every response field the schema leaves
 * optional must be optional in our type. The specs are read as data and turned into a
 * TypeScript file of assignments that `deno check` compiles against src/types; each deliberate
 * difference is listed in DIFFERENCES with its reason and compiled as `@ts-expect-error`, so
 * one that stops being a difference fails too.
 */

import assert from "node:assert/strict";
import { type SchemaFacts, schemaFacts } from "./_spec_walk.ts";
import { segment } from "../../src/types/_shapes_ops_test.ts";

type Json = Record<string, unknown>;

const SPEC_DIR = new URL("../../../shared/azure-openai-spec/", import.meta.url);
const VERSIONS = ["2024-02-01", "2024-05-01-preview", "2024-10-21"];

/** Our type for each operation's request body and 200 JSON body, by the path's last part. */
const OURS: Record<string, { request: string; response?: string }> = {
  "chat/completions": {
    request: "T.ChatCompletionCreateParams",
    // 2024-10-21 answers `oneOf` the completion and the stream chunk.
    response: "T.ChatCompletion | T.ChatCompletionChunk",
  },
  "completions": { request: "T.CompletionCreateParams", response: "T.Completion" },
  "embeddings": {
    request: "T.EmbeddingCreateParams",
    response: "T.CreateEmbeddingResponse | T.CreateEmbeddingResponseBase64",
  },
  "images/generations": { request: "T.ImageGenerateParams", response: "T.ImagesResponse" },
  "audio/transcriptions": {
    request: "T.TranscriptionCreateParams",
    response: "T.Transcription | T.TranscriptionVerbose",
  },
  "audio/translations": {
    request: "T.TranslationCreateParams",
    response: "T.Translation | T.TranslationVerbose",
  },
  "audio/speech": { request: "T.SpeechCreateParams" },
};

/** Named schemas no path refers to in every version, with our type. */
const NAMED: Record<string, string> = {
  createChatCompletionStreamResponse: "T.ChatCompletionChunk",
};

type Kind = "field" | "enum" | "nullable" | "optional";

interface Check {
  /** e.g. `2024-10-21 chat/completions response`. */
  where: string;
  kind: Kind;
  path: string;
  /** Enum value (kind "enum"). */
  value?: string;
  type: string;
}

const AUDIO_VERBOSE = "verbose_json replies always carry it (the project contract pins it)";
const SEGMENT = "Whisper sends every segment field; the spec marks none required";
const OLD_REPLY = "required from 2024-10-21 on; the service always sends it";

/**
 * Deliberate differences: `${kind} ${operation} ${request|response} ${path}[=value]`, valid
 * for every version where the spec has it. Kind "field" also skips the checks under the path.
 */
const DIFFERENCES: Record<string, string> = {
  // 2024-02-01 and 2024-05-01-preview describe the image part flat ({ type, url, detail });
  // the service and 2024-10-21 take { type: "image_url", image_url: { url, detail } }.
  "field chat/completions request messages.content.url": "flat image part of the old specs",
  "field chat/completions request messages.content.detail": "flat image part of the old specs",
  // The multipart field is named with brackets; our param is the array it is made from.
  "field audio/transcriptions request timestamp_granularities[]": "form field name",
  // Translations take no timestamp_granularities, so their replies have no words.
  "field audio/translations response words": "translations have no word timestamps",
  // Our reply types narrow `task` to the operation's own value.
  "enum audio/transcriptions response task=translate": "task narrowed to transcribe",
  "enum audio/translations response task=transcribe": "task narrowed to translate",
  // Marked nullable in the specs, but a request without them is refused.
  "nullable embeddings request input": "input is required",
  "nullable chat/completions request messages": "messages are required",
  "nullable chat/completions request response_format.type": "type selects the format",
  // Response fields the spec leaves optional that the service always sends.
  "optional completions response prompt_filter_results.prompt_index": OLD_REPLY,
  "optional chat/completions response prompt_filter_results.prompt_index": OLD_REPLY,
  "optional completions response choices.index": OLD_REPLY,
  "optional completions response choices.text": OLD_REPLY,
  "optional completions response choices.logprobs": OLD_REPLY,
  "optional completions response choices.finish_reason": OLD_REPLY,
  "optional chat/completions response choices.index": OLD_REPLY,
  "optional chat/completions response choices.message": OLD_REPLY,
  "optional chat/completions response choices.message.role": OLD_REPLY,
  "optional chat/completions response choices.message.content": OLD_REPLY,
  ...Object.fromEntries(
    ["audio/transcriptions", "audio/translations"].flatMap((op) => [
      ...["task", "language", "duration"].map((
        f,
      ) => [`optional ${op} response ${f}`, AUDIO_VERBOSE]),
      ...segment.required.map((f) => [`optional ${op} response segments.${f}`, SEGMENT]),
    ]),
  ),
  ...Object.fromEntries(
    ["word", "start", "end"].map((f) => [
      `optional audio/transcriptions response words.${f}`,
      "Whisper sends every word field",
    ]),
  ),
};

function keyOf(check: Check): string {
  const operation = check.where.split(" ").slice(1).join(" ");
  const value = check.value === undefined ? "" : `=${check.value}`;
  return `${check.kind} ${operation} ${check.path}${value}`;
}

/** The checks one schema yields against our type `type`. */
function checksOf(where: string, facts: SchemaFacts, type: string, response: boolean): Check[] {
  const operation = where.split(" ").slice(1).join(" ");
  const skipped = [...facts.paths].filter((p) => `field ${operation} ${p}` in DIFFERENCES);
  const under = (p: string) => skipped.some((s) => p.startsWith(`${s}.`));
  const checks: Check[] = [];
  for (const path of [...facts.paths].sort()) {
    if (under(path)) continue;
    checks.push({ where, kind: "field", path, type });
    if (skipped.includes(path)) continue;
    for (const value of [...(facts.enums.get(path) ?? [])].sort()) {
      checks.push({ where, kind: "enum", path, value, type });
    }
    if (facts.nullable.has(path)) checks.push({ where, kind: "nullable", path, type });
    if (response && !facts.required.has(path)) {
      checks.push({ where, kind: "optional", path, type });
    }
  }
  return checks;
}

async function specChecks(): Promise<Check[]> {
  const checks: Check[] = [];
  for (const version of VERSIONS) {
    const doc = JSON.parse(
      await Deno.readTextFile(new URL(`${version}/inference.json`, SPEC_DIR)),
    ) as Json;
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      const name = path.replace(/^\/deployments\/\{deployment-id\}\//, "");
      const ours = OURS[name];
      if (!ours) continue;
      const op = (item as Json).post as Json;
      const bodies = Object.values((op.requestBody as Json).content as Json) as Json[];
      assert.equal(bodies.length, 1, `${version} ${name}: one request content type`);
      checks.push(
        ...checksOf(
          `${version} ${name} request`,
          schemaFacts(doc, bodies[0].schema as Json),
          ours.request,
          false,
        ),
      );
      const ok = ((op.responses as Json)["200"] as Json).content as Json;
      const json = ok["application/json"] as Json | undefined;
      assert.equal(Boolean(json), Boolean(ours.response), `${version} ${name}: JSON reply`);
      if (json && ours.response) {
        checks.push(
          ...checksOf(
            `${version} ${name} response`,
            schemaFacts(doc, json.schema as Json),
            ours.response,
            true,
          ),
        );
      }
    }
    const schemas = (doc.components as Json).schemas as Json;
    for (const [name, type] of Object.entries(NAMED)) {
      if (!(name in schemas)) continue;
      const facts = schemaFacts(doc, { $ref: `#/components/schemas/${name}` });
      checks.push(...checksOf(`${version} chat/completions response`, facts, type, true));
    }
  }
  return checks;
}

/** The TypeScript line of one check. */
function lineOf(check: Check, index: number): string {
  const path = JSON.stringify(check.path);
  const at = `ValueAt<${check.type}, ${path}>`;
  switch (check.kind) {
    case "field":
      return `const c${index}: PathOf<${check.type}> = ${path};`;
    case "enum":
      return `const c${index}: ${at} = ${JSON.stringify(check.value)};`;
    case "nullable":
      return `const c${index}: ${at} = null;`;
    case "optional":
      return `const c${index}: ${at} = undefined;`;
  }
}

interface Compiled {
  /** The checks whose line did not compile (without an expected difference). */
  failed: string[];
  /** Whole output of `deno check` when it failed for other reasons. */
  output: string;
  code: number;
}

/** Writes the checks as a TypeScript file and compiles it; names the checks that failed. */
async function compile(checks: Check[], differences: Record<string, string>): Promise<Compiled> {
  const types = new URL("../../src/types/mod.ts", import.meta.url).href;
  const paths = new URL("./_path_of.ts", import.meta.url).href;
  const lines = [
    `import type * as T from ${JSON.stringify(types)};`,
    `import type { PathOf, ValueAt } from ${JSON.stringify(paths)};`,
  ];
  const lineChecks = new Map<number, Check>();
  checks.forEach((check, i) => {
    const reason = differences[keyOf(check)];
    lines.push(`// ${check.where} ${check.kind} ${check.path}`);
    if (reason !== undefined) lines.push(`// @ts-expect-error ${reason}`);
    lines.push(lineOf(check, i));
    lineChecks.set(lines.length, check);
  });
  lines.push(`export {};`);
  const dir = await Deno.makeTempDir({ prefix: "spec_fields_" });
  try {
    const file = `${dir}/spec_fields_check.ts`;
    await Deno.writeTextFile(file, lines.join("\n") + "\n");
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--no-config", "--no-lock", "--quiet", file],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const output = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    const failed = new Set<string>();
    for (const match of output.matchAll(/spec_fields_check\.ts:(\d+):\d+/g)) {
      const line = Number(match[1]);
      const check = lineChecks.get(line) ?? lineChecks.get(line + 1);
      failed.add(check ? `${check.where}: ${keyOf(check)}` : `line ${line}`);
    }
    return { failed: [...failed].sort(), output, code: out.code };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("every field, enum value, nullable and optional reply field of the specs fits our types", async () => {
  const checks = await specChecks();
  // Non-vacuous: the walk found the nested fields (tool calls, citations, word timestamps).
  const fields = new Set(checks.filter((c) => c.kind === "field").map((c) => c.path));
  for (
    const path of [
      "choices.message.tool_calls.function.arguments",
      "choices.delta.tool_calls.index",
      "choices.logprobs.content.top_logprobs.logprob",
      "choices.message.context.citations.chunk_id",
      "choices.content_filter_results.protected_material_code.citation.URL",
      "prompt_filter_results.content_filter_results.jailbreak.detected",
      "data_sources.parameters.embedding_dependency.deployment_name",
      "words.word",
      "data.revised_prompt",
    ]
  ) assert.ok(fields.has(path), `the spec walk did not reach ${path}`);
  const used = new Set(checks.map(keyOf).filter((k) => k in DIFFERENCES));
  assert.deepEqual(
    Object.keys(DIFFERENCES).filter((k) => !used.has(k)),
    [],
    "DIFFERENCES entries that no spec has (remove them)",
  );
  const result = await compile(checks, DIFFERENCES);
  assert.deepEqual(result.failed, [], "spec facts our types do not allow (fix src/types)");
  assert.equal(result.code, 0, result.output);
});

Deno.test("the spec check fails for a type that lacks a field, an enum value or a null", async () => {
  const checks: Check[] = [
    { where: "self chat", kind: "field", path: "choices.message.refusal", type: "T.Completion" },
    { where: "self chat", kind: "enum", path: "object", value: "list", type: "T.Completion" },
    { where: "self chat", kind: "nullable", path: "id", type: "T.Completion" },
    { where: "self chat", kind: "optional", path: "id", type: "T.Completion" },
    { where: "self chat", kind: "field", path: "choices.text", type: "T.Completion" },
  ];
  const result = await compile(checks, {});
  assert.deepEqual(result.failed, [
    "self chat: enum chat object=list",
    "self chat: field chat choices.message.refusal",
    "self chat: nullable chat id",
    "self chat: optional chat id",
  ]);
  // An expected difference that is no difference fails as an unused @ts-expect-error.
  const unused = await compile([checks[4]], { "field chat choices.text": "test" });
  assert.deepEqual(unused.failed, ["self chat: field chat choices.text"]);
});
