import assert from "node:assert/strict";
import { checkImagesBody, checkSpeechBody } from "./images.ts";
import { checkAudioForm } from "./audio.ts";
import { checkCompletionsBody } from "./completions.ts";

Deno.test("checkImagesBody() needs a non-empty prompt and checks n and response_format", () => {
  assert.ok(checkImagesBody({ prompt: "a cat", n: 1, size: "1024x1024" }).ok);
  for (
    const [body, field] of [
      [{}, "prompt"],
      [{ prompt: "" }, "prompt"],
      [{ prompt: "x", n: 0 }, "n"],
      [{ prompt: "x", response_format: "png" }, "response_format"],
    ] as const
  ) {
    const r = checkImagesBody(body);
    assert.ok(!r.ok);
    assert.equal(r.problem.param, field);
  }
});

Deno.test("checkSpeechBody() needs input and voice and bounds speed", () => {
  assert.ok(checkSpeechBody({ input: "hello", voice: "alloy" }).ok);
  const r = checkSpeechBody({ input: "hello", voice: "alloy", speed: 9 });
  assert.ok(!r.ok);
  assert.equal(r.problem.param, "speed");
  const missing = checkSpeechBody({ input: "hello" });
  assert.ok(!missing.ok);
  assert.equal(missing.problem.param, "voice");
});

Deno.test("checkAudioForm() needs a non-empty file and text fields", () => {
  const form = new FormData();
  assert.equal((checkAudioForm(form) as { problem: { param: string } }).problem.param, "file");
  form.set("file", "just text");
  assert.equal((checkAudioForm(form) as { problem: { param: string } }).problem.param, "file");
  form.set("file", new File([new Uint8Array(10)], "a.wav"));
  assert.ok(checkAudioForm(form).ok);
  form.set("temperature", "3");
  assert.equal(
    (checkAudioForm(form) as { problem: { param: string } }).problem.param,
    "temperature",
  );
  form.set("temperature", "0.2");
  form.set("response_format", "mp3");
  assert.equal(
    (checkAudioForm(form) as { problem: { param: string } }).problem.param,
    "response_format",
  );
});

Deno.test("checkCompletionsBody() needs a prompt and checks sampling fields", () => {
  assert.ok(checkCompletionsBody({ prompt: "Once", max_tokens: 5 }).ok);
  const r = checkCompletionsBody({ prompt: "Once", logprobs: 9 });
  assert.ok(!r.ok);
  assert.equal(r.problem.param, "logprobs");
  const p = checkCompletionsBody({ prompt: [1, "a"] });
  assert.ok(!p.ok);
  assert.equal(p.problem.param, "prompt[1]");
});
