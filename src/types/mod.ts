/**
 * Wire types of the Azure OpenAI inference API (request params, replies, stream
 * chunks, errors), read from the official OpenAPI documents.
 *
 * @example Type a chat request
 * ```ts
 * import type { ChatCompletionCreateParams } from "./mod.ts";
 * const params: ChatCompletionCreateParams = { messages: [{ role: "user", content: "Hi" }] };
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
  ContentFilterError,
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
  ChatCompletionContentPartImage,
  ChatCompletionContentPartRefusal,
  ChatCompletionContentPartText,
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
  ChatCompletionChoice,
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  ChatCompletionChunkDelta,
  ChatCompletionChunkToolCallDelta,
  ChatCompletionCreateParams,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionFinishReason,
  ChatCompletionFunctionCallOption,
  ChatCompletionFunctions,
  ChatCompletionLogprobs,
  ChatCompletionMessage,
  ChatCompletionNamedToolChoice,
  ChatCompletionStreamOptions,
  ChatCompletionTokenLogprob,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
  ChatCompletionTopLogprob,
  ContentFilterOffsets,
  FunctionDefinition,
  FunctionParameters,
  ResponseFormat,
  ResponseFormatJsonObject,
  ResponseFormatJsonSchema,
  ResponseFormatJsonSchemaDefinition,
  ResponseFormatText,
} from "./chat.ts";

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
  OnYourDataAccessTokenAuthenticationOptions,
  OnYourDataApiKeyAuthenticationOptions,
  OnYourDataAuthenticationOptions,
  OnYourDataConnectionStringAuthenticationOptions,
  OnYourDataContextProperty,
  OnYourDataDeploymentNameVectorizationSource,
  OnYourDataEncodedApiKeyAuthenticationOptions,
  OnYourDataEndpointVectorizationSource,
  OnYourDataKeyAndKeyIdAuthenticationOptions,
  OnYourDataModelIdVectorizationSource,
  OnYourDataSystemAssignedManagedIdentityAuthenticationOptions,
  OnYourDataUserAssignedManagedIdentityAuthenticationOptions,
  OnYourDataVectorizationSource,
  PineconeChatExtensionConfiguration,
  PineconeChatExtensionParameters,
  PineconeFieldMappingOptions,
  RetrievedDocument,
} from "./on_your_data.ts";

export type {
  CreateEmbeddingResponse,
  CreateEmbeddingResponseBase64,
  Embedding,
  EmbeddingBase64,
  EmbeddingCreateParams,
  EmbeddingEncodingFormat,
  EmbeddingUsage,
} from "./embeddings.ts";
