/**
 * Validates JSON values against the Azure OpenAI OpenAPI documents in
 * `../shared/azure-openai-spec/` (2024-10-21, 2024-02-01, 2024-05-01-preview) with ajv.
 *
 * How it works: each document is loaded once, converted from OpenAPI 3.0 to JSON Schema
 * (`nullable: true` becomes a `"null"` type / enum member / `anyOf` branch) and added to
 * ajv as one schema whose `$id` is `spec:<version>`; `$ref`s like
 * `#/components/schemas/error` then resolve inside the document. A `discriminator` (the
 * documents' polymorphic messages, content parts and data sources: a base schema whose subtypes
 * are `allOf: [base, …]`) is expanded so a value is checked against the subtype its property
 * names (see {@link expandDiscriminators}). Other OpenAPI keywords (`example`, `x-ms-*`) are
 * ignored and formats are not checked (`unixtime`, `binary`). Validators are compiled lazily
 * and cached.
 *
 * Errors are strings `"<json pointer> <message>"` (`"/" ` for the root); an empty array
 * means valid. Unknown versions, schema names, paths or methods throw an Error saying
 * what exists, so a typo cannot pass as "valid".
 *
 * @example Check an emulator response and a request body
 * ```ts
 * import { validateAgainstSpec, validateRequestBody } from "./spec_schema.ts";
 * const body = { error: { code: "429", message: "Rate limit is exceeded." } };
 * const errors = validateAgainstSpec("2024-10-21", "errorResponse", body);
 * const requestErrors = validateRequestBody(
 *   "2024-10-21",
 *   "/openai/deployments/gpt-4o/chat/completions",
 *   "POST",
 *   { messages: [{ role: "user", content: "hi" }] },
 * );
 * ```
 *
 * @module
 */

import { Ajv, type ValidateFunction } from "ajv";

/** The spec versions stored in `../shared/azure-openai-spec/`. */
export type SpecVersion = "2024-10-21" | "2024-02-01" | "2024-05-01-preview";

/** The versions this helper knows. */
export const SPEC_VERSIONS: readonly SpecVersion[] = [
  "2024-10-21",
  "2024-02-01",
  "2024-05-01-preview",
];

const SPEC_DIR = new URL("../../../shared/azure-openai-spec/", import.meta.url);

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Converts OpenAPI 3.0 `nullable` into JSON Schema, recursively (returns a new value). */
export function convertNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertNullable);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "nullable") continue;
    out[k] = convertNullable(v);
  }
  if (node.nullable !== true) return out;
  if (typeof out.type === "string") {
    out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  if (Array.isArray(out.enum)) {
    if (!out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

/**
 * Makes `discriminator`s checkable (ajv ignores them without `oneOf`): each base schema `S` that
 * has one is kept as `S__base` (its subtypes' `allOf` now point there, so there is no loop) and
 * `S` becomes `S__base` plus, for each mapped value, "if the property is that value, then the
 * subtype". Works on the converted document `doc` in place.
 */
export function expandDiscriminators(doc: Json): void {
  const schemas = (doc.components as Json | undefined)?.schemas as Json | undefined;
  if (!isObject(schemas)) return;
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isObject(schema) || !isObject(schema.discriminator)) continue;
    const { propertyName, mapping } = schema.discriminator as {
      propertyName: string;
      mapping?: Record<string, string>;
    };
    if (!isObject(mapping)) continue;
    const base = `${name}__base`;
    const { discriminator: _, ...rest } = schema;
    schemas[base] = rest;
    const baseRef = `#/components/schemas/${name}`;
    for (const [value, target] of Object.entries(mapping)) {
      const sub = schemas[target.split("/").pop()!];
      if (!isObject(sub) || !Array.isArray(sub.allOf)) continue;
      sub.allOf = sub.allOf.map((part) =>
        isObject(part) && part.$ref === baseRef ? { $ref: `#/components/schemas/${base}` } : part
      );
      // A subtype holds its own discriminator value (OpenAPI's meaning): without it, a subtype
      // with no required fields of its own (system-assigned identity auth) matched every other
      // subtype too, and a `oneOf` of subtypes refused them all.
      (sub.allOf as Json[]).push({ properties: { [propertyName]: { const: value } } });
    }
    schemas[name] = {
      allOf: [
        { $ref: `#/components/schemas/${base}` },
        ...Object.entries(mapping).map(([value, target]) => ({
          if: { properties: { [propertyName]: { const: value } }, required: [propertyName] },
          then: { $ref: target },
        })),
      ],
    };
  }
}

/**
 * Three slips of the 2024-02-01 and 2024-05-01-preview documents that only show once their
 * discriminators are checked, corrected to what the service (and 2024-10-21) take: the function
 * message requires `function_call_id` (a property it does not define) instead of `name`; the
 * image part puts `url` beside `type` instead of in `image_url: { url, detail }`; the assistant
 * message requires `content` even with `tool_calls` or `function_call` (2024-10-21's description:
 * "Required unless tool_calls or function_call is specified"). Works on the converted document
 * `doc` in place; other versions are left as they are.
 */
export function fixKnownSlips(version: SpecVersion, doc: Json): void {
  const schemas = (doc.components as Json).schemas as Json;
  if (version === "2024-10-21") {
    // ResponseFormatJsonSchema.json_schema requires `type` and `name`, but has no `type` (the
    // outer object's is meant): every real json_schema request would fail.
    const format = schemas.ResponseFormatJsonSchema as { properties: Record<string, Json> };
    format.properties.json_schema.required = ["name"];
    return;
  }
  const fn = schemas.chatCompletionRequestMessageFunction as Json;
  fn.required = (fn.required as string[]).map((r) => r === "function_call_id" ? "name" : r);
  const image = schemas.chatCompletionRequestMessageContentPartImage as { allOf: Json[] } & Json;
  const own = image.allOf[1] as { properties: Json };
  image.allOf[1] = {
    type: "object",
    properties: {
      image_url: {
        type: "object",
        properties: { url: own.properties.url, detail: own.properties.detail },
        required: ["url"],
      },
    },
  };
  image.required = ["image_url"];
  const assistant = schemas.chatCompletionRequestMessageAssistant as Json;
  delete assistant.required;
  assistant.anyOf = [
    { required: ["content"] },
    { required: ["tool_calls"] },
    { required: ["function_call"] },
  ];
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const docs = new Map<SpecVersion, Json>();
const validators = new Map<string, ValidateFunction>();

/** The parsed OpenAPI document of `version` (as stored, not converted). */
export function loadSpec(version: SpecVersion): Json {
  let doc = docs.get(version);
  if (doc) return doc;
  if (!SPEC_VERSIONS.includes(version)) {
    throw new Error(`Unknown spec version "${version}"; use one of ${SPEC_VERSIONS.join(", ")}`);
  }
  doc = JSON.parse(Deno.readTextFileSync(new URL(`${version}/inference.json`, SPEC_DIR))) as Json;
  docs.set(version, doc);
  const converted = convertNullable(doc) as Json;
  fixKnownSlips(version, converted);
  expandDiscriminators(converted);
  ajv.addSchema({ ...converted, $id: `spec:${version}` });
  return doc;
}

function validatorFor(version: SpecVersion, pointer: string): ValidateFunction {
  const key = `spec:${version}#${pointer}`;
  let v = validators.get(key);
  if (!v) {
    loadSpec(version);
    v = ajv.getSchema(key);
    if (!v) throw new Error(`No schema at ${pointer} in the ${version} spec`);
    validators.set(key, v);
  }
  return v;
}

function run(v: ValidateFunction, value: unknown): string[] {
  if (v(value)) return [];
  return (v.errors ?? []).map((e) => {
    const extra = e.keyword === "additionalProperties"
      ? ` (${String((e.params as Json).additionalProperty)})`
      : "";
    return `${e.instancePath || "/"} ${e.message ?? e.keyword}${extra}`;
  });
}

/** Names of `components/schemas` in `version`. */
export function schemaNames(version: SpecVersion): string[] {
  const components = loadSpec(version).components;
  return isObject(components) && isObject(components.schemas)
    ? Object.keys(components.schemas)
    : [];
}

/**
 * Validates `value` against `#/components/schemas/<schemaName>` of `version`.
 * Returns the list of errors (empty when valid); throws for an unknown schema name.
 */
export function validateAgainstSpec(
  version: SpecVersion,
  schemaName: string,
  value: unknown,
): string[] {
  if (!schemaNames(version).includes(schemaName)) {
    throw new Error(`No schema "${schemaName}" in the ${version} spec`);
  }
  return run(validatorFor(version, `/components/schemas/${schemaName}`), value);
}

/** JSON-pointer escaping of one path segment. */
function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * Finds the spec path template for a concrete path: accepts `/openai/deployments/x/embeddings`,
 * `/deployments/x/embeddings?api-version=…` or the template itself.
 */
export function findSpecPath(version: SpecVersion, path: string): string {
  const paths = loadSpec(version).paths;
  if (!isObject(paths)) throw new Error(`The ${version} spec has no paths`);
  const clean = path.split("?")[0].replace(/^https?:\/\/[^/]+/, "").replace(/^\/openai(?=\/)/, "");
  if (clean in paths) return clean;
  for (const template of Object.keys(paths)) {
    const re = new RegExp(
      "^" + template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+") + "$",
    );
    if (re.test(clean)) return template;
  }
  throw new Error(
    `No path in the ${version} spec matches "${path}"; known: ${Object.keys(paths).join(", ")}`,
  );
}

function operationPointer(version: SpecVersion, path: string, method: string): [string, Json] {
  const template = findSpecPath(version, path);
  const item = (loadSpec(version).paths as Json)[template] as Json;
  const m = method.toLowerCase();
  const op = item[m];
  if (!isObject(op)) {
    throw new Error(`${method.toUpperCase()} is not defined for ${template} in ${version}`);
  }
  return [`/paths/${escapePointer(template)}/${m}`, op];
}

/**
 * Validates a request body against the operation's request schema (the body as sent:
 * a JSON value for `application/json`, an object of fields for `multipart/form-data`).
 * Throws when the operation has no body schema for `contentType`.
 */
export function validateRequestBody(
  version: SpecVersion,
  path: string,
  method: string,
  body: unknown,
  contentType = "application/json",
): string[] {
  const [pointer, op] = operationPointer(version, path, method);
  const content = isObject(op.requestBody) ? op.requestBody.content : undefined;
  if (!isObject(content) || !isObject(content[contentType])) {
    throw new Error(`${method} ${path} has no ${contentType} request body in ${version}`);
  }
  return run(
    validatorFor(version, `${pointer}/requestBody/content/${escapePointer(contentType)}/schema`),
    body,
  );
}

/**
 * Validates a response body against the operation's schema for `status` (falling back to
 * `default`, which holds the error shape) and `contentType`.
 */
export function validateResponseBody(
  version: SpecVersion,
  path: string,
  method: string,
  status: number,
  body: unknown,
  contentType = "application/json",
): string[] {
  const [pointer, op] = operationPointer(version, path, method);
  const responses = isObject(op.responses) ? op.responses : {};
  const key = String(status) in responses ? String(status) : "default";
  const response = responses[key];
  const content = isObject(response) ? response.content : undefined;
  if (!isObject(content) || !isObject(content[contentType])) {
    throw new Error(`${method} ${path} has no ${status}/${contentType} response in ${version}`);
  }
  return run(
    validatorFor(
      version,
      `${pointer}/responses/${key}/content/${escapePointer(contentType)}/schema`,
    ),
    body,
  );
}
