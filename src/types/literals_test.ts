/**
 * Compile-time and run-time checks with literal wire objects written after the spec
 * examples and the live service: each literal is assigned to its type (so `deno check`
 * fails if the type rejects a real shape), `@ts-expect-error` lines pin what the types
 * must reject, and the runtime checkers must accept the literals and reject broken
 * copies of them.
 */

import assert from "node:assert/strict";
import { problemsOf } from "./_check_test.ts";
import { dataSource, errorResponse } from "./_shapes_test.ts";
import {
  chatChunk,
  chatCompletion,
  chatParams,
  embeddingResponse,
  imageOperation,
  imageParams,
  imagesResponse,
  imageSubmitResponse,
  speechParams,
  transcriptionParams,
  transcriptionVerbose,
} from "./_shapes_ops_test.ts";
import type * as T from "./mod.ts";

const reply: T.ChatCompletion = {
  id: "chatcmpl-7R1nGnsXO8n4oi9UPz2f3UHdgAYMn",
  object: "chat.completion",
  created: 1686676106,
  model: "gpt-4o-2024-05-13",
  system_fingerprint: "fp_abc",
  prompt_filter_results: [{
    prompt_index: 0,
    content_filter_results: {
      hate: { filtered: false, severity: "safe" },
      jailbreak: { filtered: false, detected: false },
    },
  }],
  choices: [{
    index: 0,
    finish_reason: "stop",
    logprobs: null,
    message: {
      role: "assistant",
      content: "Content of the completion [doc1].",
      refusal: null,
      context: {
        citations: [{
          content: "Citation content.",
          title: "Citation Title",
          filepath: "contoso.txt",
          url: "https://contoso.blob.windows.net/container/contoso.txt",
          chunk_id: "0",
        }],
        intent: "dog care",
      },
    },
    content_filter_results: {
      protected_material_code: {
        filtered: false,
        detected: true,
        citation: { URL: "https://github.com/x/y", license: "MIT" },
      },
    },
  }],
  usage: {
    completion_tokens: 557,
    prompt_tokens: 33,
    total_tokens: 590,
    completion_tokens_details: { reasoning_tokens: 0 },
  },
};

const searchRequest: T.ChatCompletionCreateParamsNonStreaming = {
  messages: [
    { role: "user", content: "can you tell me how to care for a cat?" },
    {
      role: "assistant",
      content: "Content of the completion [doc1].",
      context: { intent: "cat care" },
    },
    { role: "user", content: "how about dog?" },
  ],
  data_sources: [{
    type: "azure_search",
    parameters: {
      endpoint: "https://your-search-endpoint.search.windows.net/",
      authentication: {
        type: "user_assigned_managed_identity",
        managed_identity_resource_id: "/subscriptions/s/resourceGroups/g/providers/x/y/z",
      },
      index_name: "docs",
      query_type: "vector",
      embedding_dependency: { type: "deployment_name", deployment_name: "embedding" },
      in_scope: true,
      top_n_documents: 5,
      strictness: 3,
      role_information: "You are an AI assistant that helps people find information.",
      fields_mapping: {
        content_fields_separator: "\\n",
        content_fields: ["content"],
        filepath_field: "filepath",
        title_field: "title",
        url_field: "url",
        vector_fields: ["contentvector"],
      },
    },
  }],
};

const toolRequest: T.ChatCompletionCreateParamsStreaming = {
  model: "gpt-4o",
  stream: true,
  stream_options: { include_usage: true },
  messages: [
    { role: "system", content: [{ type: "text", text: "Be brief." }] },
    {
      role: "user",
      content: [
        { type: "text", text: "Weather where this photo was taken?" },
        { type: "image_url", image_url: { url: "data:image/png;base64,AAAA", detail: "high" } },
      ],
    },
    {
      role: "assistant",
      content: null,
      tool_calls: [{
        id: "call_1",
        type: "function",
        function: { name: "weather", arguments: '{"city":"Paris"}' },
      }],
    },
    { role: "tool", tool_call_id: "call_1", content: "sunny" },
  ],
  tools: [{
    type: "function",
    function: {
      name: "weather",
      description: "Current weather",
      parameters: { type: "object", properties: { city: { type: "string" } } },
      strict: true,
    },
  }],
  tool_choice: { type: "function", function: { name: "weather" } },
  parallel_tool_calls: false,
  response_format: {
    type: "json_schema",
    json_schema: { name: "answer", schema: { type: "object" }, strict: true },
  },
  max_completion_tokens: 100,
  logit_bias: { "50256": -100 },
  logprobs: true,
  top_logprobs: 2,
  seed: 42,
  stop: ["\n\n"],
};

/** A stream as Azure sends it: prompt-filter chunk, deltas, a filter-only chunk, usage. */
const stream: T.ChatCompletionChunk[] = [
  {
    id: "",
    object: "",
    created: 0,
    model: "",
    choices: [],
    prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }],
  },
  {
    id: "c1",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4o",
    choices: [{
      index: 0,
      finish_reason: null,
      delta: {
        role: "assistant",
        content: null,
        tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "weather" } }],
      },
    }],
  },
  {
    id: "c1",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4o",
    choices: [{
      index: 0,
      finish_reason: "tool_calls",
      delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":"Paris"}' } }] },
      logprobs: { content: [{ token: "{", logprob: -0.1, bytes: [123], top_logprobs: [] }] },
    }],
  },
  {
    id: "c1",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4o",
    choices: [{
      index: 0,
      content_filter_results: { violence: { filtered: false, severity: "low" } },
      content_filter_offsets: { check_offset: 10, start_offset: 0, end_offset: 10 },
    }],
  },
  {
    id: "c1",
    object: "chat.completion.chunk",
    created: 1,
    model: "gpt-4o",
    choices: [],
    usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
  },
];

const embeddings: T.CreateEmbeddingResponse = {
  object: "list",
  model: "text-embedding-3-small",
  data: [{ object: "embedding", index: 0, embedding: [0.6, 0.8] }],
  usage: { prompt_tokens: 4, total_tokens: 4 },
};
const embeddingsBase64: T.CreateEmbeddingResponseBase64 = {
  ...embeddings,
  data: [{ object: "embedding", index: 0, embedding: "mpkZP83MTD8=" }],
};

const images: T.ImagesResponse = {
  created: 1698342300,
  data: [{
    revised_prompt: "A vivid, natural representation of Microsoft Clippy wearing a cowboy hat.",
    url: "https://dalletipusw2.blob.core.windows.net/private/images/generated_00.png",
    prompt_filter_results: {
      sexual: { severity: "safe", filtered: false },
      profanity: { detected: false, filtered: false },
      custom_blocklists: { filtered: false, details: [] },
    },
    content_filter_results: { hate: { severity: "safe", filtered: false } },
  }],
};
const submitted: T.ImageSubmitResponse = { id: "op-1", status: "notRunning", created: 0 };
const operation: T.ImageOperation = {
  created: 1686676595,
  expires: 1686762999,
  id: "op-1",
  result: { created: 1686676595, data: [{ url: "https://image/path" }] },
  status: "succeeded",
};
const failed: T.ImageOperation = {
  id: "op-2",
  created: 1,
  status: "failed",
  error: { code: "contentFilter", message: "Your task failed.", details: [] },
};

const verbose: T.TranscriptionVerbose = {
  task: "transcribe",
  language: "english",
  duration: 1.5,
  text: "Hello.",
  segments: [{
    id: 0,
    seek: 0,
    start: 0,
    end: 1.5,
    text: "Hello.",
    tokens: [50364, 2425],
    temperature: 0,
    avg_logprob: -0.3,
    compression_ratio: 0.6,
    no_speech_prob: 0.01,
  }],
  words: [{ word: "Hello", start: 0, end: 0.5 }],
};

const filtered: T.ErrorResponse = {
  error: {
    message: "The response was filtered due to the prompt triggering content management policy.",
    type: null,
    param: "prompt",
    code: "content_filter",
    status: 400,
    innererror: {
      code: "ResponsibleAIPolicyViolation",
      content_filter_result: {
        hate: { filtered: true, severity: "high" },
        jailbreak: { filtered: false, detected: false },
      },
    },
  },
};

// ---- what the types must reject --------------------------------------------

// @ts-expect-error a streaming params object needs `stream: true`
const _noStream: T.ChatCompletionCreateParamsStreaming = { messages: [] };
// @ts-expect-error a non-streaming params object cannot ask for a stream
const _stream: T.ChatCompletionCreateParamsNonStreaming = { messages: [], stream: true };
// @ts-expect-error severities are safe/low/medium/high
const _severity: T.ContentFilterResult = { filtered: true, severity: "extreme" };
// @ts-expect-error a tool message answers a tool call id
const _tool: T.ChatCompletionMessageParam = { role: "tool", content: "x" };
const _refusal: T.ChatCompletionUserMessageParam = {
  role: "user",
  // @ts-expect-error refusal parts belong to assistant messages only
  content: [{ type: "refusal", refusal: "no" }],
};
// @ts-expect-error a streamed tool call fragment carries its index
const _delta: T.ChatCompletionChunkToolCallDelta = { id: "call_1" };
// @ts-expect-error DALL-E 3's and gpt-image-1's qualities only
const _quality: T.ImageQuality = "ultra";
// Any size string: the service checks it against the deployment's model (gpt-image-1 sizes).
const _size: T.ImageSize[] = ["1536x1024", "auto", "2048x2048"];
const _auth: T.AzureSearchChatExtensionParameters["authentication"] = {
  // @ts-expect-error Azure Search does not take connection strings
  type: "connection_string",
  connection_string: "x",
};
// @ts-expect-error base64 vectors belong to CreateEmbeddingResponseBase64
const _b64: T.Embedding = { object: "embedding", index: 0, embedding: "AAAA" };
// @ts-expect-error api versions are strings
const _version: T.ApiVersion = 20241021;
const _futureVersion: T.ApiVersion = "2099-01-01-preview";

// ---- open enums: values a newer api-version or model may add ---------------
// The client sends these as given (b92f7f6), so the types take any string too; each line
// needed a cast before. The known literals stay in the unions for autocompletion.

const _newImageParams: T.ImageGenerateParams = {
  prompt: "a fox",
  style: "cinematic",
  response_format: "webp_url",
};
const _newImageStyle: T.ImageStyle = "cinematic";
const _newImageFormat: T.ImageResponseFormat = "webp_url";
const _newSpeechParams: T.SpeechCreateParams = {
  input: "hi",
  voice: "alloy",
  response_format: "ogg",
};
const _newSpeechFormat: T.SpeechResponseFormat = "ogg";
const _newGranularities: T.TranscriptionTimestampGranularity[] = ["word", "sentence"];
const _newTranscriptionParams: T.TranscriptionCreateParams = {
  file: new Uint8Array(1),
  timestamp_granularities: ["sentence"],
};
// Closed on purpose: the reply types describe float and base64 vectors only.
// @ts-expect-error a new encoding format needs a cast (its vectors are neither number[] nor base64)
const _newEncoding: T.EmbeddingEncodingFormat = "int8";
// Closed on purpose: an open variant would stop `type` narrowing to `json_schema`.
// @ts-expect-error a new response_format type needs a cast
const _newChatFormat: T.ResponseFormat = { type: "grammar" };

/** Exhaustive switch: fails to compile if a data source kind is added or renamed. */
function sourceName(source: T.AzureChatExtensionConfiguration): string {
  switch (source.type) {
    case "azure_search":
      return source.parameters.index_name;
    case "azure_cosmos_db":
      return source.parameters.container_name;
    case "azure_ml_index":
      return source.parameters.name;
    case "elasticsearch":
      return source.parameters.index_name;
    case "pinecone":
      return source.parameters.environment;
    default: {
      const unknownKind: never = source;
      return unknownKind;
    }
  }
}

/** Exhaustive switch over request message roles. */
function textOf(message: T.ChatCompletionMessageParam): string {
  switch (message.role) {
    case "system":
    case "developer":
    case "user":
    case "tool":
      return typeof message.content === "string" ? message.content : "[parts]";
    case "assistant":
      return message.content == null ? "" : String(message.content);
    case "function":
      return message.content ?? "";
    default: {
      const unknownRole: never = message;
      return unknownRole;
    }
  }
}

// ---- run time --------------------------------------------------------------

Deno.test("checkers accept every literal wire object that the types accept", () => {
  const cases: Array<[string, ReturnType<typeof problemsOf>]> = [
    ["reply", problemsOf(chatCompletion, reply)],
    ["searchRequest", problemsOf(chatParams, searchRequest)],
    ["toolRequest", problemsOf(chatParams, toolRequest)],
    ["embeddings", problemsOf(embeddingResponse, embeddings)],
    ["images", problemsOf(imagesResponse, images)],
    ["submitted", problemsOf(imageSubmitResponse, submitted)],
    ["operation", problemsOf(imageOperation, operation)],
    ["failed", problemsOf(imageOperation, failed)],
    ["verbose", problemsOf(transcriptionVerbose, verbose)],
    ["filtered", problemsOf(errorResponse, filtered)],
    ...stream.map((c, i): [string, string[]] => [`stream[${i}]`, problemsOf(chatChunk, c)]),
  ];
  for (const [name, problems] of cases) assert.deepEqual(problems, [], name);
});

Deno.test("checkers report the path of each field that breaks the type", () => {
  const broken = structuredClone(reply) as unknown as Record<string, unknown>;
  const choice = (broken.choices as Record<string, unknown>[])[0];
  choice.finish_reason = "done";
  (choice.message as Record<string, unknown>).role = "user";
  delete broken.created;
  broken.extra = 1;
  assert.deepEqual(problemsOf(chatCompletion, broken), [
    "$.created: missing",
    '$.choices[0].message.role: expected one of ["assistant"], got "user"',
    '$.choices[0].finish_reason: expected one of ["stop","length","tool_calls","content_filter","function_call"], got "done"',
    "$.extra: not in the type",
  ]);
});

Deno.test("dataSource check reports an authentication kind Azure Search does not take", () => {
  const source = structuredClone(searchRequest.data_sources?.[0]) as unknown as {
    parameters: { authentication: unknown };
  };
  source.parameters.authentication = { type: "connection_string", connection_string: "x" };
  assert.deepEqual(problemsOf(dataSource, source), [
    '$.parameters.authentication.type: unexpected "connection_string"',
  ]);
});

Deno.test("checkers accept values of the open enums that the types accept", () => {
  assert.deepEqual(problemsOf(imageParams, _newImageParams), []);
  assert.deepEqual(problemsOf(speechParams, _newSpeechParams), []);
  assert.deepEqual(problemsOf(transcriptionParams, _newTranscriptionParams), []);
  assert.deepEqual(
    [_newImageStyle, _newImageFormat, _newSpeechFormat, ..._newGranularities],
    ["cinematic", "webp_url", "ogg", "word", "sentence"],
  );
});

Deno.test("discriminated unions narrow by type and role", () => {
  const sources = searchRequest.data_sources ?? [];
  assert.deepEqual(sources.map(sourceName), ["docs"]);
  assert.deepEqual(toolRequest.messages.map(textOf), ["[parts]", "[parts]", "", "sunny"]);
  assert.equal(embeddingsBase64.data[0].embedding, "mpkZP83MTD8=");
  assert.equal(_futureVersion, "2099-01-01-preview");
});
