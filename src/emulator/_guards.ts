/**
 * Request guards shared by the router: credentials, api-version, deployment lookups,
 * and header redaction for the request log.
 *
 * @module
 */

import type { ResolvedDeployment } from "./_context.ts";
import { invalidRequest, resourceNotFound, serviceError } from "./_response.ts";
import type { Operation } from "./operations.ts";
import type { NormalizedOptions } from "./options.ts";

export function authOf(request: Request): { kind: "api-key" | "bearer" | "none"; value: string } {
  const key = request.headers.get("api-key");
  if (key !== null) return { kind: "api-key", value: key.trim() };
  const auth = request.headers.get("authorization");
  if (auth !== null) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    return { kind: "bearer", value: m ? m[1].trim() : "" };
  }
  return { kind: "none", value: "" };
}

/** Request headers that carry a credential (APIM gateways take the subscription key too). */
const CREDENTIAL_HEADERS = ["api-key", "authorization", "ocp-apim-subscription-key", "cookie"];

export function redactedHeaders(request: Request): Record<string, string> {
  const out: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    out[name] = CREDENTIAL_HEADERS.includes(name) ? "[redacted]" : value;
  });
  return out;
}

export function checkApiVersion(url: URL, options: NormalizedOptions): string | Response {
  const version = url.searchParams.get("api-version");
  // Azure answers a path without api-version as one it does not know (MicrosoftDocs/azure-docs#114602).
  if (version === null || version === "") return resourceNotFound();
  if (!options.apiVersions.has(version)) {
    return serviceError(
      400,
      "BadRequest",
      `API version not supported: '${version}'. Use a supported version such as 2024-10-21 or 2024-12-01-preview.`,
      { param: "api-version" },
    );
  }
  return version;
}

export function deploymentNotFound(): Response {
  return serviceError(
    404,
    "DeploymentNotFound",
    "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
  );
}

export function operationNotSupported(op: Operation, deployment: ResolvedDeployment): Response {
  return serviceError(
    400,
    "OperationNotSupported",
    `The ${op.name} operation does not work with the specified model, ${deployment.model}. Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993.`,
  );
}

/** The api-versions whose stored OpenAPI document (azure-openai-spec/) the body checks follow. */
const DOCUMENTED = ["2024-02-01", "2024-05-01-preview", "2024-10-21"];

/** Whether `apiVersion` has a stored document; other versions keep the lenient checks. */
export function documented(apiVersion: string): boolean {
  return DOCUMENTED.includes(apiVersion);
}

/**
 * Body fields the emulator acts on that the version's document does not define, per operation.
 * The documents allow other members (no `additionalProperties: false`), so these are ignored:
 * neither checked nor acted on.
 */
const UNDEFINED: Record<"chat" | "completions" | "embeddings", Record<string, string[]>> = {
  chat: {
    "2024-02-01": [
      "logprobs",
      "top_logprobs",
      "max_completion_tokens",
      "parallel_tool_calls",
      "reasoning_effort",
      "verbosity",
    ],
    "2024-05-01-preview": [
      "max_completion_tokens",
      "parallel_tool_calls",
      "reasoning_effort",
      "verbosity",
    ],
    "2024-10-21": ["reasoning_effort", "verbosity"],
  },
  completions: { "2024-02-01": ["seed"], "2024-05-01-preview": ["seed"] },
  embeddings: { "2024-02-01": ["dimensions", "encoding_format"] },
};

/** `body` without the fields of {@link UNDEFINED} for `op` at `apiVersion`. */
export function knownFields(
  op: keyof typeof UNDEFINED,
  body: Record<string, unknown>,
  apiVersion: string,
): Record<string, unknown> {
  const drop = UNDEFINED[op][apiVersion];
  if (!drop) return body;
  const out = { ...body };
  for (const name of drop) delete out[name];
  return out;
}

/**
 * A 400 naming `name` when `value` holds token ids (`integer[]`, `integer[][]`) on an api-version
 * whose document lists only a string or an array of strings for it.
 */
export function checkNoTokenIds(
  name: string,
  value: unknown,
  apiVersion: string,
): Response | undefined {
  if (!documented(apiVersion) || !Array.isArray(value)) return undefined;
  if (!value.some((v) => typeof v === "number" || Array.isArray(v))) return undefined;
  return invalidRequest(
    name,
    `'${name}' must be a string or an array of strings (api-version ${apiVersion} takes no token ids).`,
    "invalid_type",
  );
}

/**
 * Body fields whose schema is not nullable, per operation: [in all three documents, in 2024-02-01
 * and 2024-05-01-preview only (2024-10-21 marks them `nullable: true`)]. Required fields are left
 * to the handlers (null answers "missing").
 */
const NOT_NULLABLE: Record<
  "chat" | "completions" | "embeddings" | "images" | "speech",
  string[][]
> = {
  chat: [
    [
      "user",
      "data_sources",
      "response_format",
      "tools",
      "tool_choice",
      "functions",
      "function_call",
    ],
    ["max_tokens", "presence_penalty", "frequency_penalty"],
  ],
  completions: [["user"], ["logit_bias", "presence_penalty", "frequency_penalty", "best_of"]],
  embeddings: [["user", "input_type"], []],
  images: [["n", "size", "response_format", "user", "quality", "style"], []],
  // Only 2024-05-01-preview of the stored documents has speech.
  speech: [["response_format", "speed"], []],
};

/** A 400 naming the first field of `body` that is null where the version's schema says it may not be. */
export function checkNotNull(
  op: keyof typeof NOT_NULLABLE,
  body: Record<string, unknown>,
  apiVersion: string,
): Response | undefined {
  if (!documented(apiVersion)) return undefined;
  const [always, older] = NOT_NULLABLE[op];
  for (const name of apiVersion === "2024-10-21" ? always : [...always, ...older]) {
    if (body[name] === null) {
      return invalidRequest(
        name,
        `'${name}' must not be null (api-version ${apiVersion}); leave it out to use the default.`,
        "invalid_type",
      );
    }
  }
  return undefined;
}
