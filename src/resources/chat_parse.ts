import {
  AzureOpenAIError,
  ContentFilterFinishReasonError,
  LengthFinishReasonError,
} from "../errors/api_error.ts";
import type { ChatCompletion, ChatCompletionCreateParams } from "../types/chat.ts";
import type { ParsedChatCompletion } from "../types/chat_parsed.ts";
import type { APIPromise } from "./api_promise.ts";

/** A parser the openai SDK's zod helpers put on a format or tool (non-enumerable: not sent). */
type Parser = { $parseRaw?: (text: string) => unknown };

const where = "chat.completions.parse: ";

/** Parses `text` by `parser`'s `$parseRaw`, else as JSON when `json`, else gives null. */
export const read = (parser: Parser | object | undefined, json: unknown, text: string) =>
  (parser as Parser)?.$parseRaw
    ? (parser as Parser).$parseRaw!(text)
    : json
    ? JSON.parse(text)
    : null;

/**
 * `chat.completions.parse()`: refuses what it cannot parse (`stream: true`; as the SDK's, a tool
 * other than a `strict: true` function) before anything is sent, then gives `create(params)`'s
 * promise resolving to its completion with each message's `parsed` and each tool call's
 * `function.parsed_arguments` set, as the SDK's `parse()` gives them; rejects for a choice cut by
 * length or the content filter. Keeps `withResponse()` / `asResponse()` (the promise's own
 * properties).
 */
export function parsed<T>(
  params: ChatCompletionCreateParams,
  create: (params: ChatCompletionCreateParams) => APIPromise<ChatCompletion>,
  scrub: (err: unknown) => unknown,
): APIPromise<ParsedChatCompletion<T>> {
  if (params?.stream) throw new TypeError(where + "stream: true is not parsed; use create()");
  for (const tool of params?.tools ?? []) {
    // A tool of another type has no `function`.
    if (tool?.function?.strict !== true) {
      throw new AzureOpenAIError(
        `${where}only strict function tools are parsed; set strict: true on ${
          JSON.stringify(tool?.function?.name ?? tool?.type)
        }`,
      );
    }
  }
  const created = create(params);
  // The completion is this call's own (parsed from its body): set in place, which withResponse()'s
  // data shares.
  return Object.assign(
    created.then((completion) => {
      try {
        return parseCompletion(completion, params);
      } catch (err) {
        // A parser's error may quote a credential the reply echoed.
        throw scrub(err);
      }
    }),
    created,
  ) as never;
}

/**
 * Sets each message's `parsed` and each tool call's `function.parsed_arguments` of `completion` (in
 * place), as the SDK's parse helpers do: by a `$parseRaw` (zod helpers), else `JSON.parse` for a
 * `json_schema` format or a `strict: true` tool, else null. Throws for a choice cut by length or
 * the content filter and for a call of another type than function.
 */
export function parseCompletion<T>(
  completion: ChatCompletion,
  params: ChatCompletionCreateParams,
): ParsedChatCompletion<T> {
  const format = params.response_format as Parser & { type: string } | undefined;
  for (const { finish_reason: reason, message } of completion.choices) {
    if (reason == "length") throw new LengthFinishReasonError();
    if (reason == "content_filter") throw new ContentFilterFinishReasonError();
    for (const { function: fn, type } of message.tool_calls ?? []) {
      // A call of another type (no `function`) is refused, as the SDK's parse() does.
      if (!fn) {
        throw new AzureOpenAIError(`${where}only strict function tools are parsed; got ${type}`);
      }
      const tool = params.tools?.find((t) => t.function?.name == fn.name);
      (fn as { parsed_arguments?: unknown }).parsed_arguments = read(
        tool,
        tool?.function.strict,
        fn.arguments,
      );
    }
    (message as { parsed?: unknown }).parsed =
      message.content && !message.refusal && format?.type == "json_schema"
        ? read(format, 1, message.content)
        : null;
  }
  return completion as never;
}
