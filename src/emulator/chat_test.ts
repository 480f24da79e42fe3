import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { post } from "./_testing.ts";

const CHAT = "/openai/deployments/gpt-4o/chat/completions";
const user = (content: string) => ({ role: "user", content });

Deno.test("chat echoes the last user message with spec fields and usage", async () => {
  const e = createEmulator();
  const res = await post(e, CHAT, {
    messages: [{ role: "system", content: "be brief" }, user("first"), user("second one")],
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "application/json");
  const body = await res.json();
  assert.match(body.id, /^chatcmpl-[A-Za-z0-9]{29}$/);
  assert.equal(body.object, "chat.completion");
  assert.equal(body.model, "gpt-4o");
  assert.equal(typeof body.created, "number");
  assert.equal(body.system_fingerprint, "fp_emulator");
  assert.equal(body.choices.length, 1);
  const choice = body.choices[0];
  assert.deepEqual(choice.message, {
    role: "assistant",
    content: "You said: second one",
    refusal: null,
  });
  assert.equal(choice.finish_reason, "stop");
  assert.equal(choice.logprobs, null);
  assert.equal(choice.content_filter_results.violence.severity, "safe");
  assert.equal(body.prompt_filter_results[0].prompt_index, 0);
  assert.equal(body.prompt_filter_results[0].content_filter_results.jailbreak.detected, false);
  // "You" " said" ":" " seco" "nd" " one" = 6 tokens
  assert.equal(body.usage.completion_tokens, 6);
  assert.equal(body.usage.total_tokens, body.usage.prompt_tokens + 6);
});

Deno.test("chat reads text parts of array content", async () => {
  const e = createEmulator();
  const body = await (await post(e, CHAT, {
    messages: [{
      role: "user",
      content: [{ type: "text", text: "a " }, { type: "image_url", image_url: { url: "x" } }, {
        type: "text",
        text: "b",
      }],
    }],
  })).json();
  assert.equal(body.choices[0].message.content, "You said: a b");
});

Deno.test("chat honours n and max_tokens with finish_reason length", async () => {
  const e = createEmulator();
  const body = await (await post(e, CHAT, {
    messages: [user("one two three four five")],
    n: 3,
    max_tokens: 4,
  })).json();
  assert.equal(body.choices.length, 3);
  for (const [i, c] of body.choices.entries()) {
    assert.equal(c.index, i);
    assert.equal(c.finish_reason, "length");
    assert.equal(c.message.content, "You said: one");
  }
  assert.equal(body.usage.completion_tokens, 12);
});

Deno.test("chat cuts at a stop sequence", async () => {
  const e = createEmulator();
  const body = await (await post(e, CHAT, { messages: [user("abc STOP def")], stop: ["STOP"] }))
    .json();
  assert.equal(body.choices[0].message.content, "You said: abc ");
  assert.equal(body.choices[0].finish_reason, "stop");
});

Deno.test("chat uses the script reply when one is given", async () => {
  const seen: string[] = [];
  const e = createEmulator({
    script: (req) => {
      seen.push(`${req.operation}:${req.deployment}:${req.lastUserText}`);
      return { content: "scripted" };
    },
  });
  const body = await (await post(e, CHAT, { messages: [user("q")] })).json();
  assert.equal(body.choices[0].message.content, "scripted");
  assert.deepEqual(seen, ["chat:gpt-4o:q"]);
});

const TOOLS = [{
  type: "function",
  function: {
    name: "get_weather",
    parameters: {
      type: "object",
      properties: { city: { type: "string" }, unit: { enum: ["c", "f"] } },
      required: ["city", "unit"],
    },
  },
}, { type: "function", function: { name: "noop" } }];

Deno.test("chat always returns a tool call when tool_choice is required or names a function", async () => {
  const e = createEmulator();
  const required = await (await post(e, CHAT, {
    messages: [user("weather?")],
    tools: TOOLS,
    tool_choice: "required",
  })).json();
  const c = required.choices[0];
  assert.equal(c.finish_reason, "tool_calls");
  assert.equal(c.message.content, null);
  assert.equal(c.message.tool_calls.length, 1);
  assert.equal(c.message.tool_calls[0].type, "function");
  assert.match(c.message.tool_calls[0].id, /^call_/);
  assert.equal(c.message.tool_calls[0].function.name, "get_weather");
  assert.deepEqual(JSON.parse(c.message.tool_calls[0].function.arguments), { city: "", unit: "c" });
  const named = await (await post(e, CHAT, {
    messages: [user("x")],
    tools: TOOLS,
    tool_choice: { type: "function", function: { name: "noop" } },
  })).json();
  assert.equal(named.choices[0].message.tool_calls[0].function.name, "noop");
  assert.equal(named.choices[0].message.tool_calls[0].function.arguments, "{}");
});

Deno.test("chat returns script tool calls under auto and none of them under tool_choice none", async () => {
  const e = createEmulator({
    script: () => ({
      content: "fallback",
      toolCalls: [{ name: "get_weather", arguments: { city: "Paris", unit: "c" } }, {
        name: "noop",
        arguments: "{}",
      }],
    }),
  });
  const auto = await (await post(e, CHAT, { messages: [user("x")], tools: TOOLS })).json();
  const calls = auto.choices[0].message.tool_calls;
  assert.equal(calls.length, 2);
  assert.equal(calls[0].function.arguments, '{"city":"Paris","unit":"c"}');
  assert.notEqual(calls[0].id, calls[1].id);
  const single = await (await post(e, CHAT, {
    messages: [user("x")],
    tools: TOOLS,
    parallel_tool_calls: false,
  })).json();
  assert.equal(single.choices[0].message.tool_calls.length, 1);
  const none = await (await post(e, CHAT, {
    messages: [user("x")],
    tools: TOOLS,
    tool_choice: "none",
  })).json();
  assert.equal(none.choices[0].message.content, "fallback");
  assert.equal(none.choices[0].message.tool_calls, undefined);
  const noTools = await (await post(e, CHAT, { messages: [user("x")] })).json();
  assert.equal(noTools.choices[0].message.content, "fallback");
});

Deno.test("chat answers a tool result message with text", async () => {
  const e = createEmulator();
  const body = await (await post(e, CHAT, {
    messages: [user("x"), {
      role: "assistant",
      content: null,
      tool_calls: [{ id: "c1", type: "function", function: { name: "noop", arguments: "{}" } }],
    }, { role: "tool", tool_call_id: "c1", content: "42" }],
    tools: TOOLS,
  })).json();
  assert.equal(body.choices[0].message.content, "Tool result: 42");
});

Deno.test("chat supports legacy functions with a forced function_call", async () => {
  const e = createEmulator();
  const body = await (await post(e, CHAT, {
    messages: [user("x")],
    functions: [{ name: "f", parameters: { type: "object", properties: {} } }],
    function_call: { name: "f" },
  })).json();
  assert.equal(body.choices[0].finish_reason, "function_call");
  assert.deepEqual(body.choices[0].message.function_call, { name: "f", arguments: "{}" });
});

Deno.test("chat replies valid JSON for response_format json_object and json_schema", async () => {
  const e = createEmulator();
  const obj = await (await post(e, CHAT, {
    messages: [user("answer in json")],
    response_format: { type: "json_object" },
  })).json();
  assert.deepEqual(JSON.parse(obj.choices[0].message.content), {
    reply: "You said: answer in json",
  });
  const schema = await (await post(e, CHAT, {
    messages: [user("x")],
    response_format: {
      type: "json_schema",
      json_schema: {
        name: "s",
        schema: { type: "object", properties: { n: { type: "integer" } }, required: ["n"] },
      },
    },
  })).json();
  assert.deepEqual(JSON.parse(schema.choices[0].message.content), { n: 0 });
  const noWord = await post(e, CHAT, {
    messages: [user("x")],
    response_format: { type: "json_object" },
  });
  assert.equal(noWord.status, 400);
  assert.equal((await noWord.json()).error.param, "messages");
});

Deno.test("chat returns logprobs with top_logprobs when asked", async () => {
  const e = createEmulator();
  const body = await (await post(e, CHAT, {
    messages: [user("hi")],
    logprobs: true,
    top_logprobs: 2,
  })).json();
  const lp = body.choices[0].logprobs;
  assert.equal(lp.refusal, null);
  assert.equal(lp.content.map((t: { token: string }) => t.token).join(""), "You said: hi");
  for (const t of lp.content) {
    assert.ok(t.logprob <= 0);
    assert.deepEqual(t.bytes, Array.from(new TextEncoder().encode(t.token)));
    assert.equal(t.top_logprobs.length, 2);
    assert.equal(t.top_logprobs[0].token, t.token);
  }
});

Deno.test("chat answers 400 content_filter with both error field spellings when the prompt has the trigger", async () => {
  const e = createEmulator();
  const res = await post(e, CHAT, { messages: [user("please __content_filter__ now")] });
  assert.equal(res.status, 400);
  const { error } = await res.json();
  assert.equal(error.code, "content_filter");
  assert.equal(error.param, "prompt");
  assert.equal(error.status, 400);
  assert.equal(error.innererror.code, "ResponsibleAIPolicyViolation");
  assert.equal(error.innererror.content_filter_result.violence.filtered, true);
  assert.equal(error.inner_error.content_filter_results.violence.severity, "high");
  const spec = createEmulator({ contentFilterErrorShape: "spec", contentFilterTrigger: "BAD" });
  const only = (await (await post(spec, CHAT, { messages: [user("BAD")] })).json()).error;
  assert.equal(only.innererror, undefined);
  assert.equal(only.inner_error.code, "ResponsibleAIPolicyViolation");
});

Deno.test("chat cuts the reply with finish_reason content_filter when the output has the trigger", async () => {
  const e = createEmulator();
  const body = await (await post(e, CHAT, { messages: [user("abc __filter_output__ def")] }))
    .json();
  const c = body.choices[0];
  assert.equal(c.finish_reason, "content_filter");
  assert.equal(c.message.content, "You said: abc ");
  assert.equal(c.content_filter_results.violence.filtered, true);
});

Deno.test("chat answers 400 naming the param for bad bodies", async () => {
  const e = createEmulator();
  const cases: [unknown, string][] = [
    [{}, "messages"],
    [{ messages: [] }, "messages"],
    [{ messages: "hi" }, "messages"],
    [{ messages: [{ role: "robot", content: "x" }] }, "messages[0].role"],
    [{ messages: [user("x")], n: 0 }, "n"],
    [{ messages: [user("x")], temperature: 3 }, "temperature"],
    [{ messages: [user("x")], max_tokens: 1.5 }, "max_tokens"],
    [{ messages: [user("x")], stream_options: { include_usage: true } }, "stream_options"],
    [{ messages: [user("x")], tool_choice: "required" }, "tool_choice"],
    [{
      messages: [user("x")],
      tools: TOOLS,
      tool_choice: { type: "function", function: { name: "zz" } },
    }, "tool_choice"],
    [{ messages: [user("x")], top_logprobs: 2 }, "top_logprobs"],
  ];
  for (const [body, param] of cases) {
    const res = await post(e, CHAT, body);
    assert.equal(res.status, 400, param);
    const err = (await res.json()).error;
    assert.equal(err.param, param);
    assert.equal(err.type, "invalid_request_error");
    assert.equal(typeof err.message, "string");
  }
});

Deno.test("chat answers 400 for messages missing the fields the spec requires of their role, and stop over 4 items", async () => {
  const e = createEmulator();
  const call = { id: "c1", type: "function", function: { name: "noop", arguments: "{}" } };
  const assistant = { role: "assistant", content: null, tool_calls: [call] };
  const cases: [unknown, string][] = [
    [{ messages: [{ role: "user" }] }, "messages[0].content"],
    [{ messages: [{ role: "user", content: null }] }, "messages[0].content"],
    [{ messages: [{ role: "system", content: 7 }, user("x")] }, "messages[0].content"],
    [
      { messages: [user("x"), assistant, { role: "tool", content: "42" }] },
      "messages[2].tool_call_id",
    ],
    [
      { messages: [user("x"), assistant, { role: "tool", tool_call_id: "c1" }] },
      "messages[2].content",
    ],
    [{ messages: [user("x"), { role: "function", content: "42" }] }, "messages[1].name"],
    [{ messages: [user("x")], stop: ["a", "b", "c", "d", "e"] }, "stop"],
    [{ messages: [user("x")], stop: [] }, "stop"],
  ];
  for (const [body, param] of cases) {
    const res = await post(e, CHAT, body);
    assert.equal(res.status, 400, param);
    const err = (await res.json()).error;
    assert.equal(err.param, param);
    assert.equal(err.type, "invalid_request_error");
  }
  // What the spec allows still answers 200: an assistant turn with only tool calls, a function
  // result with null content, parts arrays, a stop string or up to 4 sequences.
  const ok: unknown[] = [
    { messages: [user("x"), assistant, { role: "tool", tool_call_id: "c1", content: "42" }] },
    { messages: [user("x"), { role: "function", name: "f", content: null }] },
    { messages: [{ role: "system", content: [{ type: "text", text: "s" }] }, user("x")] },
    { messages: [user("x")], stop: "a" },
    { messages: [user("x")], stop: ["a", "b", "c", "d"] },
  ];
  for (const body of ok) {
    const res = await post(e, CHAT, body);
    assert.equal(res.status, 200, JSON.stringify(body));
    await res.body?.cancel();
  }
  // A developer message: not in the 2024-10-21 document's roles; the 2024-12-01-preview has it.
  const developer = await post(e, CHAT, {
    messages: [{ role: "developer", content: "d" }, user("x")],
  }, { apiVersion: "2024-12-01-preview" });
  assert.equal(developer.status, 200);
  await developer.body?.cancel();
});

Deno.test("chat answers 400 for a function_call naming no function of functions, or without functions", async () => {
  const e = createEmulator();
  const functions = [{ name: "f", parameters: { type: "object", properties: {} } }];
  const cases: unknown[] = [
    { messages: [user("x")], functions, function_call: { name: "g" } },
    { messages: [user("x")], functions, function_call: "sometimes" },
    { messages: [user("x")], function_call: { name: "f" } },
    { messages: [user("x")], functions: [{ parameters: {} }] },
  ];
  for (const body of cases) {
    const res = await post(e, CHAT, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    const err = (await res.json()).error;
    assert.match(err.param, /^function/);
  }
  for (const function_call of ["auto", "none", { name: "f" }]) {
    const res = await post(e, CHAT, { messages: [user("x")], functions, function_call });
    assert.equal(res.status, 200, JSON.stringify(function_call));
    await res.body?.cancel();
  }
});
