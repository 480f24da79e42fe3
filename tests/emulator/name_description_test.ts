/**
 * Message `name` and function `description`, as each stored document's schemas constrain them:
 * both are `type: string` (not nullable) with no `pattern` or `maxLength` (the "a-z, A-Z, 0-9 …
 * maximum length of 64" of the function message's name is prose of the function *name* only).
 * `name` is defined on 2024-10-21's chatCompletionRequest{System,User,Assistant,Function}Message
 * and on the older documents' chatCompletionRequestMessageFunction only; elsewhere it is another
 * member the schema allows and is ignored. `description` is defined on chatCompletionTool.function
 * / FunctionObject and chatCompletionFunction(s) of all three.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { SPEC_VERSIONS, validateRequestBody } from "../helpers/spec_schema.ts";
import { call } from "./_version_paths.ts";

const PATH = "/deployments/gpt-4o/chat/completions";
const VALUES: unknown[] = [42, null, { first: "a" }, "x".repeat(300), "Ana María (ops)"];

/** The emulator's status for `body` at `version`, with the 400's param. */
async function answer(
  e: ReturnType<typeof createEmulator>,
  version: string,
  body: unknown,
): Promise<string> {
  const res = await call(e, PATH, version, { body });
  if (res.status === 200) {
    await res.body?.cancel();
    return "200";
  }
  return `${res.status} ${(await res.json()).error.param}`;
}

Deno.test("chat: messages[i].name is checked as the documents' schemas type it (string, no pattern or maxLength; system/user/assistant on 2024-10-21, function on all)", async () => {
  const e = createEmulator();
  const checked: string[] = [];
  for (const version of SPEC_VERSIONS) {
    for (const role of ["system", "user", "assistant", "function"]) {
      const message = (name: unknown) => ({
        role,
        content: "It is sunny.",
        ...(role === "function" ? { name: "get_weather" } : {}),
        ...(name === undefined ? {} : { name }),
      });
      const body = (name: unknown) => ({
        messages: [message(name), { role: "user", content: "And tomorrow?" }],
      });
      // A body the document takes without the tested value (2024-10-21's function message also
      // lists function_call_id in required: that role is compared against the service's rule).
      const base = validateRequestBody(version, PATH, "POST", body(undefined)).length === 0;
      for (const name of VALUES) {
        const what = `${version} ${role} name ${JSON.stringify(name)}`;
        const got = await answer(e, version, body(name));
        if (!base) {
          // Function messages: the name is required, a string (null is missing).
          const ok = typeof name === "string";
          assert.equal(got, ok ? "200" : "400 messages[0].name", what);
          continue;
        }
        const refused = validateRequestBody(version, PATH, "POST", body(name)).length > 0;
        assert.equal(got, refused ? "400 messages[0].name" : "200", what);
        if (refused) checked.push(`${version} ${role}`);
      }
    }
  }
  assert.ok(checked.includes("2024-10-21 user"), checked.join(", "));
  assert.ok(checked.includes("2024-02-01 function"), checked.join(", "));
  assert.ok(!checked.includes("2024-02-01 user"), checked.join(", "));
});

Deno.test("chat: tools[i].function.description and functions[i].description are strings (every document; no maxLength)", async () => {
  const e = createEmulator();
  for (const version of SPEC_VERSIONS) {
    for (const description of VALUES) {
      const bodies = {
        "tools[0].function.description": {
          messages: [{ role: "user", content: "weather?" }],
          tools: [{
            type: "function",
            function: { name: "get_weather", description, parameters: { type: "object" } },
          }],
        },
        "functions[0].description": {
          messages: [{ role: "user", content: "weather?" }],
          functions: [{ name: "get_weather", description, parameters: { type: "object" } }],
        },
      };
      for (const [param, body] of Object.entries(bodies)) {
        const what = `${version} ${param} ${JSON.stringify(description).slice(0, 20)}`;
        const refused = validateRequestBody(version, PATH, "POST", body).length > 0;
        assert.equal(refused, typeof description !== "string", `document: ${what}`);
        assert.equal(await answer(e, version, body), refused ? `400 ${param}` : "200", what);
      }
    }
  }
});
