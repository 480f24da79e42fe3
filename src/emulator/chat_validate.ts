/**
 * Request checks for chat completions, answering like the service
 * (400 `invalid_request_error` naming `param`).
 *
 * @module
 */

import { checkNotNull, documented } from "./_guards.ts";
import { invalidRequest, isRecord, missingParam } from "./_response.ts";
import { messageText } from "./reply.ts";

const ROLES = new Set(["system", "developer", "user", "assistant", "tool", "function"]);

/** Checks an optional numeric field; returns a 400 Response when out of range. */
export function checkNumber(
  body: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
  integer: boolean,
): Response | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    return invalidRequest(
      name,
      `'${name}' must be ${integer ? "an integer" : "a number"}; got ${JSON.stringify(v)}.`,
      "invalid_type",
    );
  }
  if (v < min || v > max) {
    return invalidRequest(name, `'${name}' must be between ${min} and ${max}; got ${v}.`);
  }
  return undefined;
}

/** The JSON type of `v`, for messages (never the value: it may hold a secret). */
function typeOf(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

/** Checks that an optional field (null counts as absent) has the JSON type `type`. */
export function checkType(
  body: Record<string, unknown>,
  name: string,
  type: "boolean" | "string" | "array",
): Response | undefined {
  const v = body[name];
  if (v === undefined || v === null || (type === "array" ? Array.isArray(v) : typeof v === type)) {
    return undefined;
  }
  return invalidRequest(
    name,
    `'${name}' must be ${type === "array" ? "an array" : `a ${type}`}; got ${typeOf(v)}.`,
    "invalid_type",
  );
}

/** Checks `logit_bias`: a map of token ids to integer biases (the spec's `additionalProperties`). */
export function checkLogitBias(body: Record<string, unknown>): Response | undefined {
  const bias = body.logit_bias;
  if (bias === undefined || bias === null) return undefined;
  if (!isRecord(bias)) {
    return invalidRequest(
      "logit_bias",
      `'logit_bias' must be an object mapping token ids to integer biases; got ${typeOf(bias)}.`,
      "invalid_type",
    );
  }
  for (const [token, v] of Object.entries(bias)) {
    const param = `logit_bias.${token}`;
    if (!Number.isInteger(v)) {
      return invalidRequest(param, `'${param}' must be an integer bias.`, "invalid_type");
    }
    // Every document's logit_bias description: "an associated bias value from -100 to 100".
    if ((v as number) < -100 || (v as number) > 100) {
      return invalidRequest(param, `'${param}' must be between -100 and 100; got ${v}.`);
    }
  }
  return undefined;
}

/** Checks `stop`: a string, or 1 to 4 strings (the spec's `maxItems`). */
export function checkStop(body: Record<string, unknown>): Response | undefined {
  const stop = body.stop;
  if (stop === undefined || stop === null || typeof stop === "string") return undefined;
  if (
    !Array.isArray(stop) || stop.length < 1 || stop.length > 4 ||
    stop.some((s) => typeof s !== "string")
  ) {
    return invalidRequest(
      "stop",
      "'stop' must be a string or an array of 1 to 4 strings; send at most 4 stop sequences.",
    );
  }
  return undefined;
}

/** Fields the spec requires of a message besides `role`, by role (`content` may be null). */
const REQUIRED: Record<string, [string, boolean][]> = {
  system: [["content", false]],
  developer: [["content", false]],
  user: [["content", false]],
  tool: [["tool_call_id", false], ["content", false]],
  function: [["name", false], ["content", true]],
};
const ASSISTANT: [string, boolean][] = [["content", true]];

/** The roles whose message schema defines `name`, by documented api-version. */
const NAMED: Record<string, string[]> = {
  "2024-02-01": ["function"],
  "2024-05-01-preview": ["function"],
  "2024-10-21": ["system", "user", "assistant", "function"],
};

/** Content part types of the documents (`input_audio`: the 2025 previews). */
const PART_TYPES = ["text", "image_url", "refusal", "input_audio"];

/**
 * Content part types by role in the stored documents: [2024-10-21 (chatCompletionRequest<Role>
 * MessageContentPart), 2024-02-01 and 2024-05-01-preview (only the user message takes parts;
 * the others' content is a string)].
 */
const DOCUMENT_PARTS: Record<string, string[][]> = {
  system: [["text"], []],
  user: [["text", "image_url"], ["text", "image_url"]],
  assistant: [["text", "refusal"], []],
  tool: [["text"], []],
};

/** The part types message `role` may have at `apiVersion` (none: content must be a string). */
function partTypes(role: string, apiVersion: string): string[] {
  if (role === "function") return [];
  if (!documented(apiVersion)) return PART_TYPES;
  // The roles that get here (developer is refused on these versions) all have an entry.
  return DOCUMENT_PARTS[role][apiVersion === "2024-10-21" ? 0 : 1];
}

/** A 400 naming `param` unless `v` is a string (absent or null: missing). */
function checkString(v: unknown, param: string): Response | undefined {
  if (typeof v === "string") return undefined;
  return v === undefined || v === null
    ? missingParam(param)
    : invalidRequest(param, `'${param}' must be a string.`, "invalid_type");
}

/** Checks an image part's `image_url`: { url: string, detail?: auto | low | high }. */
function checkImage(v: unknown, param: string): Response | undefined {
  if (v === undefined || v === null) return missingParam(param);
  if (!isRecord(v)) {
    return invalidRequest(param, `'${param}' must be an object { url, detail? }.`, "invalid_type");
  }
  return checkString(v.url, `${param}.url`) ??
    (v.detail === undefined || ["auto", "low", "high"].includes(v.detail as string)
      ? undefined
      : invalidRequest(`${param}.detail`, `'${param}.detail' must be one of auto, low, high.`));
}

/**
 * Checks the parts of an array `content` of message `i`: a `type` of `types`, `text` in text parts
 * and, when `strict` (a version with a stored document), `image_url` and `refusal` too.
 */
function checkParts(
  parts: unknown[],
  i: number,
  types: string[],
  strict: boolean,
): Response | undefined {
  for (let j = 0; j < parts.length; j++) {
    const p = parts[j];
    const param = `messages[${i}].content[${j}]`;
    if (!isRecord(p)) {
      return invalidRequest(param, `'${param}' must be a content part object.`, "invalid_type");
    }
    if (!types.includes(p.type as string)) {
      return invalidRequest(`${param}.type`, `'${param}.type' must be one of ${types.join(", ")}.`);
    }
    const invalid = p.type === "text"
      ? checkString(p.text, `${param}.text`)
      : !strict
      ? undefined
      : p.type === "image_url"
      ? checkImage(p.image_url, `${param}.image_url`)
      // The only other part type a version with a document has.
      : checkString(p.refusal, `${param}.refusal`);
    if (invalid) return invalid;
  }
  return undefined;
}

/** Checks the fields the spec requires of message `i` for its role, and its content parts. */
function checkMessage(
  m: Record<string, unknown>,
  i: number,
  apiVersion: string,
): Response | undefined {
  const types = partTypes(m.role as string, apiVersion);
  const parts = types.length > 0;
  // The assistant's content: nullable in the documents, required by the older ones only (unless
  // tool_calls or function_call are there).
  const assistant = m.role === "assistant" && documented(apiVersion);
  for (
    const [field, nullable] of assistant ? ASSISTANT : REQUIRED[m.role as string] ?? []
  ) {
    const param = `messages[${i}].${field}`;
    const v = m[field];
    // Required unless the message carries tool_calls or function_call (2024-10-21 says so; the
    // older documents omit the exception, the service makes it).
    if (
      v === undefined && assistant &&
      (apiVersion === "2024-10-21" || m.tool_calls !== undefined || m.function_call !== undefined)
    ) continue;
    // The older documents also let system, user and tool content be null.
    const older = field === "content" && documented(apiVersion) && apiVersion !== "2024-10-21";
    if (v === undefined || (v === null && !nullable && !older)) return missingParam(param);
    if (
      v !== null && typeof v !== "string" && !(field === "content" && parts && Array.isArray(v))
    ) {
      return invalidRequest(
        param,
        `'${param}' must be a string${
          field === "content" && parts ? " or an array of content parts" : ""
        }.`,
        "invalid_type",
      );
    }
  }
  // `name`: type string, not nullable, with no pattern or maxLength, where the document defines it
  // (2024-10-21: system, user, assistant and function messages; the older ones: function only).
  if (
    m.name !== undefined && typeof m.name !== "string" &&
    (NAMED[apiVersion] ?? ["system", "developer", "user", "assistant", "function"])
      .includes(m.role as string)
  ) {
    const param = `messages[${i}].name`;
    return invalidRequest(param, `'${param}' must be a string.`, "invalid_type");
  }
  // An array content got past the field checks above only where the role takes parts.
  if (!Array.isArray(m.content)) return undefined;
  // 2024-10-21: every role's array of parts has minItems: 1.
  if (m.content.length === 0 && apiVersion === "2024-10-21") {
    const param = `messages[${i}].content`;
    return invalidRequest(param, `'${param}' must contain at least one part ([] is too short).`);
  }
  return checkParts(m.content, i, types, documented(apiVersion));
}

/**
 * Checks `stream` / `stream_options`. Dated api-versions before 2024-08 (2024-07-01-preview,
 * 2024-06-01, 2024-05-01-preview, 2024-02-01 and older: their specs have no `stream_options`)
 * refuse it as an unknown parameter.
 */
export function checkStreamOptions(
  body: Record<string, unknown>,
  apiVersion = "",
): Response | undefined {
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== "boolean") {
    return invalidRequest("stream", "'stream' must be a boolean.", "invalid_type");
  }
  if (body.stream_options !== undefined && body.stream_options !== null) {
    if (/^\d{4}-/.test(apiVersion) && apiVersion < "2024-08") {
      return invalidRequest(
        "stream_options",
        `Unknown parameter: 'stream_options' (api-version ${apiVersion}). Use api-version 2024-10-21 or later, or leave it out.`,
        "unknown_parameter",
      );
    }
    if (body.stream !== true) {
      return invalidRequest(
        "stream_options",
        "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      );
    }
    if (!isRecord(body.stream_options)) {
      return invalidRequest(
        "stream_options",
        "'stream_options' must be an object.",
        "invalid_type",
      );
    }
  }
  return undefined;
}

/** Most tools (or functions) one request may list: every document's `functions` maxItems. */
const MAX_TOOLS = 128;

/**
 * A 400 for an empty `tools` or one over {@link MAX_TOOLS} (every version: the service refuses them
 * on 2024-10-21 too, whose document drops minItems and says "a max of 128" in prose only); the
 * same limit for `functions`.
 */
function checkArraySize(name: string, list: unknown[]): Response | undefined {
  if (list.length === 0) {
    return invalidRequest(
      name,
      `Invalid '${name}': empty array. Expected an array with minimum length 1, but got an empty array instead.`,
      "empty_array",
    );
  }
  if (list.length > MAX_TOOLS) {
    return invalidRequest(
      name,
      `Invalid '${name}': array too long. Expected an array with maximum length ${MAX_TOOLS}, but got an array with length ${list.length} instead.`,
      "array_above_max_length",
    );
  }
  return undefined;
}

/**
 * A 400 for a function name the service refuses: the documents allow a-z, A-Z, 0-9, `_` and `-`,
 * at most 64 characters; the service also takes `.` (newer models), so the emulator does too.
 */
function checkFunctionName(param: string, name: string): Response | undefined {
  if (name.length > 64) {
    return invalidRequest(
      param,
      `Invalid '${param}': string too long. Expected a string with maximum length 64, but got a string with length ${name.length} instead.`,
      "string_above_max_length",
    );
  }
  if (!/^[a-zA-Z0-9_.-]+$/.test(name)) {
    return invalidRequest(
      param,
      `Invalid '${param}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_.-]+$'.`,
    );
  }
  return undefined;
}

/**
 * A 400 when a function's `description` is not a string: every document types it `string`, not
 * nullable, with no maxLength (null is taken on versions without a document).
 */
function checkDescription(
  f: Record<string, unknown>,
  at: string,
  apiVersion: string,
): Response | undefined {
  const v = f.description;
  if (v === undefined || typeof v === "string" || (v === null && !documented(apiVersion))) {
    return undefined;
  }
  const param = `${at}.description`;
  return invalidRequest(param, `'${param}' must be a string.`, "invalid_type");
}

function checkTools(body: Record<string, unknown>, apiVersion: string): Response | undefined {
  const names = new Set<string>();
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) {
      return invalidRequest("tools", "'tools' must be an array.", "invalid_type");
    }
    const sized = checkArraySize("tools", body.tools);
    if (sized) return sized;
    for (let i = 0; i < body.tools.length; i++) {
      const t = body.tools[i];
      if (!isRecord(t) || t.type !== "function" || !isRecord(t.function)) {
        return invalidRequest(
          `tools[${i}]`,
          `'tools[${i}]' must be { type: "function", function: { name, parameters? } }.`,
        );
      }
      if (typeof t.function.name !== "string" || t.function.name === "") {
        return missingParam(`tools[${i}].function.name`);
      }
      const badName = checkFunctionName(`tools[${i}].function.name`, t.function.name);
      if (badName) return badName;
      const badDescription = checkDescription(t.function, `tools[${i}].function`, apiVersion);
      if (badDescription) return badDescription;
      const parameters = t.function.parameters;
      const param = `tools[${i}].function.parameters`;
      // Required by 2024-02-01's and 2024-05-01-preview's chatCompletionTool.function (required:
      // [name, parameters], not nullable); 2024-10-21's FunctionObject requires only name.
      if (
        parameters === undefined && documented(apiVersion) && apiVersion !== "2024-10-21"
      ) return missingParam(param);
      // Not nullable in any document (null is taken only on the versions without one).
      const nulled = parameters === null && documented(apiVersion);
      if (nulled || (parameters !== undefined && parameters !== null && !isRecord(parameters))) {
        return invalidRequest(param, `'${param}' must be a JSON Schema object.`, "invalid_type");
      }
      names.add(t.function.name);
    }
  }
  const choice = body.tool_choice;
  if (choice === undefined || choice === null) return undefined;
  if (names.size === 0) {
    return invalidRequest(
      "tool_choice",
      "'tool_choice' is only allowed when 'tools' are specified. Add tools or remove tool_choice.",
    );
  }
  if (typeof choice === "string") {
    if (!["none", "auto", "required"].includes(choice)) {
      return invalidRequest(
        "tool_choice",
        `'tool_choice' must be "none", "auto", "required" or a named function; got "${choice}".`,
      );
    }
    return undefined;
  }
  if (isRecord(choice) && choice.type !== "function") {
    return invalidRequest("tool_choice.type", `'tool_choice.type' must be "function".`);
  }
  const name = isRecord(choice) && isRecord(choice.function) ? choice.function.name : undefined;
  if (typeof name !== "string") {
    return invalidRequest(
      "tool_choice",
      `A named 'tool_choice' must be { type: "function", function: { name } }.`,
    );
  }
  if (!names.has(name)) {
    return invalidRequest(
      "tool_choice",
      `Invalid value for 'tool_choice': no function named '${name}' was specified in 'tools'.`,
    );
  }
  return undefined;
}

/** Checks legacy `functions` / `function_call` like `tools` / `tool_choice`. */
function checkFunctions(body: Record<string, unknown>, apiVersion: string): Response | undefined {
  const names = new Set<string>();
  const functions = body.functions;
  if (functions !== undefined && functions !== null) {
    if (!Array.isArray(functions)) {
      return invalidRequest("functions", "'functions' must be an array.", "invalid_type");
    }
    if (functions.length === 0) {
      return invalidRequest(
        "functions",
        "'functions' must contain at least one function ([] is too short).",
      );
    }
    const sized = checkArraySize("functions", functions);
    if (sized) return sized;
    for (let i = 0; i < functions.length; i++) {
      const f = functions[i];
      if (!isRecord(f) || typeof f.name !== "string" || f.name === "") {
        return missingParam(`functions[${i}].name`);
      }
      const badName = checkFunctionName(`functions[${i}].name`, f.name) ??
        checkDescription(f, `functions[${i}]`, apiVersion);
      if (badName) return badName;
      names.add(f.name);
    }
  }
  const call = body.function_call;
  if (call === undefined || call === null) return undefined;
  if (names.size === 0) {
    return invalidRequest(
      "function_call",
      "'function_call' is only allowed when 'functions' are specified. Add functions or remove function_call.",
    );
  }
  if (call === "none" || call === "auto") return undefined;
  const name = isRecord(call) ? call.name : undefined;
  if (typeof name !== "string" || !names.has(name)) {
    return invalidRequest(
      "function_call",
      `Invalid value for 'function_call': use "none", "auto" or { name } naming one of 'functions'.`,
    );
  }
  return undefined;
}

function checkResponseFormat(
  body: Record<string, unknown>,
  messages: unknown[],
  apiVersion: string,
) {
  const f = body.response_format;
  if (f === undefined || f === null) return undefined;
  if (!isRecord(f)) {
    return invalidRequest(
      "response_format",
      "'response_format' must be an object.",
      "invalid_type",
    );
  }
  // 2024-02-01's and 2024-05-01-preview's chatCompletionResponseFormat: enum [text, json_object],
  // nullable and not required (an absent or null type is text).
  const types = ["text", "json_object"];
  if (!documented(apiVersion) || apiVersion === "2024-10-21") types.push("json_schema");
  else if (f.type === undefined || f.type === null) return undefined;
  if (!types.includes(f.type as string)) {
    return invalidRequest(
      "response_format.type",
      `'response_format.type' must be ${types.join(" or ")} (api-version ${apiVersion}).`,
    );
  }
  if (f.type === "json_object") {
    const mentionsJson = messages.some((m) => isRecord(m) && /json/i.test(messageText(m.content)));
    if (!mentionsJson) {
      return invalidRequest(
        "messages",
        "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
      );
    }
  }
  if (f.type === "json_schema") {
    if (!isRecord(f.json_schema)) return missingParam("response_format.json_schema");
    // The spec (ResponseFormatJsonSchema) requires a name.
    const name = f.json_schema.name;
    if (name === undefined || name === null) {
      return missingParam("response_format.json_schema.name");
    }
    if (typeof name !== "string") {
      return invalidRequest(
        "response_format.json_schema.name",
        "'response_format.json_schema.name' must be a string (a-z, A-Z, 0-9, _ or -, at most 64).",
        "invalid_type",
      );
    }
    // ResponseFormatJsonSchema.json_schema.name: "Must be a-z, A-Z, 0-9, or contain underscores and
    // dashes, with a maximum length of 64."
    const param = "response_format.json_schema.name";
    if (name.length > 64) {
      return invalidRequest(
        param,
        `Invalid '${param}': string too long. Expected a string with maximum length 64, but got a string with length ${name.length} instead.`,
        "string_above_max_length",
      );
    }
    if (!/^[a-zA-Z0-9_-]+$/.test(name)) {
      return invalidRequest(
        param,
        `Invalid '${param}': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`,
      );
    }
    // schema: ResponseFormatJsonSchemaSchema (an object); strict: boolean, nullable; description:
    // a string.
    const { schema, strict, description } = f.json_schema;
    const bad = schema !== undefined && !isRecord(schema)
      ? ["schema", "a JSON Schema object"]
      : strict !== undefined && strict !== null && typeof strict !== "boolean"
      ? ["strict", "a boolean"]
      : description !== undefined && typeof description !== "string"
      ? ["description", "a string"]
      : undefined;
    if (bad) {
      const at = `response_format.json_schema.${bad[0]}`;
      return invalidRequest(at, `'${at}' must be ${bad[1]}.`, "invalid_type");
    }
  }
  return undefined;
}

/** Validates a chat completions body; returns a 400 Response or undefined when valid. */
export function validateChatBody(
  body: Record<string, unknown>,
  apiVersion?: string,
): Response | undefined {
  const messages = body.messages;
  if (messages === undefined || messages === null) return missingParam("messages");
  if (!Array.isArray(messages)) {
    return invalidRequest("messages", "'messages' must be an array of messages.", "invalid_type");
  }
  if (messages.length === 0) {
    return invalidRequest(
      "messages",
      "'messages' must contain at least one message ([] is too short).",
    );
  }
  // The stored documents' message roles have no `developer` (it came with 2024-12-01-preview).
  const developer = !documented(apiVersion ?? "");
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    if (
      !isRecord(m) || typeof m.role !== "string" || !ROLES.has(m.role) ||
      (m.role === "developer" && !developer)
    ) {
      return invalidRequest(
        `messages[${i}].role`,
        `'messages[${i}].role' must be one of system, ${
          developer ? "developer, " : ""
        }user, assistant, tool, function.`,
      );
    }
    const invalid = checkMessage(m, i, apiVersion ?? "");
    if (invalid) return invalid;
  }
  return checkNotNull("chat", body, apiVersion ?? "") ??
    checkNumber(body, "n", 1, 128, true) ??
    checkNumber(body, "max_tokens", 1, 1_000_000, true) ??
    checkNumber(body, "max_completion_tokens", 1, 1_000_000, true) ??
    checkNumber(body, "temperature", 0, 2, false) ??
    checkNumber(body, "top_p", 0, 1, false) ??
    // top_logprobs: maximum 5 in 2024-05-01-preview's document, 20 in 2024-10-21's.
    checkNumber(body, "top_logprobs", 0, apiVersion === "2024-05-01-preview" ? 5 : 20, true) ??
    checkNumber(body, "presence_penalty", -2, 2, false) ??
    checkNumber(body, "frequency_penalty", -2, 2, false) ??
    checkNumber(body, "seed", -(2 ** 63), 2 ** 63, true) ??
    checkType(body, "logprobs", "boolean") ??
    checkType(body, "parallel_tool_calls", "boolean") ??
    checkType(body, "user", "string") ??
    checkType(body, "data_sources", "array") ??
    checkLogitBias(body) ??
    checkStop(body) ??
    checkStreamOptions(body, apiVersion) ??
    checkTools(body, apiVersion ?? "") ??
    checkFunctions(body, apiVersion ?? "") ??
    checkResponseFormat(body, messages, apiVersion ?? "") ??
    (body.top_logprobs !== undefined && body.top_logprobs !== null && body.logprobs !== true
      ? invalidRequest("top_logprobs", "'top_logprobs' requires 'logprobs' to be true.")
      : undefined);
}
