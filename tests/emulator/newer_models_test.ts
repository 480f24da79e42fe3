/**
 * Deployments of newer models answer as Azure documents them, not as the older model of the
 * same kind: o-series reasoning models (how-to "Azure OpenAI reasoning models": they work only
 * with max_completion_tokens; temperature, top_p, presence_penalty, frequency_penalty, logprobs,
 * top_logprobs, logit_bias and max_tokens are not supported) and gpt-4o-mini-tts (text to
 * speech, not chat).
 */
import assert from "node:assert/strict";
import { createEmulator, kindOfModel } from "../../src/emulator/mod.ts";
import { post } from "../../src/emulator/_testing.ts";

const VERSION = "2025-01-01-preview";
const messages = [{ role: "user", content: "hi" }];

Deno.test("o-series deployments answer 400 naming a parameter reasoning models do not support", async () => {
  const e = createEmulator({
    deployments: ["o1", "o3-mini", "o4-mini", "O1-mini"].map((m) => ({ name: m, model: m })),
  });
  for (const name of ["o1", "o3-mini", "o4-mini", "O1-mini"]) {
    const path = `/openai/deployments/${name}/chat/completions`;
    const cases: [Record<string, unknown>, string][] = [
      [{ max_tokens: 100 }, "max_tokens"],
      [{ temperature: 0.7 }, "temperature"],
      [{ top_p: 0.5 }, "top_p"],
      [{ presence_penalty: 1 }, "presence_penalty"],
      [{ frequency_penalty: 1 }, "frequency_penalty"],
      [{ logprobs: true }, "logprobs"],
      [{ logprobs: true, top_logprobs: 2 }, "logprobs"],
      [{ logit_bias: { "50256": -100 } }, "logit_bias"],
    ];
    for (const [extra, param] of cases) {
      const res = await post(e, path, { messages, ...extra }, { apiVersion: VERSION });
      const json = await res.json();
      assert.equal(res.status, 400, `${name} ${param}: ${JSON.stringify(json)}`);
      assert.equal(json.error.param, param, name);
      assert.equal(json.error.type, "invalid_request_error");
    }
    const ok = await post(e, path, { messages, max_completion_tokens: 100 }, {
      apiVersion: VERSION,
    });
    assert.equal(ok.status, 200, name);
  }
  // gpt-4o keeps taking them all.
  const res = await post(e, "/openai/deployments/o1/chat/completions", { messages }, {
    apiVersion: VERSION,
  });
  assert.equal(res.status, 200);
  const g = createEmulator();
  const gpt = await post(g, "/openai/deployments/gpt-4o/chat/completions", {
    messages,
    max_tokens: 100,
    temperature: 0.7,
    top_p: 0.5,
    logprobs: true,
    top_logprobs: 2,
  }, { apiVersion: VERSION });
  assert.equal(gpt.status, 200);
});

Deno.test("a gpt-4o-mini-tts deployment speaks: its kind is speech, not chat", async () => {
  assert.equal(kindOfModel("gpt-4o-mini-tts"), "speech");
  assert.equal(kindOfModel("tts-1-hd"), "speech");
  assert.equal(kindOfModel("gpt-4o-mini"), "chat");
  const e = createEmulator({ deployments: [{ name: "voice", model: "gpt-4o-mini-tts" }] });
  const res = await post(e, "/openai/deployments/voice/audio/speech", {
    input: "Hello",
    voice: "coral",
    response_format: "wav",
  }, { apiVersion: VERSION });
  assert.equal(res.status, 200, await res.clone().text());
  assert.equal(res.headers.get("content-type"), "audio/wav");
});
