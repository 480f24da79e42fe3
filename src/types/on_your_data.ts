/**
 * Wire types of Azure OpenAI "On Your Data" (chat extensions): the `data_sources`
 * entries of a chat request and the `context` (citations, intent) of the reply.
 *
 * Authentication and vectorization types live in `on_your_data_auth.ts` and are
 * re-exported here.
 *
 * Source: `azureChatExtensionConfiguration` and friends in `2024-10-21/inference.json`;
 * the data source kinds, authentication kinds and parameters that only
 * `2024-05-01-preview` has are marked "Preview-only".
 *
 * @module
 */

import type {
  OnYourDataAccessTokenAuthenticationOptions,
  OnYourDataApiKeyAuthenticationOptions,
  OnYourDataConnectionStringAuthenticationOptions,
  OnYourDataDeploymentNameVectorizationSource,
  OnYourDataEncodedApiKeyAuthenticationOptions,
  OnYourDataEndpointVectorizationSource,
  OnYourDataKeyAndKeyIdAuthenticationOptions,
  OnYourDataSystemAssignedManagedIdentityAuthenticationOptions,
  OnYourDataUserAssignedManagedIdentityAuthenticationOptions,
  OnYourDataVectorizationSource,
} from "./on_your_data_auth.ts";

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

/**
 * Which parts of the retrieval context the reply includes. Preview-only.
 *
 * @example Ask for every retrieved document (2024-05-01-preview)
 * ```ts
 * import type { OnYourDataContextProperty } from "@aoai/edge";
 * // The default is citations and intent; add all_retrieved_documents to see what was filtered out.
 * const include: OnYourDataContextProperty[] = ["citations", "intent", "all_retrieved_documents"];
 * console.log(include.includes("all_retrieved_documents")); // true
 * ```
 */
export type OnYourDataContextProperty = "citations" | "intent" | "all_retrieved_documents";

/**
 * Parameters every data source kind shares.
 *
 * @example Tune retrieval the same way for any data source
 * ```ts
 * import type { AzureChatExtensionCommonParameters } from "@aoai/edge";
 * const tuning: AzureChatExtensionCommonParameters = {
 *   in_scope: true,
 *   top_n_documents: 5,
 *   strictness: 3,
 *   role_information: "You are an AI assistant that helps people find information.",
 * };
 * console.log(tuning.top_n_documents, tuning.strictness); // 5 3
 * ```
 */
export interface AzureChatExtensionCommonParameters {
  /** Number of top documents to feature for the query. */
  top_n_documents?: number;
  /** Restrict answers to the indexed data. */
  in_scope?: boolean;
  /** Relevance filtering strictness, 1 (loose) to 5 (strict). */
  strictness?: number;
  /** Instructions for the model (system-message-like). */
  role_information?: string;
  /** Max rewritten queries per user message. Preview-only (2024-05-01-preview). */
  max_search_queries?: number;
  /** Accept partial search results. Preview-only (2024-05-01-preview). */
  allow_partial_result?: boolean;
  /** Context properties to return. Preview-only (2024-05-01-preview). */
  include_contexts?: OnYourDataContextProperty[];
}

/**
 * Azure AI Search query type (`azureSearchQueryType`).
 *
 * @example Pick a hybrid query
 * ```ts
 * import type { AzureSearchQueryType } from "@aoai/edge";
 * // Vector types need an embedding_dependency; semantic types need a semantic configuration.
 * const queryType: AzureSearchQueryType = "vector_semantic_hybrid";
 * console.log(queryType.startsWith("vector")); // true
 * ```
 */
export type AzureSearchQueryType =
  | "simple"
  | "semantic"
  | "vector"
  | "vector_simple_hybrid"
  | "vector_semantic_hybrid";

/**
 * Index field mapping for Azure AI Search (`azureSearchIndexFieldMappingOptions`).
 *
 * @example Map the fields of a search index
 * ```ts
 * import type { AzureSearchIndexFieldMappingOptions } from "@aoai/edge";
 * const fields: AzureSearchIndexFieldMappingOptions = {
 *   title_field: "title",
 *   url_field: "url",
 *   filepath_field: "filepath",
 *   content_fields: ["content"],
 *   content_fields_separator: "\n",
 *   vector_fields: ["contentvector"],
 * };
 * console.log(fields.vector_fields); // [ "contentvector" ]
 * ```
 */
export interface AzureSearchIndexFieldMappingOptions {
  /** Field used as the title. */
  title_field?: string;
  /** Field used as the URL. */
  url_field?: string;
  /** Field used as the file path. */
  filepath_field?: string;
  /** Fields treated as content. */
  content_fields?: string[];
  /** Separator between content fields. */
  content_fields_separator?: string;
  /** Fields holding vector data. */
  vector_fields?: string[];
  /** Fields holding image vector data. Preview-only (2024-05-01-preview). */
  image_vector_fields?: string[];
}

/**
 * Parameters of an Azure AI Search data source.
 *
 * @example Hybrid search over an Azure AI Search index
 * ```ts
 * import type { AzureSearchChatExtensionParameters } from "@aoai/edge";
 * const parameters: AzureSearchChatExtensionParameters = {
 *   endpoint: "https://my-search.search.windows.net",
 *   index_name: "product-docs",
 *   authentication: { type: "system_assigned_managed_identity" },
 *   query_type: "vector_simple_hybrid",
 *   embedding_dependency: { type: "deployment_name", deployment_name: "text-embedding-ada-002" },
 *   fields_mapping: { content_fields: ["content"], vector_fields: ["contentvector"] },
 *   top_n_documents: 5,
 * };
 * console.log(parameters.query_type); // "vector_simple_hybrid"
 * ```
 */
export interface AzureSearchChatExtensionParameters extends AzureChatExtensionCommonParameters {
  /** Azure AI Search endpoint URL. */
  endpoint: string;
  /** Index name. */
  index_name: string;
  /** How to authenticate to the search service (`access_token` is preview-only). */
  authentication:
    | OnYourDataApiKeyAuthenticationOptions
    | OnYourDataSystemAssignedManagedIdentityAuthenticationOptions
    | OnYourDataUserAssignedManagedIdentityAuthenticationOptions
    | OnYourDataAccessTokenAuthenticationOptions;
  /** Field mapping. */
  fields_mapping?: AzureSearchIndexFieldMappingOptions;
  /** Query type. */
  query_type?: AzureSearchQueryType;
  /** Semantic configuration name. */
  semantic_configuration?: string;
  /** Search filter. */
  filter?: string;
  /** Vectorization source for vector queries. */
  embedding_dependency?:
    | OnYourDataEndpointVectorizationSource
    | OnYourDataDeploymentNameVectorizationSource;
}

/**
 * An Azure AI Search data source.
 *
 * @example Azure Search with a managed identity
 * ```ts
 * import type { AzureSearchChatExtensionConfiguration } from "@aoai/edge";
 * const source: AzureSearchChatExtensionConfiguration = {
 *   type: "azure_search",
 *   parameters: {
 *     endpoint: "https://my-search.search.windows.net",
 *     index_name: "docs",
 *     authentication: { type: "system_assigned_managed_identity" },
 *   },
 * };
 * console.log(source.parameters.index_name, source.parameters.authentication?.type);
 * // docs system_assigned_managed_identity
 * ```
 */
export interface AzureSearchChatExtensionConfiguration {
  /** Discriminator. */
  type: "azure_search";
  /** Parameters. */
  parameters: AzureSearchChatExtensionParameters;
}

/**
 * Field mapping for Azure Cosmos DB (`azureCosmosDBFieldMappingOptions`).
 *
 * @example Map the fields of a vCore collection
 * ```ts
 * import type { AzureCosmosDBFieldMappingOptions } from "@aoai/edge";
 * // Both lists are required for Azure Cosmos DB.
 * const fields: AzureCosmosDBFieldMappingOptions = {
 *   content_fields: ["content"],
 *   vector_fields: ["contentvector"],
 * };
 * console.log(fields.content_fields.length, fields.vector_fields.length); // 1 1
 * ```
 */
export interface AzureCosmosDBFieldMappingOptions {
  /** Field used as the title. */
  title_field?: string;
  /** Field used as the URL. */
  url_field?: string;
  /** Field used as the file path. */
  filepath_field?: string;
  /** Fields treated as content. */
  content_fields: string[];
  /** Separator between content fields. */
  content_fields_separator?: string;
  /** Fields holding vector data. */
  vector_fields: string[];
}

/**
 * Parameters of an Azure Cosmos DB for MongoDB vCore data source.
 *
 * @example Ground answers on a Cosmos DB vector index
 * ```ts
 * import type { AzureCosmosDBChatExtensionParameters } from "@aoai/edge";
 * const parameters: AzureCosmosDBChatExtensionParameters = {
 *   authentication: { type: "connection_string", connection_string: "<connection-string>" },
 *   database_name: "vectordb",
 *   container_name: "azuredocs",
 *   index_name: "azuredocindex",
 *   fields_mapping: { content_fields: ["content"], vector_fields: ["contentvector"] },
 *   embedding_dependency: { type: "deployment_name", deployment_name: "text-embedding-ada-002" },
 *   in_scope: true,
 * };
 * console.log(parameters.database_name, parameters.index_name); // vectordb azuredocindex
 * ```
 */
export interface AzureCosmosDBChatExtensionParameters extends AzureChatExtensionCommonParameters {
  /** Connection-string authentication. */
  authentication: OnYourDataConnectionStringAuthenticationOptions;
  /** MongoDB vCore database name. */
  database_name: string;
  /** Container name. */
  container_name: string;
  /** MongoDB vCore index name. */
  index_name: string;
  /** Field mapping. */
  fields_mapping: AzureCosmosDBFieldMappingOptions;
  /** Vectorization source. */
  embedding_dependency:
    | OnYourDataEndpointVectorizationSource
    | OnYourDataDeploymentNameVectorizationSource;
}

/**
 * An Azure Cosmos DB for MongoDB vCore data source.
 *
 * @example An Azure Cosmos DB entry of data_sources
 * ```ts
 * import type { AzureCosmosDBChatExtensionConfiguration } from "@aoai/edge";
 * const source: AzureCosmosDBChatExtensionConfiguration = {
 *   type: "azure_cosmos_db",
 *   parameters: {
 *     authentication: { type: "connection_string", connection_string: "<connection-string>" },
 *     database_name: "vectordb",
 *     container_name: "azuredocs",
 *     index_name: "azuredocindex",
 *     fields_mapping: { content_fields: ["content"], vector_fields: ["contentvector"] },
 *     embedding_dependency: { type: "deployment_name", deployment_name: "text-embedding-ada-002" },
 *   },
 * };
 * console.log(source.type); // "azure_cosmos_db"
 * ```
 */
export interface AzureCosmosDBChatExtensionConfiguration {
  /** Discriminator. */
  type: "azure_cosmos_db";
  /** Parameters. */
  parameters: AzureCosmosDBChatExtensionParameters;
}

/**
 * Parameters of an Azure Machine Learning index data source. Preview-only.
 *
 * @example Point at a versioned vector index of a project
 * ```ts
 * import type { AzureMachineLearningIndexChatExtensionParameters } from "@aoai/edge";
 * const parameters: AzureMachineLearningIndexChatExtensionParameters = {
 *   authentication: { type: "system_assigned_managed_identity" },
 *   project_resource_id: "/subscriptions/00000000-0000-0000-0000-000000000000" +
 *     "/resourceGroups/my-rg/providers/Microsoft.MachineLearningServices/workspaces/my-project",
 *   name: "product-docs-index",
 *   version: "2",
 * };
 * console.log(`${parameters.name}:${parameters.version}`); // "product-docs-index:2"
 * ```
 */
export interface AzureMachineLearningIndexChatExtensionParameters
  extends AzureChatExtensionCommonParameters {
  /** Authentication. */
  authentication:
    | OnYourDataAccessTokenAuthenticationOptions
    | OnYourDataSystemAssignedManagedIdentityAuthenticationOptions
    | OnYourDataUserAssignedManagedIdentityAuthenticationOptions;
  /** Resource ID of the Azure Machine Learning project. */
  project_resource_id: string;
  /** Vector index name. */
  name: string;
  /** Vector index version. */
  version: string;
  /** Search filter (AzureSearch-backed indexes only). */
  filter?: string;
}

/**
 * An Azure Machine Learning index data source. Preview-only (2024-05-01-preview).
 *
 * @example An Azure Machine Learning index entry of data_sources
 * ```ts
 * import type { AzureMachineLearningIndexChatExtensionConfiguration } from "@aoai/edge";
 * const source: AzureMachineLearningIndexChatExtensionConfiguration = {
 *   type: "azure_ml_index",
 *   parameters: {
 *     authentication: { type: "system_assigned_managed_identity" },
 *     project_resource_id: "/subscriptions/00000000-0000-0000-0000-000000000000" +
 *       "/resourceGroups/my-rg/providers/Microsoft.MachineLearningServices/workspaces/my-project",
 *     name: "product-docs-index",
 *     version: "1",
 *   },
 * };
 * console.log(source.type); // "azure_ml_index"
 * ```
 */
export interface AzureMachineLearningIndexChatExtensionConfiguration {
  /** Discriminator. */
  type: "azure_ml_index";
  /** Parameters. */
  parameters: AzureMachineLearningIndexChatExtensionParameters;
}

/**
 * Field mapping for Elasticsearch. Preview-only.
 *
 * @example Map the fields of an Elasticsearch index
 * ```ts
 * import type { ElasticsearchIndexFieldMappingOptions } from "@aoai/edge";
 * const fields: ElasticsearchIndexFieldMappingOptions = {
 *   title_field: "title",
 *   url_field: "url",
 *   content_fields: ["body"],
 *   vector_fields: ["body_embedding"],
 * };
 * console.log(fields.content_fields); // [ "body" ]
 * ```
 */
export interface ElasticsearchIndexFieldMappingOptions {
  /** Field used as the title. */
  title_field?: string;
  /** Field used as the URL. */
  url_field?: string;
  /** Field used as the file path. */
  filepath_field?: string;
  /** Fields treated as content. */
  content_fields?: string[];
  /** Separator between content fields. */
  content_fields_separator?: string;
  /** Fields holding vector data. */
  vector_fields?: string[];
}

/**
 * Parameters of an Elasticsearch data source. Preview-only.
 *
 * @example Vector search over an Elasticsearch index
 * ```ts
 * import type { ElasticsearchChatExtensionParameters } from "@aoai/edge";
 * const parameters: ElasticsearchChatExtensionParameters = {
 *   endpoint: "https://my-deployment.es.eastus.azure.elastic-cloud.com",
 *   index_name: "support-articles",
 *   authentication: { type: "encoded_api_key", encoded_api_key: "<encoded-api-key>" },
 *   query_type: "vector",
 *   embedding_dependency: { type: "model_id", model_id: ".multilingual-e5-small" },
 *   fields_mapping: { content_fields: ["body"], vector_fields: ["body_embedding"] },
 * };
 * console.log(parameters.query_type); // "vector"
 * ```
 */
export interface ElasticsearchChatExtensionParameters extends AzureChatExtensionCommonParameters {
  /** Authentication. */
  authentication:
    | OnYourDataKeyAndKeyIdAuthenticationOptions
    | OnYourDataEncodedApiKeyAuthenticationOptions;
  /** Elasticsearch endpoint. */
  endpoint: string;
  /** Index name. */
  index_name: string;
  /** Field mapping. */
  fields_mapping?: ElasticsearchIndexFieldMappingOptions;
  /** Query type. */
  query_type?: "simple" | "vector";
  /** Vectorization source. */
  embedding_dependency?: OnYourDataVectorizationSource;
}

/**
 * An Elasticsearch data source. Preview-only (2024-05-01-preview).
 *
 * @example An Elasticsearch entry of data_sources
 * ```ts
 * import type { ElasticsearchChatExtensionConfiguration } from "@aoai/edge";
 * const source: ElasticsearchChatExtensionConfiguration = {
 *   type: "elasticsearch",
 *   parameters: {
 *     endpoint: "https://my-deployment.es.eastus.azure.elastic-cloud.com",
 *     index_name: "support-articles",
 *     authentication: { type: "key_and_key_id", key: "<api-key>", key_id: "<api-key-id>" },
 *   },
 * };
 * console.log(source.type); // "elasticsearch"
 * ```
 */
export interface ElasticsearchChatExtensionConfiguration {
  /** Discriminator. */
  type: "elasticsearch";
  /** Parameters. */
  parameters: ElasticsearchChatExtensionParameters;
}

/**
 * Field mapping for Pinecone. Preview-only.
 *
 * @example Map the metadata fields of a Pinecone index
 * ```ts
 * import type { PineconeFieldMappingOptions } from "@aoai/edge";
 * const fields: PineconeFieldMappingOptions = {
 *   title_field: "title",
 *   url_field: "source_url",
 *   content_fields: ["text"],
 * };
 * console.log(fields.content_fields); // [ "text" ]
 * ```
 */
export interface PineconeFieldMappingOptions {
  /** Field used as the title. */
  title_field?: string;
  /** Field used as the URL. */
  url_field?: string;
  /** Field used as the file path. */
  filepath_field?: string;
  /** Fields treated as content. */
  content_fields: string[];
  /** Separator between content fields. */
  content_fields_separator?: string;
}

/**
 * Parameters of a Pinecone data source. Preview-only.
 *
 * @example Ground answers on a Pinecone index
 * ```ts
 * import type { PineconeChatExtensionParameters } from "@aoai/edge";
 * const parameters: PineconeChatExtensionParameters = {
 *   authentication: { type: "api_key", key: "<pinecone-api-key>" },
 *   environment: "us-east-1-aws",
 *   index_name: "product-docs",
 *   fields_mapping: { content_fields: ["text"], title_field: "title" },
 *   embedding_dependency: { type: "deployment_name", deployment_name: "text-embedding-ada-002" },
 * };
 * console.log(parameters.environment); // "us-east-1-aws"
 * ```
 */
export interface PineconeChatExtensionParameters extends AzureChatExtensionCommonParameters {
  /** API-key authentication. */
  authentication: OnYourDataApiKeyAuthenticationOptions;
  /** Pinecone environment name. */
  environment: string;
  /** Index name. */
  index_name: string;
  /** Field mapping. */
  fields_mapping: PineconeFieldMappingOptions;
  /** Vectorization source. */
  embedding_dependency: OnYourDataDeploymentNameVectorizationSource;
}

/**
 * A Pinecone data source. Preview-only (2024-05-01-preview).
 *
 * @example A Pinecone entry of data_sources
 * ```ts
 * import type { PineconeChatExtensionConfiguration } from "@aoai/edge";
 * const source: PineconeChatExtensionConfiguration = {
 *   type: "pinecone",
 *   parameters: {
 *     authentication: { type: "api_key", key: "<pinecone-api-key>" },
 *     environment: "us-east-1-aws",
 *     index_name: "product-docs",
 *     fields_mapping: { content_fields: ["text"] },
 *     embedding_dependency: { type: "deployment_name", deployment_name: "text-embedding-ada-002" },
 *   },
 * };
 * console.log(source.type); // "pinecone"
 * ```
 */
export interface PineconeChatExtensionConfiguration {
  /** Discriminator. */
  type: "pinecone";
  /** Parameters. */
  parameters: PineconeChatExtensionParameters;
}

/**
 * One entry of a chat request's `data_sources` (`azureChatExtensionConfiguration`).
 *
 * @example Add a data source to a chat request
 * ```ts
 * import type { AzureChatExtensionConfiguration, ChatCompletionCreateParams } from "@aoai/edge";
 * const search: AzureChatExtensionConfiguration = {
 *   type: "azure_search",
 *   parameters: {
 *     endpoint: "https://my-search.search.windows.net",
 *     index_name: "product-docs",
 *     authentication: { type: "system_assigned_managed_identity" },
 *   },
 * };
 * const params: ChatCompletionCreateParams = {
 *   messages: [{ role: "user", content: "How do I reset my router?" }],
 *   data_sources: [search],
 * };
 * console.log(params.data_sources?.map((source) => source.type)); // [ "azure_search" ]
 * ```
 */
export type AzureChatExtensionConfiguration =
  | AzureSearchChatExtensionConfiguration
  | AzureCosmosDBChatExtensionConfiguration
  | AzureMachineLearningIndexChatExtensionConfiguration
  | ElasticsearchChatExtensionConfiguration
  | PineconeChatExtensionConfiguration;

/**
 * A retrieved document the answer cites (`citation`).
 *
 * @example Resolve a [docN] marker of a reply
 * ```ts
 * import type { Citation } from "@aoai/edge";
 * const citations: Citation[] = [{
 *   content: "Citation content.",
 *   title: "Citation Title",
 *   filepath: "contoso.txt",
 *   url: "https://contoso.blob.windows.net/container/contoso.txt",
 *   chunk_id: "0",
 * }];
 * const n = Number("Content of the completion [doc1].".match(/\[doc(\d+)\]/)?.[1]);
 * console.log(citations[n - 1].filepath); // "contoso.txt"
 * ```
 */
export interface Citation {
  /** Content of the citation. */
  content: string;
  /** Title. */
  title?: string;
  /** URL. */
  url?: string;
  /** File path. */
  filepath?: string;
  /** Chunk ID. */
  chunk_id?: string;
}

/**
 * A retrieved document with retrieval details (`retrievedDocument`). Preview-only.
 *
 * @example See why a retrieved document was dropped (2024-05-01-preview)
 * ```ts
 * import type { RetrievedDocument } from "@aoai/edge";
 * const doc: RetrievedDocument = {
 *   content: "Brush long-haired dogs daily.",
 *   title: "Grooming",
 *   chunk_id: "3",
 *   search_queries: ["how often to brush a dog"],
 *   data_source_index: 0,
 *   original_search_score: 12.7,
 *   rerank_score: 1.4,
 *   filter_reason: "rerank",
 * };
 * console.log(doc.filter_reason ?? "kept"); // "rerank"
 * ```
 */
export interface RetrievedDocument extends Citation {
  /** Search queries used to retrieve it. */
  search_queries: string[];
  /** Index of the data source it came from. */
  data_source_index: number;
  /** Original search score. */
  original_search_score: number;
  /** Rerank score. */
  rerank_score?: number;
  /** Why it was filtered out, if it was. */
  filter_reason?: "score" | "rerank";
}

/**
 * Retrieval context on an assistant message (`azureChatExtensionsMessageContext`):
 * in replies, and sent back on assistant messages of the next request.
 *
 * @example Read the citations and intent of a grounded reply
 * ```ts
 * import type { ChatCompletionMessageContext } from "@aoai/edge";
 * // `choices[0].message.context` of a reply to a request with `data_sources`.
 * const context: ChatCompletionMessageContext = {
 *   citations: [{ content: "Citation content.", title: "Citation Title", chunk_id: "0" }],
 *   intent: "dog care",
 * };
 * console.log(context.citations?.length, context.intent); // 1 dog care
 * ```
 */
export interface ChatCompletionMessageContext {
  /** Documents the answer cites. */
  citations?: Citation[];
  /** Detected intent, to pass to the next turn. */
  intent?: string;
  /** All retrieved documents. Preview-only (2024-05-01-preview). */
  all_retrieved_documents?: RetrievedDocument[];
}
