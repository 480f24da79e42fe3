import assert from "node:assert/strict";
import { createEmulator } from "./emulator.ts";
import { chunksOf, post, readSse } from "./_testing.ts";

const PATH = "/openai/deployments/gpt-35-turbo-instruct/completions";

Deno.test("completions echoes the prompt with spec fields", async () => {
  const e = createEmulator();
  const res = await post(e, PATH, { prompt: "tell me a joke" });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.match(body.id, /^cmpl-/);
  assert.equal(body.object, "text_completion");
  assert.equal(body.model, "gpt-35-turbo-instruct");
  assert.deepEqual(body.choices.map((c: { text: string }) => c.text), ["You said: tell me a joke"]);
  assert.equal(body.choices[0].finish_reason, "stop");
  assert.equal(body.choices[0].logprobs, null);
  assert.equal(body.prompt_filter_results.length, 1);
  assert.equal(body.usage.prompt_tokens, 4);
  assert.equal(body.usage.total_tokens, body.usage.prompt_tokens + body.usage.completion_tokens);
});

Deno.test("completions applies the spec's default max_tokens of 16", async () => {
  const e = createEmulator();
  const body = await (await post(e, PATH, { prompt: "word ".repeat(40) })).json();
  assert.equal(body.choices[0].finish_reason, "length");
  assert.equal(body.usage.completion_tokens, 16);
  const longer = await (await post(e, PATH, { prompt: "word ".repeat(40), max_tokens: 100 }))
    .json();
  assert.equal(longer.choices[0].finish_reason, "stop");
});

Deno.test("completions returns n choices per prompt for several prompts", async () => {
  const e = createEmulator();
  const body = await (await post(e, PATH, { prompt: ["a", "b"], n: 2 })).json();
  assert.deepEqual(
    body.choices.map((c: { index: number; text: string }) => [c.index, c.text]),
    [[0, "You said: a"], [1, "You said: a"], [2, "You said: b"], [3, "You said: b"]],
  );
  assert.deepEqual(
    body.prompt_filter_results.map((p: { prompt_index: number }) => p.prompt_index),
    [0, 1],
  );
});

Deno.test("completions honours echo, stop and logprobs", async () => {
  const e = createEmulator();
  const echo = await (await post(e, PATH, { prompt: "Hi.", echo: true })).json();
  assert.equal(echo.choices[0].text, "Hi.You said: Hi.");
  const stop = await (await post(e, PATH, { prompt: "x y z", stop: " y" })).json();
  assert.equal(stop.choices[0].text, "You said: x");
  const lp = await (await post(e, PATH, { prompt: "abc", logprobs: 2 })).json();
  const l = lp.choices[0].logprobs;
  assert.equal(l.tokens.join(""), lp.choices[0].text);
  assert.equal(l.token_logprobs.length, l.tokens.length);
  assert.equal(Object.keys(l.top_logprobs[0]).length, 2);
  assert.deepEqual(l.text_offset.slice(0, 2), [0, l.tokens[0].length]);
});

Deno.test("completions stream concatenates to the non-streamed text and ends with usage", async () => {
  const e = createEmulator();
  const body = { prompt: "stream this please", max_tokens: 50 };
  const plain = await (await post(e, PATH, body)).json();
  const res = await post(e, PATH, {
    ...body,
    stream: true,
    stream_options: { include_usage: true },
  });
  const payloads = await readSse(res);
  assert.equal(payloads.at(-1), "[DONE]");
  const chunks = chunksOf(payloads) as {
    object: string;
    choices: { text: string; finish_reason: string | null }[];
    usage?: unknown;
    prompt_filter_results?: unknown;
  }[];
  assert.deepEqual(chunks[0].choices, []);
  assert.ok(chunks[0].prompt_filter_results);
  assert.ok(chunks.every((c) => c.object === "text_completion"));
  const text = chunks.flatMap((c) => c.choices).map((c) => c.text).join("");
  assert.equal(text, plain.choices[0].text);
  assert.equal(chunks.at(-2)!.choices[0].finish_reason, "stop");
  assert.deepEqual(chunks.at(-1)!.usage, plain.usage);
});

Deno.test("completions answers 400 for a missing prompt, bad types and the content filter trigger", async () => {
  const e = createEmulator();
  const missing = await post(e, PATH, {});
  assert.equal((await missing.json()).error.param, "prompt");
  const bad = await post(e, PATH, { prompt: [{}] });
  assert.equal((await bad.json()).error.param, "prompt");
  const logprobs = await post(e, PATH, { prompt: "x", logprobs: 9 });
  assert.equal((await logprobs.json()).error.param, "logprobs");
  const filtered = await post(e, PATH, { prompt: ["ok", "__content_filter__"] });
  assert.equal(filtered.status, 400);
  assert.equal((await filtered.json()).error.code, "content_filter");
});

Deno.test("completions passes each prompt to the script", async () => {
  const e = createEmulator({ script: (r) => ({ content: `[${r.operation}] ${r.lastUserText}` }) });
  const body = await (await post(e, PATH, { prompt: ["p1", "p2"] })).json();
  assert.deepEqual(body.choices.map((c: { text: string }) => c.text), [
    "[completions] p1",
    "[completions] p2",
  ]);
});

Deno.test("completions answers 400 for best_of below n, best_of with stream and stop over 4 items", async () => {
  const e = createEmulator();
  const cases: [unknown, string][] = [
    [{ prompt: "x", n: 3, best_of: 2 }, "best_of"],
    [{ prompt: "x", best_of: 2, stream: true }, "best_of"],
    [{ prompt: "x", stop: ["a", "b", "c", "d", "e"] }, "stop"],
  ];
  for (const [body, param] of cases) {
    const res = await post(e, PATH, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal((await res.json()).error.param, param);
  }
  for (
    const body of [{ prompt: "x", n: 2, best_of: 3 }, { prompt: "x", best_of: 1, stream: true }]
  ) {
    const res = await post(e, PATH, body);
    assert.equal(res.status, 200, JSON.stringify(body));
    await res.body?.cancel();
  }
});
