/**
 * Chat values one stored spec document allows and another refuses: `response_format` types and
 * content part types by role. Each case is checked against the version's document first, so the
 * cases follow the documents, not the emulator.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { validateRequestBody } from "../helpers/spec_schema.ts";
import { call } from "./_version_paths.ts";

const CHAT = "/deployments/x/chat/completions";

/** Sends `body` at `version`: 400 naming `param` when given (the document must refuse it), else 200. */
async function expect(
  version: string,
  body: Record<string, unknown>,
  param?: string,
): Promise<void> {
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
