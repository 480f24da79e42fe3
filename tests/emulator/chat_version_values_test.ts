/**
 * Chat values one stored spec document allows and another refuses: `response_format` types and
 * content part types by role. Each case is checked against the version's document first, so the
 * cases follow the documents, not the emulator.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import {
  type SpecVersion,
  validateAgainstSpec,
  validateRequestBody,
} from "../helpers/spec_schema.ts";
import { call } from "./_version_paths.ts";

const CHAT = "/deployments/x/chat/completions";

/** Sends `body` at `version`: 400 naming `param` when given, else 200; returns the answer's JSON. */
async function expect(
  version: string,
  body: Record<string, unknown>,
  param?: string,
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const what = `${version} ${JSON.stringify(body)}`;
  const res = await call(createEmulator(), "/deployments/gpt-4o/chat/completions", version, {
    body,
  });
  const json = await res.json();
  assert.equal(res.status, param ? 400 : 200, `${what}: ${JSON.stringify(json).slice(0, 300)}`);
  if (param) {
    assert.equal(json.error.param, param, what);
    assert.equal(json.error.type, "invalid_request_error", what);
  }
  return json;
}

const JSON_SCHEMA = {
  type: "json_schema",
  json_schema: { name: "s", schema: { type: "object", properties: { n: { type: "integer" } } } },
};

Deno.test("chat answers 400 for a json_schema response_format on 2024-02-01 and 2024-05-01-preview", async () => {
  const messages = [{ role: "user", content: "answer in json" }];
  for (const version of ["2024-02-01", "2024-05-01-preview"] as const) {
    const body = { messages, response_format: JSON_SCHEMA };
    // createChatCompletionRequest.response_format.type: chatCompletionResponseFormat,
    // enum [text, json_object].
    assert.ok(
      validateRequestBody(version, CHAT, "POST", body)
        .some((e) => e.startsWith("/response_format/type must be equal to one of the allowed")),
      version,
    );
    await expect(version, body, "response_format.type");
    for (const type of ["text", "json_object"]) {
      const ok = { messages, response_format: { type } };
      assert.deepEqual(validateRequestBody(version, CHAT, "POST", ok), [], `${version} ${type}`);
      await expect(version, ok);
    }
  }
  // 2024-10-21 lists ResponseFormatJsonSchema in the oneOf; a version without a stored document
  // keeps today's behaviour.
  for (const version of ["2024-10-21", "2024-12-01-preview"]) {
    await expect(version, { messages, response_format: JSON_SCHEMA });
  }
  // A type no version knows names the nested field too.
  for (const version of ["2024-02-01", "2024-10-21", "2024-12-01-preview"]) {
    await expect(version, { messages, response_format: { type: "xml" } }, "response_format.type");
  }
});

const OLDER = ["2024-02-01", "2024-05-01-preview"] as const;
const TEXT = { type: "text", text: "t" };
const IMAGE = { type: "image_url", image_url: { url: "https://example.com/a.png" } };
const REFUSAL = { type: "refusal", refusal: "no" };
const AUDIO = { type: "input_audio", input_audio: { data: "AAAA", format: "wav" } };

/** A body whose third message (index 2) has `role` and `content`; a tool call precedes it. */
function third(role: string, content: unknown): Record<string, unknown> {
  const call = { id: "c1", type: "function", function: { name: "f", arguments: "{}" } };
  const m: Record<string, unknown> = { role, content };
  if (role === "tool") m.tool_call_id = "c1";
  return {
    messages: [
      { role: "user", content: "q" },
      { role: "assistant", content: null, tool_calls: [call] },
      m,
    ],
  };
}

/**
 * The document's errors for message 2 of `body`. 2024-02-01 and 2024-05-01-preview pick the
 * message schema by a `discriminator` (which the validator ignores), so the message is checked
 * against its role's schema (chatCompletionRequestMessage<Role>) directly.
 */
function specErrors(version: SpecVersion, body: Record<string, unknown>): string[] {
  if (version === "2024-10-21") return validateRequestBody(version, CHAT, "POST", body);
  const m = (body.messages as Record<string, unknown>[])[2];
  const role = String(m.role);
  const schema = `chatCompletionRequestMessage${role[0].toUpperCase()}${role.slice(1)}`;
  // The older image part schema's slip (`url` beside `type`) is corrected by the spec helper.
  return validateAgainstSpec(version, schema, m);
}

async function parts(
  version: SpecVersion,
  refused: [string, unknown, string][],
  accepted: [string, unknown][],
): Promise<void> {
  for (const [role, content, param] of refused) {
    const body = third(role, content);
    assert.notDeepEqual(specErrors(version, body), [], `${version} ${role} ${param}`);
    await expect(version, body, param);
  }
  for (const [role, content] of accepted) {
    const body = third(role, content);
    assert.deepEqual(
      specErrors(version, body),
      [],
      `${version} ${role} ${JSON.stringify(content)}`,
    );
    await expect(version, body);
  }
}

Deno.test("chat answers 400 for content parts a 2024-02-01 or 2024-05-01-preview message may not have", async () => {
  // Only chatCompletionRequestMessageUser.content is oneOf [string, array of
  // chatCompletionRequestMessageContentPart (type: enum [text, image_url])]; the system,
  // assistant and tool messages' content is { type: string, nullable: true }.
  for (const version of OLDER) {
    await parts(version, [
      ["user", [TEXT, REFUSAL], "messages[2].content[1].type"],
      ["user", [AUDIO], "messages[2].content[0].type"],
      ["system", [TEXT], "messages[2].content"],
      ["assistant", [TEXT], "messages[2].content"],
      ["tool", [TEXT], "messages[2].content"],
    ], [["user", [TEXT, IMAGE]]]);
  }
});

Deno.test("chat answers 400 for content parts a 2024-10-21 message of that role may not have", async () => {
  // chatCompletionRequest<Role>MessageContentPart: System [Text], User [Text, Image],
  // Assistant [Text, Refusal], Tool [Text].
  await parts("2024-10-21", [
    ["system", [TEXT, IMAGE], "messages[2].content[1].type"],
    ["user", [TEXT, REFUSAL], "messages[2].content[1].type"],
    ["user", [AUDIO], "messages[2].content[0].type"],
    ["assistant", [TEXT, IMAGE], "messages[2].content[1].type"],
    ["tool", [TEXT, IMAGE], "messages[2].content[1].type"],
    ["tool", [REFUSAL], "messages[2].content[0].type"],
  ], [
    ["system", [TEXT]],
    ["user", [TEXT, IMAGE]],
    ["assistant", [TEXT, REFUSAL]],
    ["tool", [TEXT]],
  ]);
  // A version without a stored document keeps taking every known part type in every role.
  for (const [role, content] of [["user", [AUDIO]], ["system", [TEXT]], ["tool", [TEXT]]]) {
    await expect("2024-12-01-preview", third(role as string, content));
  }
});

Deno.test("chat takes response_format {} and { type: null } as text on 2024-02-01 and 2024-05-01-preview", async () => {
  const messages = [{ role: "user", content: "answer in json" }];
  // The older documents' response_format: { type: object, properties: { type:
  // chatCompletionResponseFormat (nullable) } }, with no `required`.
  for (const version of OLDER) {
    const text = (await expect(version, { messages })).choices[0].message.content;
    for (const response_format of [{}, { type: null }]) {
      const body = { messages, response_format };
      const what = `${version} ${JSON.stringify(response_format)}`;
      assert.deepEqual(validateRequestBody(version, CHAT, "POST", body), [], what);
      const json = await expect(version, body);
      assert.equal(json.choices[0].message.content, text, what);
    }
  }
  // 2024-10-21: every response_format of the oneOf requires `type`; a version without a stored
  // document keeps refusing both.
  for (const response_format of [{}, { type: null }]) {
    const body = { messages, response_format };
    assert.notDeepEqual(validateRequestBody("2024-10-21", CHAT, "POST", body), []);
    await expect("2024-10-21", body, "response_format.type");
    await expect("2024-12-01-preview", body, "response_format.type");
  }
});

/** A body whose third message (index 2) is an assistant message without `content`, with `extra`. */
function noContent(extra: Record<string, unknown>): Record<string, unknown> {
  const body = third("assistant", null);
  const messages = body.messages as Record<string, unknown>[];
  const { content: _, ...m } = messages[2];
  messages[2] = { ...m, ...extra };
  return body;
}

Deno.test("chat answers 400 for an assistant content of a type the version's document does not allow", async () => {
  const toolCalls = {
    tool_calls: [{ id: "c2", type: "function", function: { name: "f", arguments: "{}" } }],
  };
  const functionCall = { function_call: { name: "f", arguments: "{}" } };
  // 2024-02-01 / 2024-05-01-preview: chatCompletionRequestMessageAssistant.content is
  // { type: string, nullable: true } and required; the schema has no exception for tool_calls or
  // function_call, but the service (and 2024-10-21's description) make one, as the spec helper's
  // fixKnownSlips() does.
  for (const version of OLDER) {
    await parts(version, [
      ["assistant", 5, "messages[2].content"],
      ["assistant", true, "messages[2].content"],
      ["assistant", { text: "a" }, "messages[2].content"],
    ], [["assistant", "a"], ["assistant", null]]);
    const bare = noContent({});
    assert.notDeepEqual(specErrors(version, bare), [], version);
    await expect(version, bare, "messages[2].content");
    for (const extra of [toolCalls, functionCall]) {
      const body = noContent(extra);
      assert.deepEqual(specErrors(version, body), [], `${version} ${JSON.stringify(extra)}`);
      await expect(version, body);
    }
  }
  // 2024-10-21: chatCompletionRequestAssistantMessage.content is a nullable oneOf [string, array
  // of parts] and only `role` is required.
  await parts("2024-10-21", [
    ["assistant", 5, "messages[2].content"],
    ["assistant", true, "messages[2].content"],
    ["assistant", { text: "a" }, "messages[2].content"],
  ], [["assistant", "a"], ["assistant", null], ["assistant", [TEXT]]]);
  for (const extra of [{}, toolCalls, functionCall]) {
    const body = noContent(extra);
    assert.deepEqual(specErrors("2024-10-21", body), [], JSON.stringify(extra));
    await expect("2024-10-21", body);
  }
});

Deno.test("chat answers 400 for an empty content parts array on 2024-10-21", async () => {
  // 2024-10-21: the system, user, assistant and tool messages' arrays of parts have minItems: 1.
  await parts("2024-10-21", [
    ["system", [], "messages[2].content"],
    ["user", [], "messages[2].content"],
    ["assistant", [], "messages[2].content"],
    ["tool", [], "messages[2].content"],
  ], []);
  // 2024-02-01 / 2024-05-01-preview: the user message's array has `minimum: 1`, which does not
  // apply to arrays; a version without a stored document keeps taking [].
  for (const version of OLDER) await parts(version, [], [["user", []]]);
  await expect("2024-12-01-preview", third("user", []));
});

Deno.test("chat answers 400 naming the field of a text, image or refusal part the document refuses", async () => {
  const url = "https://example.com/a.png";
  const image = (image_url: unknown) => ({ type: "image_url", image_url });
  // Text part: required string `text`. Image part: required image_url { url: string (required),
  // detail: enum [auto, low, high] } (2024-10-21's own; the older documents' imageDetailLevel).
  const userParts: [string, unknown, string][] = [
    ["user", [{ type: "text" }], "messages[2].content[0].text"],
    ["user", [{ type: "text", text: 5 }], "messages[2].content[0].text"],
    ["user", [TEXT, { type: "image_url" }], "messages[2].content[1].image_url"],
    ["user", [image(url)], "messages[2].content[0].image_url"],
    ["user", [image(null)], "messages[2].content[0].image_url"],
    ["user", [image({})], "messages[2].content[0].image_url.url"],
    ["user", [TEXT, image({ url: 5 })], "messages[2].content[1].image_url.url"],
    ["user", [image({ url, detail: "max" })], "messages[2].content[0].image_url.detail"],
    ["user", [image({ url, detail: null })], "messages[2].content[0].image_url.detail"],
  ];
  const userOk: [string, unknown][] = ["auto", "low", "high"].map((
    detail,
  ) => ["user", [TEXT, image({ url, detail })]]);
  for (const version of OLDER) await parts(version, userParts, userOk);
  // 2024-10-21's refusal part (assistant messages only): required string `refusal`.
  await parts("2024-10-21", [
    ...userParts,
    ["assistant", [{ type: "refusal" }], "messages[2].content[0].refusal"],
    ["assistant", [{ type: "refusal", refusal: null }], "messages[2].content[0].refusal"],
    ["assistant", [TEXT, { type: "refusal", refusal: 5 }], "messages[2].content[1].refusal"],
  ], userOk);
  // A version without a stored document keeps checking only text parts.
  await expect("2024-12-01-preview", third("user", [image({})]));
  await expect(
    "2024-12-01-preview",
    third("user", [{ type: "text" }]),
    "messages[2].content[0].text",
  );
});

Deno.test("chat takes null system, user and tool content where the version's document does", async () => {
  // 2024-02-01 / 2024-05-01-preview: the system, user and tool messages' content is nullable;
  // 2024-10-21's is a oneOf [string, array] without null.
  const call = { id: "c", type: "function", function: { name: "f", arguments: "{}" } };
  const bodies = [
    { messages: [{ role: "system", content: null }, { role: "user", content: "hi" }] },
    { messages: [{ role: "user", content: null }] },
    {
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: null, tool_calls: [call] },
        { role: "tool", tool_call_id: "c", content: null },
      ],
    },
  ];
  const params = ["messages[0].content", "messages[0].content", "messages[2].content"];
  for (const version of ["2024-02-01", "2024-05-01-preview"] as const) {
    for (const body of bodies) {
      assert.deepEqual(validateRequestBody(version, CHAT, "POST", body), [], version);
      await expect(version, body);
    }
  }
  for (const [k, body] of bodies.entries()) {
    assert.notDeepEqual(validateRequestBody("2024-10-21", CHAT, "POST", body), []);
    await expect("2024-10-21", body, params[k]);
  }
});
