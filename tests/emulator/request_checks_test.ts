import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { validateRequestBody } from "../helpers/spec_schema.ts";
import { call } from "./_version_paths.ts";

const V = "2024-10-21";

function post(
  e: ReturnType<typeof createEmulator>,
  deployment: string,
  op: string,
  body: unknown,
): Promise<Response> {
  return call(e, `/deployments/${deployment}/${op}`, V, { body });
}

/** Sends bodies the 2024-10-21 spec refuses (checked) and expects 400 naming `param`. */
async function expectRefused(
  deployment: string,
  op: string,
  cases: [Record<string, unknown>, string][],
  valid: Record<string, unknown>[],
): Promise<void> {
  const e = createEmulator();
  for (const [body, param] of cases) {
    const what = JSON.stringify(body);
    assert.notDeepEqual(validateRequestBody(V, `/deployments/x/${op}`, "POST", body), [], what);
    const res = await post(e, deployment, op, body);
    assert.equal(res.status, 400, what);
    assert.equal((await res.json()).error.param, param, what);
  }
  for (const body of valid) {
    const what = JSON.stringify(body);
    assert.deepEqual(validateRequestBody(V, `/deployments/x/${op}`, "POST", body), [], what);
    const res = await post(e, deployment, op, body);
    assert.equal(res.status, 200, what);
    await res.body?.cancel();
  }
}

Deno.test("completions answers 400 for presence_penalty or frequency_penalty outside [-2, 2]", async () => {
  await expectRefused("gpt-35-turbo-instruct", "completions", [
    [{ prompt: "x", presence_penalty: 2.5 }, "presence_penalty"],
    [{ prompt: "x", frequency_penalty: -3 }, "frequency_penalty"],
  ], [{ prompt: "x", presence_penalty: 2, frequency_penalty: -2 }]);
});

Deno.test("chat answers 400 for a json_schema response_format without a name", async () => {
  const messages = [{ role: "user", content: "hi" }];
  const schema = { type: "object", properties: { a: { type: "string" } } };
  await expectRefused("gpt-4o", "chat/completions", [
    [
      { messages, response_format: { type: "json_schema", json_schema: { schema } } },
      "response_format.json_schema.name",
    ],
  ], []);
  // With a name it is accepted. (The document also lists `type` as required inside json_schema,
  // a slip: `type` is the outer field; the service takes json_schema without it.)
  const body = {
    messages,
    response_format: { type: "json_schema", json_schema: { name: "n", schema } },
  };
  assert.deepEqual(
    validateRequestBody(V, "/deployments/x/chat/completions", "POST", body)
      .filter((err) =>
        !/^\/response_format\/json_schema must have required property 'type'/.test(err)
      )
      .filter((err) =>
        !/^\/response_format\/type must be equal to one of the allowed values/.test(err)
      )
      .filter((err) => !/^\/response_format must match exactly one schema in oneOf/.test(err)),
    [],
  );
  const res = await post(createEmulator(), "gpt-4o", "chat/completions", body);
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

const MESSAGES = [{ role: "user", content: "hi" }];
const TOOL = { type: "function", function: { name: "f", parameters: { type: "object" } } };

Deno.test("chat answers 400 for logprobs, parallel_tool_calls, seed, user or data_sources of the wrong type", async () => {
  await expectRefused("gpt-4o", "chat/completions", [
    [{ messages: MESSAGES, logprobs: "true" }, "logprobs"],
    [{ messages: MESSAGES, tools: [TOOL], parallel_tool_calls: "false" }, "parallel_tool_calls"],
    [{ messages: MESSAGES, seed: 1.5 }, "seed"],
    [{ messages: MESSAGES, seed: "42" }, "seed"],
    [{ messages: MESSAGES, user: 42 }, "user"],
    [{ messages: MESSAGES, data_sources: { type: "azure_search" } }, "data_sources"],
  ], [
    { messages: MESSAGES, logprobs: null, seed: null, parallel_tool_calls: null },
    { messages: MESSAGES, logprobs: false, seed: -1, user: "user-1234" },
    { messages: MESSAGES, tools: [TOOL], parallel_tool_calls: false },
  ]);
});

Deno.test("chat answers 400 for logit_bias that is not a map of integers", async () => {
  await expectRefused("gpt-4o", "chat/completions", [
    [{ messages: MESSAGES, logit_bias: { "50256": 1.5 } }, "logit_bias.50256"],
    [{ messages: MESSAGES, logit_bias: { "50256": "-100" } }, "logit_bias.50256"],
    [{ messages: MESSAGES, logit_bias: [1] }, "logit_bias"],
  ], [
    { messages: MESSAGES, logit_bias: null },
    { messages: MESSAGES, logit_bias: { "50256": -100, "1": 100 } },
  ]);
});

Deno.test("chat answers 400 for an empty functions array", async () => {
  await expectRefused("gpt-4o", "chat/completions", [
    [{ messages: MESSAGES, functions: [] }, "functions"],
  ], [{ messages: MESSAGES, functions: [{ name: "f", parameters: { type: "object" } }] }]);
});

Deno.test("chat answers 400 for a content part of unknown type or a text part without text", async () => {
  const user = (content: unknown) => ({ messages: [{ role: "user", content }] });
  await expectRefused("gpt-4o", "chat/completions", [
    [
      user([{ type: "text", text: "a" }, { type: "txt", text: "b" }]),
      "messages[0].content[1].type",
    ],
    [user([{ text: "a" }]), "messages[0].content[0].type"],
    [user(["a"]), "messages[0].content[0]"],
    [user([{ type: "text" }]), "messages[0].content[0].text"],
    [user([{ type: "text", text: 1 }]), "messages[0].content[0].text"],
  ], [
    user([
      { type: "text", text: "a" },
      { type: "image_url", image_url: { url: "https://example.com/a.png" } },
    ]),
    {
      messages: [
        { role: "system", content: [{ type: "text", text: "s" }] },
        { role: "user", content: "hi" },
        { role: "assistant", content: [{ type: "refusal", refusal: "no" }] },
        { role: "user", content: [{ type: "text", text: "again" }] },
      ],
    },
  ]);
});

Deno.test("chat answers 400 for tool parameters that are not an object or a tool_choice type other than function", async () => {
  const tool = (parameters: unknown) => ({ type: "function", function: { name: "f", parameters } });
  await expectRefused("gpt-4o", "chat/completions", [
    [{ messages: MESSAGES, tools: [tool('{"type":"object"}')] }, "tools[0].function.parameters"],
    [{ messages: MESSAGES, tools: [TOOL, tool([])] }, "tools[1].function.parameters"],
    [
      { messages: MESSAGES, tools: [TOOL], tool_choice: { type: "tool", function: { name: "f" } } },
      "tool_choice.type",
    ],
    [
      { messages: MESSAGES, tools: [TOOL], tool_choice: { function: { name: "f" } } },
      "tool_choice.type",
    ],
  ], [
    { messages: MESSAGES, tools: [tool({})] },
    {
      messages: MESSAGES,
      tools: [{ type: "function", function: { name: "f" } }],
      tool_choice: { type: "function", function: { name: "f" } },
    },
  ]);
});

Deno.test("completions answers 400 for echo, suffix, seed or user of the wrong type", async () => {
  await expectRefused("gpt-35-turbo-instruct", "completions", [
    [{ prompt: "x", echo: "true" }, "echo"],
    [{ prompt: "x", suffix: 1 }, "suffix"],
    [{ prompt: "x", seed: 1.5 }, "seed"],
    [{ prompt: "x", user: ["u"] }, "user"],
  ], [
    { prompt: "x", echo: null, suffix: null, seed: null },
    { prompt: "x", echo: true, suffix: "!", seed: 7, user: "user-1234" },
  ]);
});

Deno.test("embeddings answers 400 for user or input_type that is not a string", async () => {
  await expectRefused("text-embedding-3-small", "embeddings", [
    [{ input: "x", user: 1 }, "user"],
    [{ input: "x", input_type: ["query"] }, "input_type"],
  ], [{ input: "x", user: "user-1234", input_type: "query" }]);
});

Deno.test("images answers 400 for a user that is not a string", async () => {
  await expectRefused("dall-e-3", "images/generations", [
    [{ prompt: "x", user: 1 }, "user"],
  ], [{ prompt: "x", user: "user-1234" }]);
});

Deno.test("completions answers 400 for logit_bias that is not a map of integers", async () => {
  await expectRefused("gpt-35-turbo-instruct", "completions", [
    [{ prompt: "x", logit_bias: { "50256": 0.5 } }, "logit_bias.50256"],
    [{ prompt: "x", logit_bias: "50256" }, "logit_bias"],
  ], [{ prompt: "x", logit_bias: null }, { prompt: "x", logit_bias: { "50256": -100 } }]);
});
