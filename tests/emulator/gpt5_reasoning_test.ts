/**
 * GPT-5 reasoning deployments (gpt-5, gpt-5-mini, gpt-5-nano; not gpt-5-chat) answer as Azure's
 * how-to "Azure OpenAI reasoning models" (learn.microsoft.com/azure/ai-foundry/openai/how-to/
 * reasoning) documents them, as o-series deployments already did:
 * - "Not Supported ... with reasoning models: temperature, top_p, presence_penalty,
 *   frequency_penalty, logprobs, top_logprobs, logit_bias, max_tokens"; "Reasoning models will
 *   only work with the max_completion_tokens parameter".
 * - "reasoning_effort can be set to low, medium, or high for all reasoning models except o1-mini.
 *   GPT-5 reasoning models support a new reasoning_effort setting of minimal."
 * - verbosity "Options: low, medium, high" (GPT-5).
 * - Developer and system messages are supported.
 * - "Reasoning models have reasoning_tokens as part of completion_tokens_details in the model
 *   response"; max_completion_tokens is "an upper bound ... including visible output tokens and
 *   reasoning tokens" (the openai SDK's ChatCompletionCreateParams).
 * The unsupported_value message is the service's (anomalyco/opencode#4451).
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { chunksOf, post, readSse } from "../../src/emulator/_testing.ts";

const VERSION = "2025-04-01-preview";
const messages = [{ role: "user", content: "hi" }];
const GPT5 = ["gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-5-mini-2025-08-07"];
const e = createEmulator({
  deployments: [...GPT5, "gpt-5-chat", "o3-mini", "o1-mini", "gpt-4o"].map((m) => ({
    name: m,
    model: m,
  })),
});

function chat(name: string, body: Record<string, unknown>, apiVersion = VERSION) {
  return post(e, `/openai/deployments/${name}/chat/completions`, { messages, ...body }, {
    apiVersion,
  });
}

Deno.test("gpt-5 reasoning deployments answer 400 naming a parameter reasoning models do not support", async () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ max_tokens: 100 }, "max_tokens"],
    [{ temperature: 0.7 }, "temperature"],
    [{ top_p: 0.5 }, "top_p"],
    [{ presence_penalty: 1 }, "presence_penalty"],
    [{ frequency_penalty: 1 }, "frequency_penalty"],
    [{ logprobs: true }, "logprobs"],
    [{ logit_bias: { "50256": -100 } }, "logit_bias"],
  ];
  for (const name of GPT5) {
    for (const [extra, param] of cases) {
      const res = await chat(name, extra);
      const json = await res.json();
      assert.equal(res.status, 400, `${name} ${param}: ${JSON.stringify(json)}`);
      assert.equal(json.error.param, param);
      assert.equal(json.error.code, "unsupported_parameter");
    }
    const ok = await chat(name, {
      messages: [{ role: "developer", content: "Be brief." }, ...messages],
      max_completion_tokens: 1000,
    });
    assert.equal(ok.status, 200, name);
    await ok.body?.cancel();
    const system = await chat(name, { messages: [{ role: "system", content: "x" }, ...messages] });
    assert.equal(system.status, 200, name);
    await system.body?.cancel();
  }
  // gpt-5-chat is no reasoning model: it takes them.
  const res = await chat("gpt-5-chat", { max_tokens: 100, temperature: 0.7, top_p: 0.5 });
  assert.equal(res.status, 200);
  await res.body?.cancel();
});

Deno.test("reasoning_effort: minimal on gpt-5 models only, low/medium/high on all, none on o1-mini", async () => {
  for (const name of GPT5) {
    for (const effort of ["minimal", "low", "medium", "high"]) {
      const res = await chat(name, { reasoning_effort: effort });
      assert.equal(res.status, 200, `${name} ${effort}`);
      await res.body?.cancel();
    }
  }
  for (const effort of ["low", "medium", "high"]) {
    const res = await chat("o3-mini", { reasoning_effort: effort });
    assert.equal(res.status, 200, effort);
    await res.body?.cancel();
  }
  const bad: [string, string, string][] = [
    ["o3-mini", "minimal", "'low', 'medium', and 'high'"],
    ["gpt-5", "extreme", "'minimal', 'low', 'medium', and 'high'"],
    ["gpt-5-nano", "none", "'minimal', 'low', 'medium', and 'high'"],
  ];
  for (const [name, effort, supported] of bad) {
    const res = await chat(name, { reasoning_effort: effort });
    const json = await res.json();
    assert.equal(res.status, 400, `${name} ${effort}`);
    assert.equal(json.error.param, "reasoning_effort");
    assert.equal(json.error.code, "unsupported_value");
    assert.equal(
      json.error.message,
      `Unsupported value: '${effort}' is not supported with the '${name}' model. Supported values are: ${supported}.`,
    );
  }
  const o1mini = await chat("o1-mini", { reasoning_effort: "low" });
  const json = await o1mini.json();
  assert.equal(o1mini.status, 400);
  assert.equal(json.error.param, "reasoning_effort");
  assert.equal(json.error.code, "unsupported_parameter");
  // The stored documents (2024-10-21, ...) define no reasoning_effort: it is ignored there.
  const old = await chat("gpt-5", { reasoning_effort: "extreme" }, "2024-10-21");
  assert.equal(old.status, 200);
  await old.body?.cancel();
});

Deno.test("verbosity on gpt-5 models: low, medium or high", async () => {
  for (const verbosity of ["low", "medium", "high"]) {
    const res = await chat("gpt-5-mini", { verbosity });
    assert.equal(res.status, 200, verbosity);
    await res.body?.cancel();
  }
  const res = await chat("gpt-5-mini", { verbosity: "terse" });
  const json = await res.json();
  assert.equal(res.status, 400);
  assert.equal(json.error.param, "verbosity");
  assert.equal(json.error.code, "unsupported_value");
});

Deno.test("reasoning deployments report completion_tokens_details.reasoning_tokens, counted in completion_tokens and max_completion_tokens", async () => {
  const usage = async (name: string, body: Record<string, unknown>) => {
    const res = await chat(name, body);
    assert.equal(res.status, 200);
    return await res.json();
  };
  for (const name of ["gpt-5", "o3-mini"]) {
    const medium = await usage(name, {});
    const details = medium.usage.completion_tokens_details;
    assert.equal(typeof details?.reasoning_tokens, "number", JSON.stringify(medium.usage));
    assert.ok(details.reasoning_tokens > 0);
    const visible = medium.choices[0].message.content.split(/(?=\s)/).length;
    assert.ok(medium.usage.completion_tokens >= details.reasoning_tokens + 1);
    assert.ok(visible > 0);
    const high = await usage(name, { reasoning_effort: "high" });
    assert.ok(
      high.usage.completion_tokens_details.reasoning_tokens > details.reasoning_tokens,
    );
    assert.equal(high.choices[0].message.content, medium.choices[0].message.content);
    // A budget the reasoning uses up leaves no visible output: finish_reason length.
    const cut = await usage(name, { max_completion_tokens: details.reasoning_tokens });
    assert.equal(cut.choices[0].message.content, "");
    assert.equal(cut.choices[0].finish_reason, "length");
    assert.equal(cut.usage.completion_tokens, details.reasoning_tokens);
  }
  const minimal = await usage("gpt-5", { reasoning_effort: "minimal" });
  assert.equal(minimal.usage.completion_tokens_details.reasoning_tokens, 0);
  // The streamed usage chunk carries the same.
  const res = await chat("gpt-5", { stream: true, stream_options: { include_usage: true } });
  const chunks = chunksOf(await readSse(res));
  const last = chunks[chunks.length - 1] as { usage: Record<string, unknown> };
  const body = await usage("gpt-5", {});
  assert.deepEqual(last.usage, body.usage);
  // gpt-4o: no reasoning, no details (as before).
  const gpt = await usage("gpt-4o", {});
  assert.equal(gpt.usage.completion_tokens_details, undefined);
});
