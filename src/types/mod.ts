/**
 * Wire types of the Azure OpenAI inference API (request params, replies, stream
 * chunks, errors), read from the official OpenAPI documents.
 *
 * @example Type a chat request
 * ```ts
 * import type { ChatCompletionCreateParams } from "@aoai/edge";
 * const params: ChatCompletionCreateParams = { messages: [{ role: "user", content: "Hi" }] };
 * console.log(params.messages[0].role); // user
 * ```
 *
 * @module
 */

export type {
  ApiVersion,
  CompletionTokensDetails,
  CompletionUsage,
  ContentFilterCitation,
  ContentFilterDetailedResults,
  ContentFilterDetectedResult,
  ContentFilterDetectedWithCitationResult,
  ContentFilterErrorDetail,
  ContentFilterIdResult,
  ContentFilterResult,
  ContentFilterResults,
  ContentFilterSeverity,
  ErrorBody,
  ErrorInnerError,
  ErrorResponse,
  GatewayErrorBody,
  InnerErrorCode,
  PromptFilterResult,
  PromptTokensDetails,
} from "./common.ts";

export type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionContentPartFile,
  ChatCompletionContentPartImage,
  ChatCompletionContentPartInputAudio,
  ChatCompletionContentPartRefusal,
  ChatCompletionContentPartText,
  ChatCompletionDeveloperMessageParam,
  ChatCompletionFunctionCall,
  ChatCompletionFunctionMessageParam,
  ChatCompletionImageDetail,
  ChatCompletionImageUrl,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
  ChatCompletionRole,
  ChatCompletionSystemMessageParam,
  ChatCompletionToolMessageParam,
  ChatCompletionUserMessageParam,
} from "./chat_messages.ts";

export type {
  ChatCompletion,
  ChatCompletionAudio,
  ChatCompletionAudioParam,
  ChatCompletionChoice,
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionFinishReason,
  ChatCompletionFunctionCallOption,
  ChatCompletionFunctions,
  ChatCompletionLogprobs,
  ChatCompletionMessage,
  ChatCompletionNamedToolChoice,
  ChatCompletionPredictionContent,
  ChatCompletionStreamOptions,
  ChatCompletionTokenLogprob,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
  ChatCompletionTopLogprob,
  FunctionDefinition,
  FunctionParameters,
  ReasoningEffort,
  ResponseFormat,
  ResponseFormatJsonObject,
  ResponseFormatJsonSchema,
  ResponseFormatJsonSchemaDefinition,
  ResponseFormatText,
  UserSecurityContext,
} from "./chat.ts";

export type {
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  ChatCompletionChunkDelta,
  ChatCompletionChunkToolCallDelta,
  ContentFilterOffsets,
} from "./chat_chunk.ts";

export type {
  OnYourDataAccessTokenAuthenticationOptions,
  OnYourDataApiKeyAuthenticationOptions,
  OnYourDataAuthenticationOptions,
  OnYourDataConnectionStringAuthenticationOptions,
  OnYourDataDeploymentNameVectorizationSource,
  OnYourDataEncodedApiKeyAuthenticationOptions,
  OnYourDataEndpointVectorizationSource,
  OnYourDataKeyAndKeyIdAuthenticationOptions,
  OnYourDataModelIdVectorizationSource,
  OnYourDataSystemAssignedManagedIdentityAuthenticationOptions,
  OnYourDataUserAssignedManagedIdentityAuthenticationOptions,
  OnYourDataVectorizationSource,
} from "./on_your_data_auth.ts";

export type {
  AzureChatExtensionCommonParameters,
  AzureChatExtensionConfiguration,
  AzureCosmosDBChatExtensionConfiguration,
  AzureCosmosDBChatExtensionParameters,
  AzureCosmosDBFieldMappingOptions,
  AzureMachineLearningIndexChatExtensionConfiguration,
  AzureMachineLearningIndexChatExtensionParameters,
  AzureSearchChatExtensionConfiguration,
  AzureSearchChatExtensionParameters,
  AzureSearchIndexFieldMappingOptions,
  AzureSearchQueryType,
  ChatCompletionMessageContext,
  Citation,
  ElasticsearchChatExtensionConfiguration,
  ElasticsearchChatExtensionParameters,
  ElasticsearchIndexFieldMappingOptions,
  OnYourDataContextProperty,
  PineconeChatExtensionConfiguration,
  PineconeChatExtensionParameters,
  PineconeFieldMappingOptions,
  RetrievedDocument,
} from "./on_your_data.ts";

export type {
  Completion,
  CompletionChoice,
  CompletionChunk,
  CompletionCreateParams,
  CompletionCreateParamsNonStreaming,
  CompletionCreateParamsStreaming,
  CompletionFinishReason,
  CompletionLogprobs,
} from "./completions.ts";

export type {
  CreateEmbeddingResponse,
  CreateEmbeddingResponseBase64,
  Embedding,
  EmbeddingBase64,
  EmbeddingCreateParams,
  EmbeddingEncodingFormat,
  EmbeddingUsage,
} from "./embeddings.ts";

export type {
  Image,
  ImageGenerateParams,
  ImageOperation,
  ImageOperationError,
  ImageOperationStatus,
  ImageQuality,
  ImageResponseFormat,
  ImageSize,
  ImagesResponse,
  ImageStyle,
  ImageSubmitParams,
  ImageSubmitResponse,
  ImagesUsage,
} from "./images.ts";

export type {
  AudioFile,
  AudioResponseFormat,
  SpeechCreateParams,
  SpeechResponseFormat,
  SpeechVoice,
  Transcription,
  TranscriptionCreateParams,
  TranscriptionCreateParamsNonStreaming,
  TranscriptionCreateParamsStreaming,
  TranscriptionLogprob,
  TranscriptionSegment,
  TranscriptionStreamEvent,
  TranscriptionTextDeltaEvent,
  TranscriptionTextDoneEvent,
  TranscriptionTextSegmentEvent,
  TranscriptionTimestampGranularity,
  TranscriptionUsage,
  TranscriptionVerbose,
  TranscriptionWord,
  Translation,
  TranslationCreateParams,
  TranslationVerbose,
} from "./audio.ts";

export type {
  ChatCompletionFunctionTool,
  ChatCompletionMessageFunctionToolCall,
  ChatCompletionModality,
  ChatCompletionReasoningEffort,
  ResponseFormatJSONObject,
  ResponseFormatJSONSchema,
  TranscriptionCreateResponse,
  TranscriptionInclude,
  TranslationCreateResponse,
} from "./sdk_names.ts";
export type {
  ExtractParsedContentFromParams,
  ParsedChatCompletion,
  ParsedChatCompletionMessage,
  ParsedChoice,
  ParsedFunction,
  ParsedFunctionToolCall,
} from "./chat_parsed.ts";
