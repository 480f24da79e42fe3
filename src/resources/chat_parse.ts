import { AzureOpenAIError } from "../errors/api_error.ts";
import {
  ContentFilterFinishReasonError,
  LengthFinishReasonError,
} from "../errors/finish_reason.ts";
import type { ChatCompletion, ChatCompletionCreateParams } from "../types/chat.ts";
import type { ParsedChatCompletion } from "../types/chat_parsed.ts";
import type { APIPromise } from "./api_promise.ts";

/** A parser the openai SDK's zod helpers put on a format or tool (non-enumerable: not sent). */
type Parser = { $parseRaw?: (text: string) => unknown };

/** Parses `text` by `parser`'s `$parseRaw`, else as JSON when `json`, else gives null. */
const parse = (parser: Parser & object | undefined, json: unknown, text: string) =>
  parser?.$parseRaw ? parser.$parseRaw(text) : json ? JSON.parse(text) : null;

/**
 * Refuses what `parse()` cannot parse (`stream: true`; as the SDK's validateInputTools, a tool
 * other than a `strict: true` function), throwing as the SDK's does; else gives `params`.
 */
export function checkParse<P extends ChatCompletionCreateParams>(params: P): P {
  if (params?.stream) {
    throw new TypeError("chat.completions.parse: params.stream must not be true (use create())");
  }
  for (const tool of params?.tools ?? []) {
    // A tool of another type has no `function`.
    if (tool?.function?.strict !== true) {
      throw new AzureOpenAIError(
        `chat.completions.parse: only function tools with strict: true can be parsed; set it on ${
          JSON.stringify(tool?.function?.name ?? tool?.type)
        }`,
      );
    }
  }
  return params;
}

/**
 * `created` (create()'s promise) resolving to its completion with each message's `parsed` and
 * each tool call's `function.parsed_arguments`, as the SDK's `parse()` gives them; rejects for a
 * choice cut by length or the content filter. Keeps `withResponse()` / `asResponse()` and the
 * call result they read (own enumerable properties of `created`).
 */
export function parsed<T>(
  created: APIPromise<ChatCompletion>,
  params: ChatCompletionCreateParams,
): APIPromise<ParsedChatCompletion<T>> {
  const format = params.response_format as Parser & { type: string } | undefined;
  return Object.assign(
    created.then((completion) => ({
      ...completion,
      choices: completion.choices.map((choice) => {
        const { finish_reason: reason, message } = choice;
        const { content, tool_calls: calls } = message;
        if (reason == "length") throw new LengthFinishReasonError();
        if (reason == "content_filter") throw new ContentFilterFinishReasonError();
        return {
          ...choice,
          message: {
            ...message,
            ...calls && {
              tool_calls: calls.map((call) => {
                const tool = params.tools?.find((t) => t.function?.name == call.function.name);
                return {
                  ...call,
                  function: {
                    ...call.function,
                    parsed_arguments: parse(tool, tool?.function.strict, call.function.arguments),
                  },
                };
              }),
            },
            parsed: content && !message.refusal && format?.type == "json_schema"
              ? parse(format, 1, content)
              : null,
          },
        };
      }),
    })),
    created,
  ) as never;
}
