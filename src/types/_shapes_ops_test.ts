/**
 * Runtime checks for the per-operation wire types (chat, completions, embeddings,
 * images, audio), tied to the types at compile time by `_check_test.ts`.
 * Test-only; registers no tests.
 *
 * @module
 */

import {
  anyOf,
  arrayOf,
  bool,
  type Check,
  lazy,
  lit,
  nullable,
  num,
  type ObjectCheck,
  opaque,
  openString,
  recordOf,
  shape,
  str,
  union,
} from "./_check_test.ts";
import {
  dataSource,
  filterResults,
  messageContext,
  messageParam,
  promptFilter,
  toolCall,
  usage,
} from "./_shapes_test.ts";
import type * as T from "./mod.ts";

// ---- chat request ----------------------------------------------------------

const parameters = opaque<T.FunctionParameters>();
const functionDefinition = shape<T.FunctionDefinition>({ name: str }, {
  description: str,
  parameters,
  strict: nullable(bool),
});
const namedToolChoice = shape<T.ChatCompletionNamedToolChoice>({
  type: lit("function"),
  function: shape<{ name: string }>({ name: str }, {}),
}, {});
const stop = nullable(anyOf(str, arrayOf(str)));
export const chatParams: ObjectCheck<T.ChatCompletionCreateParams> = shape<
  T.ChatCompletionCreateParams
>({ messages: arrayOf(messageParam) }, {
  model: str,
  temperature: nullable(num),
  top_p: nullable(num),
  n: nullable(num),
  stream: nullable(bool),
  stream_options: nullable(shape<T.ChatCompletionStreamOptions>({}, { include_usage: bool })),
  stop,
  max_tokens: nullable(num),
  max_completion_tokens: nullable(num),
  presence_penalty: nullable(num),
  frequency_penalty: nullable(num),
  logit_bias: nullable(recordOf(num)),
  user: str,
  tools: arrayOf(
    shape<T.ChatCompletionTool>({ type: lit("function"), function: functionDefinition }, {}),
  ),
  tool_choice: anyOf(lit("none", "auto", "required"), namedToolChoice),
  parallel_tool_calls: nullable(bool),
  functions: arrayOf(
    shape<T.ChatCompletionFunctions>({ name: str }, { description: str, parameters }),
  ),
  function_call: anyOf(
    lit("none", "auto"),
    shape<T.ChatCompletionFunctionCallOption>({ name: str }, {}),
  ),
  response_format: union<T.ResponseFormat, "type">("type", {
    text: shape<T.ResponseFormatText>({ type: lit("text") }, {}),
    json_object: shape<T.ResponseFormatJsonObject>({ type: lit("json_object") }, {}),
    json_schema: shape<T.ResponseFormatJsonSchema>({
      type: lit("json_schema"),
      json_schema: shape<T.ResponseFormatJsonSchemaDefinition>({ name: str }, {
        description: str,
        schema: opaque<Record<string, unknown>>(),
        strict: nullable(bool),
      }),
    }, {}),
  }),
  seed: nullable(num),
  logprobs: nullable(bool),
  top_logprobs: nullable(num),
  data_sources: arrayOf(dataSource),
  reasoning_effort: nullable(openString<T.ReasoningEffort>()),
  verbosity: nullable(lit("low", "medium", "high")),
  store: nullable(bool),
  metadata: nullable(recordOf(str)),
  modalities: nullable(arrayOf(lit("text", "audio"))),
  audio: nullable(
    shape<T.ChatCompletionAudioParam>({
      voice: str,
      format: lit("wav", "aac", "mp3", "flac", "opus", "pcm16"),
    }, {}),
  ),
  prediction: nullable(
    shape<T.ChatCompletionPredictionContent>({
      type: lit("content"),
      content: anyOf(
        str,
        arrayOf(shape<T.ChatCompletionContentPartText>({
          type: lit("text"),
          text: str,
        }, {})),
      ),
    }, {}),
  ),
  user_security_context: shape<T.UserSecurityContext>({}, {
    application_name: str,
    end_user_id: str,
    end_user_tenant_id: str,
    source_ip: str,
  }),
});

// ---- chat reply and chunk --------------------------------------------------

const topLogprob = { token: str, logprob: num, bytes: nullable(arrayOf(num)) };
const tokenLogprob = shape<T.ChatCompletionTokenLogprob>({
  ...topLogprob,
  top_logprobs: arrayOf(shape<T.ChatCompletionTopLogprob>(topLogprob, {})),
}, {});
const logprobs = shape<T.ChatCompletionLogprobs>({ content: nullable(arrayOf(tokenLogprob)) }, {
  refusal: nullable(arrayOf(tokenLogprob)),
});
const finishReason = lit("stop", "length", "tool_calls", "content_filter", "function_call");
export const chatMessage: ObjectCheck<T.ChatCompletionMessage> = shape<T.ChatCompletionMessage>(
  { role: lit("assistant"), content: nullable(str) },
  {
    refusal: nullable(str),
    tool_calls: arrayOf(toolCall),
    function_call: shape<T.ChatCompletionFunctionCall>({ name: str, arguments: str }, {}),
    context: messageContext,
    audio: nullable(
      shape<T.ChatCompletionAudio>({ id: str, data: str, expires_at: num, transcript: str }, {}),
    ),
  },
);
export const chatChoice: ObjectCheck<T.ChatCompletionChoice> = shape<T.ChatCompletionChoice>({
  index: num,
  message: chatMessage,
  finish_reason: nullable(finishReason),
}, { logprobs: nullable(logprobs), content_filter_results: filterResults });
export const chatCompletion: ObjectCheck<T.ChatCompletion> = shape<T.ChatCompletion>({
  id: str,
  object: lit("chat.completion"),
  created: num,
  model: str,
  choices: arrayOf(chatChoice),
}, {
  system_fingerprint: nullable(str),
  usage,
  prompt_filter_results: arrayOf(promptFilter),
});
const fragment = shape<{ name?: string; arguments?: string }>({}, { name: str, arguments: str });
export const toolCallDelta: ObjectCheck<T.ChatCompletionChunkToolCallDelta> = shape<
  T.ChatCompletionChunkToolCallDelta
>({ index: num }, { id: str, type: lit("function"), function: fragment });
export const chunkDelta: ObjectCheck<T.ChatCompletionChunkDelta> = shape<
  T.ChatCompletionChunkDelta
>({}, {
  role: lit("system", "user", "assistant", "tool"),
  content: nullable(str),
  refusal: nullable(str),
  tool_calls: arrayOf(toolCallDelta),
  function_call: fragment,
  context: messageContext,
});
export const chunkChoice: ObjectCheck<T.ChatCompletionChunkChoice> = shape<
  T.ChatCompletionChunkChoice
>({ index: num }, {
  delta: chunkDelta,
  finish_reason: nullable(finishReason),
  logprobs: nullable(logprobs),
  content_filter_results: filterResults,
  content_filter_offsets: shape<T.ContentFilterOffsets>(
    { check_offset: num, start_offset: num, end_offset: num },
    {},
  ),
});
export const chatChunk: ObjectCheck<T.ChatCompletionChunk> = shape<T.ChatCompletionChunk>({
  id: str,
  object: lit("chat.completion.chunk", ""),
  created: num,
  model: str,
  choices: arrayOf(chunkChoice),
}, {
  system_fingerprint: nullable(str),
  usage: nullable(usage),
  prompt_filter_results: arrayOf(promptFilter),
});

// ---- completions -----------------------------------------------------------

const promptLike = anyOf(str, arrayOf(str), arrayOf(num), arrayOf(arrayOf(num)));
export const completionParams: ObjectCheck<T.CompletionCreateParams> = shape<
  T.CompletionCreateParams
>({ prompt: nullable(promptLike) }, {
  model: str,
  max_tokens: nullable(num),
  temperature: nullable(num),
  top_p: nullable(num),
  logit_bias: nullable(recordOf(num)),
  user: str,
  n: nullable(num),
  stream: nullable(bool),
  stream_options: nullable(shape<T.ChatCompletionStreamOptions>({}, { include_usage: bool })),
  logprobs: nullable(num),
  suffix: nullable(str),
  echo: nullable(bool),
  stop,
  presence_penalty: nullable(num),
  frequency_penalty: nullable(num),
  best_of: nullable(num),
  seed: nullable(num),
  completion_config: nullable(str),
});
export const completionChoice: ObjectCheck<T.CompletionChoice> = shape<T.CompletionChoice>({
  text: str,
  index: num,
  logprobs: nullable(shape<T.CompletionLogprobs>({}, {
    tokens: arrayOf(str),
    token_logprobs: arrayOf(num),
    top_logprobs: arrayOf(recordOf(num)),
    text_offset: arrayOf(num),
  })),
  finish_reason: nullable(lit("stop", "length", "content_filter")),
}, { content_filter_results: filterResults });
export const completion: ObjectCheck<T.Completion> = shape<T.Completion>({
  id: str,
  object: lit("text_completion"),
  created: num,
  model: str,
  choices: arrayOf(completionChoice),
}, { system_fingerprint: nullable(str), usage, prompt_filter_results: arrayOf(promptFilter) });

// ---- embeddings ------------------------------------------------------------

export const embeddingParams: ObjectCheck<T.EmbeddingCreateParams> = shape<
  T.EmbeddingCreateParams
>({ input: promptLike }, {
  model: str,
  user: str,
  input_type: str,
  encoding_format: nullable(lit("float", "base64")),
  dimensions: nullable(num),
});
export const embeddingResponse: ObjectCheck<T.CreateEmbeddingResponse> = shape<
  T.CreateEmbeddingResponse
>({
  object: lit("list"),
  data: arrayOf(
    shape<T.Embedding>({ object: lit("embedding"), index: num, embedding: arrayOf(num) }, {}),
  ),
  model: str,
  usage: shape<T.EmbeddingUsage>({ prompt_tokens: num, total_tokens: num }, {}),
}, {});

// ---- images ----------------------------------------------------------------

export const imageParams: ObjectCheck<T.ImageGenerateParams> = shape<T.ImageGenerateParams>(
  { prompt: str },
  {
    model: str,
    n: num,
    size: openString<T.ImageSize>(),
    response_format: openString<T.ImageResponseFormat>(),
    user: str,
    quality: lit("standard", "hd", "low", "medium", "high", "auto"),
    style: openString<T.ImageStyle>(),
    output_format: lit("png", "jpeg", "webp"),
    output_compression: num,
    background: lit("transparent", "opaque", "auto"),
    moderation: lit("low", "auto"),
  },
);
export const image: ObjectCheck<T.Image> = shape<T.Image>({}, {
  url: str,
  b64_json: str,
  revised_prompt: str,
  content_filter_results: filterResults,
  prompt_filter_results: filterResults,
});
const tokensByKind = shape<{ text_tokens: number; image_tokens: number }>(
  { text_tokens: num, image_tokens: num },
  {},
);
export const imagesResponse: ObjectCheck<T.ImagesResponse> = shape<T.ImagesResponse>(
  { created: num, data: arrayOf(image) },
  {
    usage: shape<T.ImagesUsage>(
      { input_tokens: num, output_tokens: num, total_tokens: num },
      { input_tokens_details: tokensByKind },
    ),
    background: lit("transparent", "opaque"),
    output_format: lit("png", "jpeg", "webp"),
    quality: lit("standard", "hd", "low", "medium", "high", "auto"),
    size: openString<T.ImageSize>(),
  },
);
const operationStatus = openString<T.ImageOperationStatus>();
const operationError: ObjectCheck<T.ImageOperationError> = shape<T.ImageOperationError>(
  { code: str, message: str },
  {
    target: str,
    details: arrayOf(lazy(() => operationError)),
    innererror: opaque<{ code?: string; [key: string]: unknown }>(),
  },
);
export const imageOperation: ObjectCheck<T.ImageOperation> = shape<T.ImageOperation>(
  { id: str, created: num, status: operationStatus },
  { expires: num, result: imagesResponse, error: operationError },
);
export const imageSubmitParams: ObjectCheck<T.ImageSubmitParams> = shape<T.ImageSubmitParams>(
  { prompt: str },
  { n: num, size: lit("256x256", "512x512", "1024x1024"), user: str },
);
export const imageSubmitResponse: ObjectCheck<T.ImageSubmitResponse> = shape<
  T.ImageSubmitResponse
>({ id: str, status: operationStatus }, { created: num });

// ---- audio -----------------------------------------------------------------

export const transcriptionLogprob: ObjectCheck<T.TranscriptionLogprob> = shape<
  T.TranscriptionLogprob
>({}, { token: str, bytes: arrayOf(num), logprob: num });
const usageTokens = shape<Extract<T.TranscriptionUsage, { type: "tokens" }>>({
  type: lit("tokens"),
  input_tokens: num,
  output_tokens: num,
  total_tokens: num,
}, {
  input_token_details: shape<{ audio_tokens?: number; text_tokens?: number }>({}, {
    audio_tokens: num,
    text_tokens: num,
  }),
});
export const transcriptionUsage: Check<T.TranscriptionUsage> = anyOf(
  usageTokens,
  shape<Extract<T.TranscriptionUsage, { type: "duration" }>>({
    type: lit("duration"),
    seconds: num,
  }, {}),
);
export const transcription: ObjectCheck<T.Transcription> = shape<T.Transcription>(
  { text: str },
  { logprobs: arrayOf(transcriptionLogprob), usage: transcriptionUsage },
);
/** The events of a streamed transcription (the openai SDK's TranscriptionStreamEvent). */
export const transcriptionStreamEvent: Check<T.TranscriptionStreamEvent> = anyOf(
  shape<T.TranscriptionTextDeltaEvent>({ type: lit("transcript.text.delta"), delta: str }, {
    logprobs: arrayOf(transcriptionLogprob),
    segment_id: str,
  }),
  shape<T.TranscriptionTextSegmentEvent>({
    type: lit("transcript.text.segment"),
    id: str,
    start: num,
    end: num,
    speaker: str,
    text: str,
  }, {}),
  shape<T.TranscriptionTextDoneEvent>({ type: lit("transcript.text.done"), text: str }, {
    logprobs: arrayOf(transcriptionLogprob),
    usage: usageTokens,
  }),
);
export const segment: ObjectCheck<T.TranscriptionSegment> = shape<T.TranscriptionSegment>({
  id: num,
  seek: num,
  start: num,
  end: num,
  text: str,
  tokens: arrayOf(num),
  temperature: num,
  avg_logprob: num,
  compression_ratio: num,
  no_speech_prob: num,
}, {});
export const word: ObjectCheck<T.TranscriptionWord> = shape<T.TranscriptionWord>(
  { word: str, start: num, end: num },
  {},
);
export const transcriptionVerbose: ObjectCheck<T.TranscriptionVerbose> = shape<
  T.TranscriptionVerbose
>(
  { task: lit("transcribe"), language: str, duration: num, text: str },
  { segments: arrayOf(segment), words: arrayOf(word) },
);
export const speechParams: ObjectCheck<T.SpeechCreateParams> = shape<T.SpeechCreateParams>(
  { input: str, voice: openString<T.SpeechVoice>() },
  {
    model: str,
    response_format: openString<T.SpeechResponseFormat>(),
    speed: num,
    instructions: str,
    stream_format: lit("audio", "sse"),
  },
);
export const translationVerbose: ObjectCheck<T.TranslationVerbose> = shape<T.TranslationVerbose>(
  { task: lit("translate"), language: str, duration: num, text: str },
  { segments: arrayOf(segment) },
);
const audioFile: Check<T.AudioFile> = (v, p, out) => {
  const ok = v instanceof Blob || v instanceof Uint8Array || v instanceof ArrayBuffer ||
    v instanceof ReadableStream;
  if (!ok) out.push(`${p}: expected Blob, File, Uint8Array, ArrayBuffer or ReadableStream`);
};
const audioFormat = lit("json", "verbose_json", "text", "srt", "vtt");
export const transcriptionParams: ObjectCheck<T.TranscriptionCreateParams> = shape<
  T.TranscriptionCreateParams
>({ file: audioFile }, {
  filename: str,
  model: str,
  language: str,
  prompt: str,
  response_format: lit("json", "verbose_json", "text", "srt", "vtt", "diarized_json"),
  temperature: num,
  timestamp_granularities: arrayOf(openString<T.TranscriptionTimestampGranularity>()),
  include: arrayOf(lit("logprobs")),
  stream: nullable(bool),
  chunking_strategy: anyOf(
    lit("auto"),
    shape<Exclude<T.TranscriptionCreateParams["chunking_strategy"], string | undefined>>({
      type: lit("server_vad"),
    }, {
      prefix_padding_ms: num,
      silence_duration_ms: num,
      threshold: num,
    }),
  ),
});
export const translationParams: ObjectCheck<T.TranslationCreateParams> = shape<
  T.TranslationCreateParams
>({ file: audioFile }, {
  filename: str,
  model: str,
  prompt: str,
  response_format: audioFormat,
  temperature: num,
});
export const translation: ObjectCheck<T.Translation> = shape<T.Translation>({ text: str }, {});
