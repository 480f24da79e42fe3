/** Where an operation lives: under a deployment, at the resource root, or on the v1 API. */
export type Scope = "deployment" | "resource";

/**
 * Builds the request URL: `{endpoint}/openai/deployments/{deployment}/{path}?api-version=…`,
 * `{endpoint}/openai/{path}?api-version=…` for resource-level operations, or
 * `{endpoint}/openai/v1/{path}` when `apiVersion` is `"v1"`. `endpoint` is normalised (no
 * trailing slash); `deployment` is used for deployment-scoped paths on dated versions. A
 * deployment `"."` or `".."` throws a TypeError (no deployment has that name, and the segment
 * would take the call elsewhere). Plain arguments, not an object: this runs on every call.
 */
export function buildUrl(
  endpoint: string,
  apiVersion: string,
  scope: Scope,
  path: string,
  deployment = "",
): string {
  // A "." or ".." segment would be resolved away (%2E too): the call would reach another path.
  if (/^\.\.?$/.test(deployment)) {
    throw new TypeError(`AzureOpenAI: "${deployment}" is not a deployment name`);
  }
  const prefix = scope === "resource" ? "" : `deployments/${encodeURIComponent(deployment)}/`;
  // A path with an api-version of its own (client.request()) keeps it: two would be sent.
  return `${endpoint}/openai/` + (apiVersion === "v1" ? "v1/" + path : prefix + path +
    (/[?&]api-version=/.test(path)
      ? ""
      : `${path.includes("?") ? "&" : "?"}api-version=${encodeURIComponent(apiVersion)}`));
}

/** Validates and normalises an endpoint (or builds one from a resource name). */
export function normaliseEndpoint(endpoint: unknown, resourceName: unknown): string {
  const example = "https://my-res.openai.azure.com";
  let problem = `set \`endpoint\` (e.g. ${example}) or \`resourceName\``;
  if (resourceName !== undefined) {
    problem = endpoint !== undefined
      ? "pass either `endpoint` or `resourceName`, not both"
      : '`resourceName` must be a resource name like "my-res", not a URL';
    if (
      endpoint === undefined && typeof resourceName === "string" &&
      /^[a-z\d][a-z\d-]{0,62}$/i.test(resourceName)
    ) {
      // Lower case, as a URL's host is: the endpoint is compared with URLs the service names.
      return `https://${resourceName.toLowerCase()}.openai.azure.com`;
    }
  } else if (endpoint) {
    problem = `\`endpoint\` is not a valid URL: use https:// (or http:// locally) without ` +
      `credentials, query or fragment, e.g. ${example}; pass the key as \`apiKey\`, the ` +
      "api-version as `apiVersion`";
    try {
      const url = new URL(endpoint as string);
      if (
        /^https?:$/.test(url.protocol) && !(url.username || url.password || url.search || url.hash)
      ) {
        // An endpoint copied with /openai, /openai/v1 or a whole operation path (the portal's
        // Target URI) is cut there: the client adds its own.
        return url.origin + url.pathname.replace(/\/openai(\/.*)?$|\/+$/, "");
      }
    } catch { /* reported below */ }
  }
  throw new TypeError(`AzureOpenAI: ${problem}`);
}
