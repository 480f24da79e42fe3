/** Where an operation lives: under a deployment, at the resource root, or on the v1 API. */
export type Scope = "deployment" | "resource";

/** Inputs of {@link buildUrl}. */
export interface UrlParts {
  /** Normalised endpoint, e.g. `https://my-res.openai.azure.com` (no trailing slash). */
  endpoint: string;
  /** api-version, or `"v1"` for the v1 API. */
  apiVersion: string;
  /** Deployment-scoped or resource-level path. */
  scope: Scope;
  /** Deployment name, for deployment-scoped paths on dated versions. */
  deployment?: string;
  /** Operation path, e.g. `chat/completions`. */
  path: string;
}

/**
 * Builds the request URL: `{endpoint}/openai/deployments/{deployment}/{path}?api-version=…`,
 * `{endpoint}/openai/{path}?api-version=…` for resource-level operations, or
 * `{endpoint}/openai/v1/{path}` when `apiVersion` is `"v1"`.
 */
export function buildUrl(parts: UrlParts): string {
  if (parts.apiVersion === "v1") return `${parts.endpoint}/openai/v1/${parts.path}`;
  const version = `api-version=${encodeURIComponent(parts.apiVersion)}`;
  const sep = parts.path.includes("?") ? "&" : "?";
  if (parts.scope === "resource") return `${parts.endpoint}/openai/${parts.path}${sep}${version}`;
  const deployment = encodeURIComponent(parts.deployment ?? "");
  return `${parts.endpoint}/openai/deployments/${deployment}/${parts.path}${sep}${version}`;
}

/** Validates and normalises an endpoint (or builds one from a resource name). */
export function normaliseEndpoint(endpoint: unknown, resourceName: unknown): string {
  if (endpoint !== undefined && resourceName !== undefined) {
    throw new TypeError(
      "AzureOpenAI: pass either `endpoint` or `resourceName`, not both",
    );
  }
  if (resourceName !== undefined) {
    if (typeof resourceName !== "string" || !/^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$/.test(resourceName)) {
      throw new TypeError(
        "AzureOpenAI: `resourceName` must be the Azure resource name (letters, digits and " +
          'hyphens, e.g. "my-res"), not a URL',
      );
    }
    return `https://${resourceName}.openai.azure.com`;
  }
  if (endpoint === undefined || endpoint === "") {
    throw new TypeError(
      "AzureOpenAI: set `endpoint` (e.g. https://my-res.openai.azure.com) or `resourceName`",
    );
  }
  if (typeof endpoint !== "string") {
    throw new TypeError("AzureOpenAI: `endpoint` must be a string URL");
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new TypeError(
      `AzureOpenAI: \`endpoint\` is not a valid URL; expected e.g. https://my-res.openai.azure.com`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError("AzureOpenAI: `endpoint` must use https:// (or http:// for local servers)");
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError(
      "AzureOpenAI: `endpoint` must not carry credentials, a query or a fragment; pass the key " +
        "as `apiKey`",
    );
  }
  let path = url.pathname.replace(/\/+$/, "");
  // Accept endpoints users copy with the /openai suffix (or /openai/v1) and strip it.
  path = path.replace(/\/openai(\/v1)?$/, "");
  return `${url.origin}${path}`;
}
