/**
 * Runtime checks for the wire types, built with `_check_test.ts` so that each one is
 * tied to its type at compile time. Test-only; registers no tests.
 *
 * @module
 */

import {
  anyOf,
  arrayOf,
  bool,
  lit,
  nullable,
  num,
  openString,
  shape,
  str,
  union,
} from "./_check_test.ts";
import type * as T from "./mod.ts";

// ---- common ----------------------------------------------------------------

export const severity = shape<T.ContentFilterResult>({ filtered: bool }, {
  severity: lit("safe", "low", "medium", "high"),
});
export const detected = shape<T.ContentFilterDetectedResult>(
  { filtered: bool, detected: bool },
  {},
);
const idResult = shape<T.ContentFilterIdResult>({ filtered: bool, id: str }, {});
const filterResults = shape<T.ContentFilterResults>({}, {
  hate: severity,
  sexual: severity,
  violence: severity,
  self_harm: severity,
  profanity: detected,
  jailbreak: detected,
  indirect_attack: detected,
  protected_material_text: detected,
  protected_material_code: shape<T.ContentFilterDetectedWithCitationResult>(
    { filtered: bool, detected: bool },
    { citation: shape<T.ContentFilterCitation>({}, { URL: str, license: str }) },
  ),
  custom_blocklists: anyOf(
    shape<T.ContentFilterDetailedResults>({ filtered: bool, details: arrayOf(idResult) }, {}),
    arrayOf(idResult),
  ),
  error: shape<T.ContentFilterErrorDetail>({}, { code: str, message: str }),
});
const promptFilter = shape<T.PromptFilterResult>({ prompt_index: num }, {
  content_filter_results: filterResults,
});
export const usage = shape<T.CompletionUsage>(
  { prompt_tokens: num, completion_tokens: num, total_tokens: num },
  {
    completion_tokens_details: shape<T.CompletionTokensDetails>({}, {
      reasoning_tokens: num,
      audio_tokens: num,
      accepted_prediction_tokens: num,
      rejected_prediction_tokens: num,
    }),
    prompt_tokens_details: shape<T.PromptTokensDetails>({}, {
      cached_tokens: num,
      audio_tokens: num,
    }),
  },
);
export const innerError = shape<T.ErrorInnerError>({}, {
  code: openString<T.InnerErrorCode>(),
  content_filter_results: filterResults,
  content_filter_result: filterResults,
  revised_prompt: str,
});
export const errorBody = shape<T.ErrorBody>({}, {
  code: nullable(str),
  message: str,
  param: nullable(str),
  type: nullable(str),
  status: num,
  inner_error: innerError,
  innererror: innerError,
});
export const errorResponse = shape<T.ErrorResponse>({}, { error: errorBody });
export { filterResults, promptFilter };

// ---- On Your Data ----------------------------------------------------------

export const apiKeyAuth = shape<T.OnYourDataApiKeyAuthenticationOptions>(
  { type: lit("api_key"), key: str },
  {},
);
export const accessTokenAuth = shape<T.OnYourDataAccessTokenAuthenticationOptions>(
  { type: lit("access_token"), access_token: str },
  {},
);
export const connectionStringAuth = shape<T.OnYourDataConnectionStringAuthenticationOptions>(
  { type: lit("connection_string"), connection_string: str },
  {},
);
export const systemIdentityAuth = shape<
  T.OnYourDataSystemAssignedManagedIdentityAuthenticationOptions
>(
  { type: lit("system_assigned_managed_identity") },
  {},
);
export const userIdentityAuth = shape<T.OnYourDataUserAssignedManagedIdentityAuthenticationOptions>(
  { type: lit("user_assigned_managed_identity"), managed_identity_resource_id: str },
  {},
);
export const endpointVectorization = shape<T.OnYourDataEndpointVectorizationSource>({
  type: lit("endpoint"),
  endpoint: str,
  authentication: union<
    T.OnYourDataApiKeyAuthenticationOptions | T.OnYourDataAccessTokenAuthenticationOptions,
    "type"
  >("type", { api_key: apiKeyAuth, access_token: accessTokenAuth }),
}, { dimensions: num });
export const deploymentVectorization = shape<T.OnYourDataDeploymentNameVectorizationSource>(
  { type: lit("deployment_name"), deployment_name: str },
  { dimensions: num },
);
const embeddingDependency = union<
  T.OnYourDataEndpointVectorizationSource | T.OnYourDataDeploymentNameVectorizationSource,
  "type"
>("type", { endpoint: endpointVectorization, deployment_name: deploymentVectorization });
const commonParameters = {
  top_n_documents: num,
  in_scope: bool,
  strictness: num,
  role_information: str,
  max_search_queries: num,
  allow_partial_result: bool,
  include_contexts: arrayOf(lit("citations", "intent", "all_retrieved_documents")),
};
export const searchFieldMapping = shape<T.AzureSearchIndexFieldMappingOptions>({}, {
  title_field: str,
  url_field: str,
  filepath_field: str,
  content_fields: arrayOf(str),
  content_fields_separator: str,
  vector_fields: arrayOf(str),
  image_vector_fields: arrayOf(str),
});
export const azureSearchParams = shape<T.AzureSearchChatExtensionParameters>({
  endpoint: str,
  index_name: str,
  authentication: union<T.AzureSearchChatExtensionParameters["authentication"], "type">("type", {
    api_key: apiKeyAuth,
    system_assigned_managed_identity: systemIdentityAuth,
    user_assigned_managed_identity: userIdentityAuth,
    access_token: accessTokenAuth,
  }),
}, {
  ...commonParameters,
  fields_mapping: searchFieldMapping,
  query_type: lit(
    "simple",
    "semantic",
    "vector",
    "vector_simple_hybrid",
    "vector_semantic_hybrid",
  ),
  semantic_configuration: str,
  filter: str,
  embedding_dependency: embeddingDependency,
});
const azureSearch = shape<T.AzureSearchChatExtensionConfiguration>({
  type: lit("azure_search"),
  parameters: azureSearchParams,
}, {});
export const cosmosFieldMapping = shape<T.AzureCosmosDBFieldMappingOptions>(
  { content_fields: arrayOf(str), vector_fields: arrayOf(str) },
  { title_field: str, url_field: str, filepath_field: str, content_fields_separator: str },
);
export const cosmosParams = shape<T.AzureCosmosDBChatExtensionParameters>({
  authentication: connectionStringAuth,
  database_name: str,
  container_name: str,
  index_name: str,
  fields_mapping: cosmosFieldMapping,
  embedding_dependency: embeddingDependency,
}, commonParameters);
const cosmosDb = shape<T.AzureCosmosDBChatExtensionConfiguration>({
  type: lit("azure_cosmos_db"),
  parameters: cosmosParams,
}, {});
export const dataSource = union<T.AzureChatExtensionConfiguration, "type">("type", {
  azure_search: azureSearch,
  azure_cosmos_db: cosmosDb,
});
const citationOptional = { title: str, url: str, filepath: str, chunk_id: str };
export const citation = shape<T.Citation>({ content: str }, citationOptional);
export const retrievedDocument = shape<T.RetrievedDocument>({
  content: str,
  search_queries: arrayOf(str),
  data_source_index: num,
  original_search_score: num,
}, { ...citationOptional, rerank_score: num, filter_reason: lit("score", "rerank") });
export const messageContext = shape<T.ChatCompletionMessageContext>({}, {
  citations: arrayOf(citation),
  intent: str,
  all_retrieved_documents: arrayOf(retrievedDocument),
});

// ---- chat messages ---------------------------------------------------------

const textPart = shape<T.ChatCompletionContentPartText>({ type: lit("text"), text: str }, {});
const refusalPart = shape<T.ChatCompletionContentPartRefusal>(
  { type: lit("refusal"), refusal: str },
  {},
);
const imagePart = shape<T.ChatCompletionContentPartImage>({
  type: lit("image_url"),
  image_url: shape<T.ChatCompletionImageUrl>({ url: str }, { detail: lit("auto", "low", "high") }),
}, {});
const inputAudioPart = shape<T.ChatCompletionContentPartInputAudio>({
  type: lit("input_audio"),
  input_audio: shape<T.ChatCompletionContentPartInputAudio["input_audio"]>(
    { data: str, format: lit("wav", "mp3") },
    {},
  ),
}, {});
const filePart = shape<T.ChatCompletionContentPartFile>({
  type: lit("file"),
  file: shape<T.ChatCompletionContentPartFile["file"]>({}, {
    file_data: str,
    file_id: str,
    filename: str,
  }),
}, {});
const functionCall = shape<T.ChatCompletionFunctionCall>({ name: str, arguments: str }, {});
export const toolCall = shape<T.ChatCompletionMessageToolCall>(
  { id: str, type: lit("function"), function: functionCall },
  {},
);
const textContent = anyOf(str, arrayOf(textPart));
export const messageParam = union<T.ChatCompletionMessageParam, "role">("role", {
  system: shape<T.ChatCompletionSystemMessageParam>(
    { role: lit("system"), content: textContent },
    { name: str },
  ),
  developer: shape<T.ChatCompletionDeveloperMessageParam>(
    { role: lit("developer"), content: textContent },
    { name: str },
  ),
  user: shape<T.ChatCompletionUserMessageParam>({
    role: lit("user"),
    content: anyOf(
      str,
      arrayOf(
        union<T.ChatCompletionContentPart, "type">("type", {
          text: textPart,
          image_url: imagePart,
          input_audio: inputAudioPart,
          file: filePart,
        }),
      ),
    ),
  }, { name: str }),
  assistant: shape<T.ChatCompletionAssistantMessageParam>({ role: lit("assistant") }, {
    content: nullable(anyOf(
      str,
      arrayOf(
        union<T.ChatCompletionContentPartText | T.ChatCompletionContentPartRefusal, "type">(
          "type",
          { text: textPart, refusal: refusalPart },
        ),
      ),
    )),
    refusal: nullable(str),
    name: str,
    tool_calls: arrayOf(toolCall),
    function_call: nullable(functionCall),
    context: messageContext,
    audio: nullable(shape<{ id: string }>({ id: str }, {})),
  }),
  tool: shape<T.ChatCompletionToolMessageParam>(
    { role: lit("tool"), content: textContent, tool_call_id: str },
    {},
  ),
  function: shape<T.ChatCompletionFunctionMessageParam>(
    { role: lit("function"), content: nullable(str), name: str },
    {},
  ),
});
