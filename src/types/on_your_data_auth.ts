/**
 * Wire types of On Your Data authentication options (`onYourDataAuthenticationOptions`)
 * and vectorization sources (`onYourDataVectorizationSource`), from
 * `2024-10-21/inference.json`; kinds only `2024-05-01-preview` has are marked
 * "Preview-only". Re-exported by `on_your_data.ts`.
 *
 * @module
 */

/**
 * `api_key` authentication (Azure Search, Pinecone, vectorization endpoint).
 *
 * @example Authenticate to Azure AI Search with an admin key
 * ```ts
 * import type { OnYourDataApiKeyAuthenticationOptions } from "@aoai/edge";
 * // Load the key from your secret store; never log it.
 * const auth: OnYourDataApiKeyAuthenticationOptions = { type: "api_key", key: "<admin-key>" };
 * console.log(auth.type); // "api_key"
 * ```
 */
export interface OnYourDataApiKeyAuthenticationOptions {
  /** Discriminator. */
  type: "api_key";
  /** The API key. */
  key: string;
}

/**
 * `connection_string` authentication (Azure Cosmos DB for MongoDB vCore).
 *
 * @example Connect to Azure Cosmos DB for MongoDB vCore
 * ```ts
 * import type { OnYourDataConnectionStringAuthenticationOptions } from "@aoai/edge";
 * const auth: OnYourDataConnectionStringAuthenticationOptions = {
 *   type: "connection_string",
 *   connection_string:
 *     "mongodb+srv://<user>:<password>@my-cluster.mongocluster.cosmos.azure.com/?tls=true",
 * };
 * console.log(auth.type); // "connection_string"
 * ```
 */
export interface OnYourDataConnectionStringAuthenticationOptions {
  /** Discriminator. */
  type: "connection_string";
  /** The connection string. */
  connection_string: string;
}

/**
 * `system_assigned_managed_identity` authentication: the resource's own identity.
 *
 * @example Use the Azure OpenAI resource's own identity
 * ```ts
 * import type { OnYourDataSystemAssignedManagedIdentityAuthenticationOptions } from "@aoai/edge";
 * // No secret to send: grant the resource's identity a role on the search service instead.
 * const auth: OnYourDataSystemAssignedManagedIdentityAuthenticationOptions = {
 *   type: "system_assigned_managed_identity",
 * };
 * console.log(auth.type); // "system_assigned_managed_identity"
 * ```
 */
export interface OnYourDataSystemAssignedManagedIdentityAuthenticationOptions {
  /** Discriminator. */
  type: "system_assigned_managed_identity";
}

/**
 * `user_assigned_managed_identity` authentication.
 *
 * @example Use a user-assigned managed identity
 * ```ts
 * import type { OnYourDataUserAssignedManagedIdentityAuthenticationOptions } from "@aoai/edge";
 * const auth: OnYourDataUserAssignedManagedIdentityAuthenticationOptions = {
 *   type: "user_assigned_managed_identity",
 *   managed_identity_resource_id: "/subscriptions/00000000-0000-0000-0000-000000000000" +
 *     "/resourceGroups/my-rg/providers/Microsoft.ManagedIdentity" +
 *     "/userAssignedIdentities/my-identity",
 * };
 * console.log(auth.managed_identity_resource_id.split("/").at(-1)); // "my-identity"
 * ```
 */
export interface OnYourDataUserAssignedManagedIdentityAuthenticationOptions {
  /** Discriminator. */
  type: "user_assigned_managed_identity";
  /** Resource ID of the user-assigned managed identity. */
  managed_identity_resource_id: string;
}

/**
 * `access_token` authentication. Preview-only (2024-05-01-preview).
 *
 * @example Pass a Microsoft Entra access token (2024-05-01-preview)
 * ```ts
 * import type { OnYourDataAccessTokenAuthenticationOptions } from "@aoai/edge";
 * // A token your app obtained for the search service; never log it.
 * const auth: OnYourDataAccessTokenAuthenticationOptions = {
 *   type: "access_token",
 *   access_token: "<entra-access-token>",
 * };
 * console.log(auth.type); // "access_token"
 * ```
 */
export interface OnYourDataAccessTokenAuthenticationOptions {
  /** Discriminator. */
  type: "access_token";
  /** The access token. */
  access_token: string;
}

/**
 * Elasticsearch `key_and_key_id` authentication. Preview-only (2024-05-01-preview).
 *
 * @example Authenticate to Elasticsearch with a key and its id (2024-05-01-preview)
 * ```ts
 * import type { OnYourDataKeyAndKeyIdAuthenticationOptions } from "@aoai/edge";
 * const auth: OnYourDataKeyAndKeyIdAuthenticationOptions = {
 *   type: "key_and_key_id",
 *   key: "<elasticsearch-api-key>",
 *   key_id: "<elasticsearch-api-key-id>",
 * };
 * console.log(auth.type); // "key_and_key_id"
 * ```
 */
export interface OnYourDataKeyAndKeyIdAuthenticationOptions {
  /** Discriminator. */
  type: "key_and_key_id";
  /** The Elasticsearch key. */
  key: string;
  /** The Elasticsearch key ID. */
  key_id: string;
}

/**
 * Elasticsearch `encoded_api_key` authentication. Preview-only (2024-05-01-preview).
 *
 * @example Authenticate to Elasticsearch with an encoded API key (2024-05-01-preview)
 * ```ts
 * import type { OnYourDataEncodedApiKeyAuthenticationOptions } from "@aoai/edge";
 * // The base64 `encoded` value Elasticsearch returns when it creates an API key.
 * const auth: OnYourDataEncodedApiKeyAuthenticationOptions = {
 *   type: "encoded_api_key",
 *   encoded_api_key: "<elasticsearch-encoded-api-key>",
 * };
 * console.log(auth.type); // "encoded_api_key"
 * ```
 */
export interface OnYourDataEncodedApiKeyAuthenticationOptions {
  /** Discriminator. */
  type: "encoded_api_key";
  /** The Elasticsearch encoded API key. */
  encoded_api_key: string;
}

/**
 * Any On Your Data authentication option (`onYourDataAuthenticationOptions`).
 *
 * @example Log the kind of authentication, never the secret
 * ```ts
 * import type { OnYourDataAuthenticationOptions } from "@aoai/edge";
 * const auths: OnYourDataAuthenticationOptions[] = [
 *   { type: "system_assigned_managed_identity" },
 *   { type: "api_key", key: "<search-admin-key>" },
 * ];
 * console.log(auths.map((auth) => auth.type)); // [ "system_assigned_managed_identity", "api_key" ]
 * ```
 */
export type OnYourDataAuthenticationOptions =
  | OnYourDataApiKeyAuthenticationOptions
  | OnYourDataConnectionStringAuthenticationOptions
  | OnYourDataSystemAssignedManagedIdentityAuthenticationOptions
  | OnYourDataUserAssignedManagedIdentityAuthenticationOptions
  | OnYourDataAccessTokenAuthenticationOptions
  | OnYourDataKeyAndKeyIdAuthenticationOptions
  | OnYourDataEncodedApiKeyAuthenticationOptions;

/**
 * Vectorize queries by calling an embeddings endpoint (`type: "endpoint"`).
 *
 * @example Vectorize queries through an embeddings endpoint
 * ```ts
 * import type { OnYourDataEndpointVectorizationSource } from "@aoai/edge";
 * const source: OnYourDataEndpointVectorizationSource = {
 *   type: "endpoint",
 *   // No api-version query parameter here: the service adds it.
 *   endpoint: "https://my-res.openai.azure.com/openai/deployments/text-embedding-3-small" +
 *     "/embeddings",
 *   authentication: { type: "api_key", key: "<azure-openai-api-key>" },
 * };
 * console.log(new URL(source.endpoint).pathname.split("/")[3]); // "text-embedding-3-small"
 * ```
 */
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

/**
 * Vectorize queries with an embeddings deployment of this resource.
 *
 * @example Vectorize queries with an embeddings deployment
 * ```ts
 * import type { OnYourDataDeploymentNameVectorizationSource } from "@aoai/edge";
 * const source: OnYourDataDeploymentNameVectorizationSource = {
 *   type: "deployment_name",
 *   deployment_name: "text-embedding-ada-002",
 * };
 * console.log(source.deployment_name); // "text-embedding-ada-002"
 * ```
 */
export interface OnYourDataDeploymentNameVectorizationSource {
  /** Discriminator. */
  type: "deployment_name";
  /** Name of the embeddings deployment. */
  deployment_name: string;
  /** Embedding dimensions. Preview-only (2024-05-01-preview). */
  dimensions?: number;
}

/**
 * Vectorize with a search-service model id. Preview-only (2024-05-01-preview).
 *
 * @example Vectorize with a model deployed in Elasticsearch (2024-05-01-preview)
 * ```ts
 * import type { OnYourDataModelIdVectorizationSource } from "@aoai/edge";
 * const source: OnYourDataModelIdVectorizationSource = {
 *   type: "model_id",
 *   model_id: "sentence-transformers__all-minilm-l6-v2",
 * };
 * console.log(source.model_id); // "sentence-transformers__all-minilm-l6-v2"
 * ```
 */
export interface OnYourDataModelIdVectorizationSource {
  /** Discriminator. */
  type: "model_id";
  /** Model ID defined in the search service. */
  model_id: string;
}

/**
 * Any vectorization source (`onYourDataVectorizationSource`).
 *
 * @example Name the embedding model a source uses
 * ```ts
 * import type { OnYourDataVectorizationSource } from "@aoai/edge";
 * function embeddingModel(source: OnYourDataVectorizationSource): string {
 *   if (source.type === "endpoint") return new URL(source.endpoint).pathname.split("/")[3];
 *   return source.type === "deployment_name" ? source.deployment_name : source.model_id;
 * }
 * const source: OnYourDataVectorizationSource = {
 *   type: "deployment_name",
 *   deployment_name: "text-embedding-3-small",
 * };
 * console.log(embeddingModel(source)); // "text-embedding-3-small"
 * ```
 */
export type OnYourDataVectorizationSource =
  | OnYourDataEndpointVectorizationSource
  | OnYourDataDeploymentNameVectorizationSource
  | OnYourDataModelIdVectorizationSource;
