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

/** Which parts of the retrieval context the reply includes. Preview-only. */
export type OnYourDataContextProperty = "citations" | "intent" | "all_retrieved_documents";

/** Parameters every data source kind shares. */
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

/** Azure AI Search query type (`azureSearchQueryType`). */
export type AzureSearchQueryType =
  | "simple"
  | "semantic"
  | "vector"
  | "vector_simple_hybrid"
  | "vector_semantic_hybrid";

/** Index field mapping for Azure AI Search (`azureSearchIndexFieldMappingOptions`). */
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

/** Parameters of an Azure AI Search data source. */
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
 * import type { AzureSearchChatExtensionConfiguration } from "./on_your_data.ts";
 * const source: AzureSearchChatExtensionConfiguration = {
 *   type: "azure_search",
 *   parameters: {
 *     endpoint: "https://my-search.search.windows.net",
 *     index_name: "docs",
 *     authentication: { type: "system_assigned_managed_identity" },
 *   },
 * };
 * ```
 */
export interface AzureSearchChatExtensionConfiguration {
  /** Discriminator. */
  type: "azure_search";
  /** Parameters. */
  parameters: AzureSearchChatExtensionParameters;
}

/** Field mapping for Azure Cosmos DB (`azureCosmosDBFieldMappingOptions`). */
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

/** Parameters of an Azure Cosmos DB for MongoDB vCore data source. */
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

/** An Azure Cosmos DB for MongoDB vCore data source. */
export interface AzureCosmosDBChatExtensionConfiguration {
  /** Discriminator. */
  type: "azure_cosmos_db";
  /** Parameters. */
  parameters: AzureCosmosDBChatExtensionParameters;
}

/** Parameters of an Azure Machine Learning index data source. Preview-only. */
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

/** An Azure Machine Learning index data source. Preview-only (2024-05-01-preview). */
export interface AzureMachineLearningIndexChatExtensionConfiguration {
  /** Discriminator. */
  type: "azure_ml_index";
  /** Parameters. */
  parameters: AzureMachineLearningIndexChatExtensionParameters;
}

/** Field mapping for Elasticsearch. Preview-only. */
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

/** Parameters of an Elasticsearch data source. Preview-only. */
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

/** An Elasticsearch data source. Preview-only (2024-05-01-preview). */
export interface ElasticsearchChatExtensionConfiguration {
  /** Discriminator. */
  type: "elasticsearch";
  /** Parameters. */
  parameters: ElasticsearchChatExtensionParameters;
}

/** Field mapping for Pinecone. Preview-only. */
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

/** Parameters of a Pinecone data source. Preview-only. */
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

/** A Pinecone data source. Preview-only (2024-05-01-preview). */
export interface PineconeChatExtensionConfiguration {
  /** Discriminator. */
  type: "pinecone";
  /** Parameters. */
  parameters: PineconeChatExtensionParameters;
}

/** One entry of a chat request's `data_sources` (`azureChatExtensionConfiguration`). */
export type AzureChatExtensionConfiguration =
  | AzureSearchChatExtensionConfiguration
  | AzureCosmosDBChatExtensionConfiguration
  | AzureMachineLearningIndexChatExtensionConfiguration
  | ElasticsearchChatExtensionConfiguration
  | PineconeChatExtensionConfiguration;

/** A retrieved document the answer cites (`citation`). */
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

/** A retrieved document with retrieval details (`retrievedDocument`). Preview-only. */
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
 */
export interface ChatCompletionMessageContext {
  /** Documents the answer cites. */
  citations?: Citation[];
  /** Detected intent, to pass to the next turn. */
  intent?: string;
  /** All retrieved documents. Preview-only (2024-05-01-preview). */
  all_retrieved_documents?: RetrievedDocument[];
}
