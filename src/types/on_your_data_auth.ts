/**
 * Wire types of On Your Data authentication options (`onYourDataAuthenticationOptions`)
 * and vectorization sources (`onYourDataVectorizationSource`), from
 * `2024-10-21/inference.json`; kinds only `2024-05-01-preview` has are marked
 * "Preview-only". Re-exported by `on_your_data.ts`.
 *
 * @module
 */

/** `api_key` authentication (Azure Search, Pinecone, vectorization endpoint). */
export interface OnYourDataApiKeyAuthenticationOptions {
  /** Discriminator. */
  type: "api_key";
  /** The API key. */
  key: string;
}

/** `connection_string` authentication (Azure Cosmos DB for MongoDB vCore). */
export interface OnYourDataConnectionStringAuthenticationOptions {
  /** Discriminator. */
  type: "connection_string";
  /** The connection string. */
  connection_string: string;
}

/** `system_assigned_managed_identity` authentication: the resource's own identity. */
export interface OnYourDataSystemAssignedManagedIdentityAuthenticationOptions {
  /** Discriminator. */
  type: "system_assigned_managed_identity";
}

/** `user_assigned_managed_identity` authentication. */
export interface OnYourDataUserAssignedManagedIdentityAuthenticationOptions {
  /** Discriminator. */
  type: "user_assigned_managed_identity";
  /** Resource ID of the user-assigned managed identity. */
  managed_identity_resource_id: string;
}

/** `access_token` authentication. Preview-only (2024-05-01-preview). */
export interface OnYourDataAccessTokenAuthenticationOptions {
  /** Discriminator. */
  type: "access_token";
  /** The access token. */
  access_token: string;
}

/** Elasticsearch `key_and_key_id` authentication. Preview-only (2024-05-01-preview). */
export interface OnYourDataKeyAndKeyIdAuthenticationOptions {
  /** Discriminator. */
  type: "key_and_key_id";
  /** The Elasticsearch key. */
  key: string;
  /** The Elasticsearch key ID. */
  key_id: string;
}

/** Elasticsearch `encoded_api_key` authentication. Preview-only (2024-05-01-preview). */
export interface OnYourDataEncodedApiKeyAuthenticationOptions {
  /** Discriminator. */
  type: "encoded_api_key";
  /** The Elasticsearch encoded API key. */
  encoded_api_key: string;
}

/** Any On Your Data authentication option (`onYourDataAuthenticationOptions`). */
export type OnYourDataAuthenticationOptions =
  | OnYourDataApiKeyAuthenticationOptions
  | OnYourDataConnectionStringAuthenticationOptions
  | OnYourDataSystemAssignedManagedIdentityAuthenticationOptions
  | OnYourDataUserAssignedManagedIdentityAuthenticationOptions
  | OnYourDataAccessTokenAuthenticationOptions
  | OnYourDataKeyAndKeyIdAuthenticationOptions
  | OnYourDataEncodedApiKeyAuthenticationOptions;

/** Vectorize queries by calling an embeddings endpoint (`type: "endpoint"`). */
export interface OnYourDataEndpointVectorizationSource {
  /** Discriminator. */
  type: "endpoint";
  /** Embeddings endpoint URL in the same Azure OpenAI resource. */
  endpoint: string;
  /** How to authenticate to it (`access_token` is preview-only). */
  authentication:
    | OnYourDataApiKeyAuthenticationOptions
    | OnYourDataAccessTokenAuthenticationOptions;
  /** Embedding dimensions. Preview-only (2024-05-01-preview). */
  dimensions?: number;
}

/** Vectorize queries with an embeddings deployment of this resource. */
export interface OnYourDataDeploymentNameVectorizationSource {
  /** Discriminator. */
  type: "deployment_name";
  /** Name of the embeddings deployment. */
  deployment_name: string;
  /** Embedding dimensions. Preview-only (2024-05-01-preview). */
  dimensions?: number;
}

/** Vectorize with a search-service model id. Preview-only (2024-05-01-preview). */
export interface OnYourDataModelIdVectorizationSource {
  /** Discriminator. */
  type: "model_id";
  /** Model ID defined in the search service. */
  model_id: string;
}

/** Any vectorization source (`onYourDataVectorizationSource`). */
export type OnYourDataVectorizationSource =
  | OnYourDataEndpointVectorizationSource
  | OnYourDataDeploymentNameVectorizationSource
  | OnYourDataModelIdVectorizationSource;
