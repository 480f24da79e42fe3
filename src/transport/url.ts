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
  const { endpoint, apiVersion, path } = parts;
  if (apiVersion === "v1") return `${endpoint}/openai/v1/${path}`;
  const scope = parts.scope === "resource"
    ? ""
    : `deployments/${encodeURIComponent(parts.deployment ?? "")}/`;
  return `${endpoint}/openai/${scope}${path}${path.includes("?") ? "&" : "?"}api-version=${
    encodeURIComponent(apiVersion)
  }`;
}

/** Validates and normalises an endpoint (or builds one from a resource name). */
export function normaliseEndpoint(endpoint: unknown, resourceName: unknown): string {
  const bad = (problem: string): TypeError => new TypeError(`AzureOpenAI: ${problem}`);
  const example = "https://my-res.openai.azure.com";
  if (resourceName !== undefined) {
    if (endpoint !== undefined) throw bad("pass either `endpoint` or `resourceName`, not both");
    if (typeof resourceName !== "string" || !/^[a-zA-Z0-9][a-zA-Z0-9-]{0,62}$/.test(resourceName)) {
      throw bad('`resourceName` must be the Azure resource name (e.g. "my-res"), not a URL');
    }
    return `https://${resourceName}.openai.azure.com`;
  }
  if (!endpoint) throw bad(`set \`endpoint\` (e.g. ${example}) or \`resourceName\``);
  let url: URL | undefined;
  try {
    url = new URL(endpoint as string);
  } catch { /* reported below */ }
  if (
    !url || !/^https?:$/.test(url.protocol) || url.username || url.password || url.search ||
    url.hash
  ) {
    throw bad(
      `\`endpoint\` is not a valid URL: expected https:// (or http:// for local servers) without ` +
        `credentials, query or fragment, e.g. ${example}; pass the key as \`apiKey\``,
    );
  }
  // Endpoints copied with the /openai (or /openai/v1) suffix are accepted: it is stripped.
  return url.origin + url.pathname.replace(/\/+$/, "").replace(/\/openai(\/v1)?$/, "");
}
