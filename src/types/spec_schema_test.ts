/**
 * Cross-checks our wire types against the JSON schemas of the OpenAPI documents:
 * the keys our types require must be the keys the schema requires, and every
 * property the schema names must exist in our type. Each deliberate difference is
 * listed below with its reason; anything else fails.
 */

import assert from "node:assert/strict";
import type { ObjectCheck } from "./_check_test.ts";

/** The key lists of an {@link ObjectCheck}. */
type KeyLists = Pick<ObjectCheck<unknown>, "required" | "optional">;
import {
  chatChoice,
  chatChunk,
  chatCompletion,
  chatMessage,
  chatParams,
  chunkChoice,
  chunkDelta,
  completion,
  completionChoice,
  completionParams,
  embeddingParams,
  embeddingResponse,
  image,
  imageParams,
  imagesResponse,
  segment,
  speechParams,
  toolCallDelta,
  transcription,
  transcriptionParams,
  transcriptionVerbose,
  translationParams,
  translationVerbose,
  word,
} from "./_shapes_ops_test.ts";
import {
  accessTokenAuth,
  apiKeyAuth,
  azureSearchParams,
  citation,
  connectionStringAuth,
  cosmosFieldMapping,
  cosmosParams,
  deploymentVectorization,
  detected,
  endpointVectorization,
  errorBody,
  filterResults,
  innerError,
  messageContext,
  promptFilter,
  retrievedDocument,
  searchFieldMapping,
  severity,
  systemIdentityAuth,
  usage,
  userIdentityAuth,
} from "./_shapes_test.ts";

type Json = Record<string, unknown>;

const SPEC_DIR = new URL("../../../shared/azure-openai-spec/", import.meta.url);

async function loadSpec(version: string): Promise<Json> {
  return JSON.parse(await Deno.readTextFile(new URL(`${version}/inference.json`, SPEC_DIR)));
}

function asJson(value: unknown, what: string): Json {
  assert.ok(typeof value === "object" && value !== null, `${what} is not an object`);
  return value as Json;
}

/** A schema's required keys and property names, following `$ref` and `allOf`. */
function fieldsOf(doc: Json, schema: Json): { required: Set<string>; properties: Set<string> } {
  const required = new Set<string>();
  const properties = new Set<string>();
  const visit = (s: Json): void => {
    const ref = s.$ref;
    if (typeof ref === "string") {
      const name = ref.split("/").at(-1) ?? "";
      const schemas = asJson(asJson(doc.components, "components").schemas, "schemas");
      visit(asJson(schemas[name], `schema ${name}`));
      return;
    }
    for (const key of (s.required as string[] | undefined) ?? []) required.add(key);
    for (const key of Object.keys(asJson(s.properties ?? {}, "properties"))) properties.add(key);
    for (const part of (s.allOf as Json[] | undefined) ?? []) visit(part);
  };
  visit(schema);
  return { required, properties };
}

/** The item schema of the array property `key` of `schema` (after `$ref`). */
function item(doc: Json, schema: Json, key: string): Json {
  const ref = schema.$ref;
  const target = typeof ref === "string"
    ? asJson(
      asJson(asJson(doc.components, "components").schemas, "schemas")[
        ref.split("/").at(-1) ?? ""
      ],
      ref,
    )
    : schema;
  const property = asJson(asJson(target.properties, "properties")[key], key);
  return asJson(property.items, `${key}.items`);
}

function named(name: string): Json {
  return { $ref: `#/components/schemas/${name}` };
}

function inline(doc: Json, path: string, at: "request" | "response"): Json {
  const op = asJson(asJson(asJson(doc.paths, "paths")[path], path).post, `${path} post`);
  const holder = at === "request"
    ? asJson(op.requestBody, "requestBody")
    : asJson(asJson(op.responses, "responses")["200"], "200");
  const content = asJson(holder.content, "content");
  return asJson(asJson(content["application/json"], "json").schema, "schema");
}

interface Case {
  /** What is compared. */
  name: string;
  /** Our check's key lists (required and optional). */
  ours: KeyLists;
  /** The spec schema. */
  schema: (doc: Json) => Json;
  /** Keys we require that the schema leaves optional, with the reason. */
  weRequire?: string[];
  /** Keys the schema requires that we leave optional. */
  weRelax?: string[];
  /** Schema properties we spell differently or leave out. */
  notOurs?: string[];
}

const CASES_2024_10_21: Case[] = [
  {
    name: "ChatCompletionCreateParams",
    ours: chatParams,
    schema: () => named("createChatCompletionRequest"),
  },
  {
    name: "ChatCompletion",
    ours: chatCompletion,
    schema: () => named("createChatCompletionResponse"),
  },
  {
    name: "ChatCompletionChoice",
    ours: chatChoice,
    schema: (doc) => item(doc, named("createChatCompletionResponse"), "choices"),
    // Marked required, but replies omit `logprobs` unless it was asked for.
    weRelax: ["logprobs"],
  },
  {
    name: "ChatCompletionChunk",
    ours: chatChunk,
    schema: () => named("createChatCompletionStreamResponse"),
  },
  {
    name: "ChatCompletionChunkChoice",
    ours: chunkChoice,
    schema: (doc) => item(doc, named("createChatCompletionStreamResponse"), "choices"),
    // Azure streams choices that carry only content_filter_results (no delta) and
    // omits finish_reason on them.
    weRelax: ["delta", "finish_reason"],
  },
  {
    name: "ChatCompletionChunkDelta",
    ours: chunkDelta,
    schema: () => named("chatCompletionStreamResponseDelta"),
  },
  {
    name: "ChatCompletionMessage",
    ours: chatMessage,
    schema: () => named("chatCompletionResponseMessage"),
    // `refusal` is required in 2024-10-21 only; older versions and On Your Data replies
    // omit it.
    weRelax: ["refusal"],
  },
  {
    name: "ChatCompletionChunkToolCallDelta",
    ours: toolCallDelta,
    schema: () => named("chatCompletionMessageToolCallChunk"),
  },
  {
    name: "ContentFilterResult",
    ours: severity,
    schema: () => named("contentFilterSeverityResult"),
    // The project contract pins `severity?`.
    weRelax: ["severity"],
  },
  {
    name: "ContentFilterDetectedResult",
    ours: detected,
    schema: () => named("contentFilterDetectedResult"),
  },
  { name: "CompletionUsage", ours: usage, schema: () => named("completionUsage") },
  {
    name: "PromptFilterResult",
    ours: promptFilter,
    schema: () => named("promptFilterResult"),
    // The service always sends prompt_index; the brief pins it required.
    weRequire: ["prompt_index"],
  },
  {
    name: "ContentFilterResults (prompt)",
    ours: filterResults,
    schema: () => named("contentFilterPromptResults"),
  },
  {
    name: "ContentFilterResults (choice)",
    ours: filterResults,
    schema: () => named("contentFilterChoiceResults"),
  },
  { name: "Citation", ours: citation, schema: () => named("citation") },
  {
    name: "AzureSearchChatExtensionParameters",
    ours: azureSearchParams,
    schema: () => named("azureSearchChatExtensionParameters"),
  },
  {
    name: "AzureSearchIndexFieldMappingOptions",
    ours: searchFieldMapping,
    schema: () => named("azureSearchIndexFieldMappingOptions"),
  },
  {
    name: "AzureCosmosDBChatExtensionParameters",
    ours: cosmosParams,
    schema: () => named("azureCosmosDBChatExtensionParameters"),
  },
  {
    name: "AzureCosmosDBFieldMappingOptions",
    ours: cosmosFieldMapping,
    schema: () => named("azureCosmosDBFieldMappingOptions"),
  },
  ...authCases(),
  {
    name: "ChatCompletionMessageContext",
    ours: messageContext,
    schema: () => named("azureChatExtensionsMessageContext"),
  },
  {
    name: "CompletionCreateParams",
    ours: completionParams,
    schema: () => named("createCompletionRequest"),
  },
  {
    name: "Completion",
    ours: completion,
    schema: () => named("createCompletionResponse"),
  },
  {
    name: "CompletionChoice",
    ours: completionChoice,
    schema: (doc) => item(doc, named("createCompletionResponse"), "choices"),
  },
  {
    name: "EmbeddingCreateParams",
    ours: embeddingParams,
    schema: (doc) => inline(doc, "/deployments/{deployment-id}/embeddings", "request"),
  },
  {
    name: "CreateEmbeddingResponse",
    ours: embeddingResponse,
    schema: (doc) => inline(doc, "/deployments/{deployment-id}/embeddings", "response"),
  },
  {
    name: "ImageGenerateParams",
    ours: imageParams,
    schema: () => named("imageGenerationsRequest"),
  },
  { name: "Image", ours: image, schema: () => named("imageResult") },
  {
    name: "ImagesResponse",
    ours: imagesResponse,
    schema: () => named("generateImagesResponse"),
  },
  { name: "Transcription", ours: transcription, schema: () => named("audioResponse") },
  {
    name: "TranscriptionVerbose",
    ours: transcriptionVerbose,
    schema: () => named("audioVerboseResponse"),
    // verbose_json replies always carry these; the brief pins them required.
    weRequire: ["task", "language", "duration"],
  },
  {
    name: "TranscriptionSegment",
    ours: segment,
    schema: () => named("audioSegment"),
    // Whisper sends every segment field; the spec marks none required.
    weRequire: [...segment.required],
  },
  {
    name: "TranscriptionCreateParams",
    ours: transcriptionParams,
    schema: () => named("createTranscriptionRequest"),
  },
  {
    name: "TranslationCreateParams",
    ours: translationParams,
    schema: () => named("createTranslationRequest"),
  },
  {
    name: "TranslationVerbose",
    ours: translationVerbose,
    schema: () => named("audioVerboseResponse"),
    weRequire: ["task", "language", "duration"],
  },
  { name: "ErrorBody", ours: errorBody, schema: () => named("error") },
  { name: "ErrorInnerError", ours: innerError, schema: () => named("innerError") },
  { name: "ErrorInnerError (DALL-E)", ours: innerError, schema: () => named("dalleInnerError") },
];

/** On Your Data authentication and vectorization kinds: discriminator `type` plus fields. */
function authCases(): Case[] {
  return ([
    ["OnYourDataApiKeyAuthenticationOptions", apiKeyAuth],
    ["OnYourDataConnectionStringAuthenticationOptions", connectionStringAuth],
    ["OnYourDataSystemAssignedManagedIdentityAuthenticationOptions", systemIdentityAuth],
    ["OnYourDataUserAssignedManagedIdentityAuthenticationOptions", userIdentityAuth],
    ["OnYourDataEndpointVectorizationSource", endpointVectorization],
    ["OnYourDataDeploymentNameVectorizationSource", deploymentVectorization],
  ] as const).map(([name, check]) => ({
    name,
    ours: check,
    schema: () => named(`o${name.slice(1)}`),
  }));
}

const CASES_2024_05_01_PREVIEW: Case[] = [
  {
    name: "OnYourDataAccessTokenAuthenticationOptions",
    ours: accessTokenAuth,
    schema: () => named("onYourDataAccessTokenAuthenticationOptions"),
  },
  {
    name: "AzureSearchChatExtensionParameters (preview)",
    ours: azureSearchParams,
    schema: () => named("azureSearchChatExtensionParameters"),
  },
  {
    name: "AzureSearchIndexFieldMappingOptions (preview)",
    ours: searchFieldMapping,
    schema: () => named("azureSearchIndexFieldMappingOptions"),
  },
  {
    name: "AzureCosmosDBChatExtensionParameters (preview)",
    ours: cosmosParams,
    schema: () => named("azureCosmosDBChatExtensionParameters"),
  },
  {
    name: "OnYourDataEndpointVectorizationSource (preview)",
    ours: endpointVectorization,
    schema: () => named("onYourDataEndpointVectorizationSource"),
  },
  {
    name: "OnYourDataDeploymentNameVectorizationSource (preview)",
    ours: deploymentVectorization,
    schema: () => named("onYourDataDeploymentNameVectorizationSource"),
  },
  {
    name: "TranscriptionCreateParams (preview)",
    ours: transcriptionParams,
    schema: () => named("createTranscriptionRequest"),
    // The form field is `timestamp_granularities[]`; our param drops the brackets.
    notOurs: ["timestamp_granularities[]"],
  },
  {
    name: "SpeechCreateParams",
    ours: speechParams,
    schema: () => named("createSpeechRequest"),
  },
  {
    name: "TranscriptionWord",
    ours: word,
    schema: () => named("audioWord"),
    weRequire: ["word", "start", "end"],
  },
  {
    name: "TranscriptionVerbose (words)",
    ours: transcriptionVerbose,
    schema: () => named("audioVerboseResponse"),
    weRequire: ["task", "language", "duration"],
  },
  {
    name: "RetrievedDocument",
    ours: retrievedDocument,
    schema: () => named("retrievedDocument"),
  },
  {
    name: "ChatCompletionMessageContext (preview)",
    ours: messageContext,
    schema: () => named("azureChatExtensionsMessageContext"),
  },
  {
    name: "ContentFilterResults (preview prompt)",
    ours: filterResults,
    schema: () => named("contentFilterPromptResults"),
  },
  { name: "Image (preview)", ours: image, schema: () => named("imageResult") },
];

const CASES_2024_02_01: Case[] = [
  {
    name: "ChatCompletionCreateParams (2024-02-01)",
    ours: chatParams,
    schema: () => named("createChatCompletionRequest"),
  },
  {
    name: "ChatCompletion (2024-02-01)",
    ours: chatCompletion,
    schema: () => named("createChatCompletionResponse"),
  },
  {
    name: "ChatCompletionMessage (2024-02-01)",
    ours: chatMessage,
    schema: () => named("chatCompletionResponseMessage"),
    // 2024-02-01 requires nothing here; replies always carry role and content.
    weRequire: ["role", "content"],
  },
  {
    name: "CompletionCreateParams (2024-02-01)",
    ours: completionParams,
    schema: (doc) => inline(doc, "/deployments/{deployment-id}/completions", "request"),
    // 2024-02-01 leaves prompt optional; 2024-10-21 requires it (nullable).
    weRequire: ["prompt"],
  },
  {
    name: "Completion (2024-02-01)",
    ours: completion,
    schema: (doc) => inline(doc, "/deployments/{deployment-id}/completions", "response"),
  },
  {
    name: "EmbeddingCreateParams (2024-02-01)",
    ours: embeddingParams,
    schema: (doc) => inline(doc, "/deployments/{deployment-id}/embeddings", "request"),
  },
  {
    name: "CreateEmbeddingResponse (2024-02-01)",
    ours: embeddingResponse,
    schema: (doc) => inline(doc, "/deployments/{deployment-id}/embeddings", "response"),
  },
  {
    name: "AzureSearchChatExtensionParameters (2024-02-01)",
    ours: azureSearchParams,
    schema: () => named("azureSearchChatExtensionParameters"),
  },
];

function sorted(values: Iterable<string>): string[] {
  return [...values].sort();
}

async function compare(version: string, cases: Case[]): Promise<void> {
  const doc = await loadSpec(version);
  for (const c of cases) {
    const spec = fieldsOf(doc, c.schema(doc));
    const ourRequired = new Set(c.ours.required);
    const ourKeys = new Set([...c.ours.required, ...c.ours.optional]);
    assert.deepEqual(
      sorted([...ourRequired].filter((k) => !spec.required.has(k))),
      sorted(c.weRequire ?? []),
      `${version} ${c.name}: keys we require but the schema does not`,
    );
    assert.deepEqual(
      sorted([...spec.required].filter((k) => !ourRequired.has(k))),
      sorted(c.weRelax ?? []),
      `${version} ${c.name}: keys the schema requires but we do not`,
    );
    assert.deepEqual(
      sorted([...spec.properties].filter((k) => !ourKeys.has(k))),
      sorted(c.notOurs ?? []),
      `${version} ${c.name}: schema properties missing from our type`,
    );
  }
}

Deno.test("wire types require what the 2024-10-21 schemas require and have all their fields", async () => {
  await compare("2024-10-21", CASES_2024_10_21);
});

Deno.test("wire types require what the 2024-02-01 schemas require and have all their fields", async () => {
  await compare("2024-02-01", CASES_2024_02_01);
});

Deno.test("wire types cover the fields the 2024-05-01-preview schemas add", async () => {
  await compare("2024-05-01-preview", CASES_2024_05_01_PREVIEW);
});

Deno.test("fieldsOf() follows $ref and allOf when reading a schema", async () => {
  const doc = await loadSpec("2024-10-21");
  const verbose = fieldsOf(doc, named("audioVerboseResponse"));
  assert.deepEqual(sorted(verbose.required), ["text"]);
  assert.deepEqual(sorted(verbose.properties), [
    "duration",
    "language",
    "segments",
    "task",
    "text",
  ]);
});
