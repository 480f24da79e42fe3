/**
 * Chat `logprobs` per api-version, as the stored documents define them. 2024-02-01's
 * `createChatCompletionRequest` has no `logprobs` / `top_logprobs` and its choice schema no
 * `logprobs`; the documents do not forbid other members (no `additionalProperties: false`), and the
 * emulator takes fields a document lacks (e.g. `max_completion_tokens` on 2024-02-01) without a
 * 400, so on 2024-02-01 both are ignored: not checked, and the reply carries no logprobs.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { chunksOf, readSse } from "../../src/emulator/_testing.ts";
import { type SpecVersion, validateRequestBody } from "../helpers/spec_schema.ts";
import { call } from "./_version_paths.ts";

const PATH = "/deployments/gpt-4o/chat/completions";
const SPEC_PATH = "/deployments/x/chat/completions";
const MESSAGES = [{ role: "user", content: "The quick brown fox" }];

type Choice = { logprobs?: unknown };

Deno.test("chat on 2024-02-01 ignores logprobs and top_logprobs, which its document lacks: no 400 and no logprobs in the reply", async () => {
  const e = createEmulator();
  const bodies: Record<string, unknown>[] = [
    { messages: MESSAGES, logprobs: true },
    { messages: MESSAGES, logprobs: true, top_logprobs: 2, n: 2 },
    // Values the later documents refuse: on 2024-02-01 the fields are unknown, so not checked.
    { messages: MESSAGES, logprobs: "yes" },
    { messages: MESSAGES, top_logprobs: 2 },
    { messages: MESSAGES, logprobs: true, top_logprobs: 50 },
  ];
  for (const body of bodies) {
    const what = JSON.stringify(body);
    assert.deepEqual(validateRequestBody("2024-02-01", SPEC_PATH, "POST", body), [], what);
    const res = await call(e, PATH, "2024-02-01", { body });
    const json = await res.json();
    assert.equal(res.status, 200, `${what}: ${JSON.stringify(json).slice(0, 200)}`);
    for (const c of json.choices as Choice[]) assert.equal(c.logprobs, null, what);
    const stream = await call(e, PATH, "2024-02-01", { body: { ...body, stream: true } });
    assert.equal(stream.status, 200, `${what} stream`);
    for (const chunk of chunksOf(await readSse(stream))) {
      for (const c of chunk.choices as Choice[]) assert.equal(c.logprobs, null, `${what} stream`);
    }
  }
  // The versions whose document has the fields still check and answer them.
  for (const version of ["2024-05-01-preview", "2024-10-21", "2024-12-01-preview"]) {
    const ok = await call(e, PATH, version, { body: bodies[0] });
    assert.equal(ok.status, 200, version);
    assert.ok(Array.isArray((await ok.json()).choices[0].logprobs.content), version);
    for (const body of bodies.slice(2, 4)) {
      const res = await call(e, PATH, version, { body });
      assert.equal(res.status, 400, `${version} ${JSON.stringify(body)}`);
      await res.body?.cancel();
    }
  }
});

Deno.test("the chat logprobs object has only the members the version's schema defines: no refusal on 2024-05-01-preview", async () => {
  // 2024-05-01-preview: chatCompletionChoiceLogProbs has only `content`; 2024-10-21: the choice's
  // and the stream chunk's logprobs require `content` and `refusal`; undocumented versions: as
  // before (both).
  const e = createEmulator();
  const tools = [{ type: "function", function: { name: "lookup", parameters: {} } }];
  const forced = { type: "function", function: { name: "lookup" } };
  const bodies: Record<string, unknown>[] = [
    { messages: MESSAGES, logprobs: true, top_logprobs: 2 },
    { messages: MESSAGES, logprobs: true, n: 2, stop: "You" },
    { messages: MESSAGES, logprobs: true, tools, tool_choice: forced },
  ];
  const cases: [string, string[]][] = [
    ["2024-05-01-preview", ["content"]],
    ["2024-10-21", ["content", "refusal"]],
    ["2024-12-01-preview", ["content", "refusal"]],
  ];
  for (const [version, keys] of cases) {
    for (const body of bodies) {
      const what = `${version} ${JSON.stringify(body)}`;
      const res = await call(e, PATH, version, { body });
      const json = await res.json();
      assert.equal(res.status, 200, what);
      const plain = json.choices as { logprobs: Record<string, unknown> }[];
      for (const c of plain) {
        assert.deepEqual(Object.keys(c.logprobs).sort(), keys, what);
        if (keys.includes("refusal")) assert.equal(c.logprobs.refusal, null, what);
      }
      const stream = await call(e, PATH, version, { body: { ...body, stream: true } });
      const content: unknown[][] = plain.map(() => []);
      for (const chunk of chunksOf(await readSse(stream))) {
        for (const c of chunk.choices as { index: number; logprobs: unknown }[]) {
          if (c.logprobs === null) continue;
          const logprobs = c.logprobs as Record<string, unknown>;
          assert.deepEqual(Object.keys(logprobs).sort(), keys, `${what} stream`);
          content[c.index].push(...logprobs.content as unknown[]);
        }
      }
      assert.deepEqual(content, plain.map((c) => c.logprobs.content), `${what} stream content`);
    }
  }
});

Deno.test("chat answers 400 naming top_logprobs above the version's maximum: 5 on 2024-05-01-preview, 20 on 2024-10-21", async () => {
  // createChatCompletionRequest/properties/top_logprobs: {type: integer, minimum: 0, maximum: 5}
  // in 2024-05-01-preview, maximum: 20 in 2024-10-21; versions without a stored document keep 20.
  const e = createEmulator();
  const cases: [string, number][] = [
    ["2024-05-01-preview", 5],
    ["2024-10-21", 20],
    ["2024-12-01-preview", 20],
  ];
  for (const [version, max] of cases) {
    for (const top of [max, max + 1]) {
      const body = { messages: MESSAGES, logprobs: true, top_logprobs: top };
      const what = `${version} top_logprobs ${top}`;
      if (version !== "2024-12-01-preview") {
        const errors = validateRequestBody(version as SpecVersion, SPEC_PATH, "POST", body);
        assert.equal(errors.length === 0, top === max, `${what}: ${errors}`);
      }
      for (const stream of [false, true]) {
        const res = await call(e, PATH, version, { body: { ...body, stream } });
        if (top === max) {
          assert.equal(res.status, 200, `${what} stream ${stream}`);
          await res.body?.cancel();
          continue;
        }
        assert.equal(res.status, 400, `${what} stream ${stream}`);
        const json = await res.json();
        assert.equal(json.error.param, "top_logprobs", what);
        assert.equal(json.error.type, "invalid_request_error", what);
      }
    }
  }
  const ok = await call(e, PATH, "2024-05-01-preview", {
    body: { messages: MESSAGES, logprobs: true, top_logprobs: 5 },
  });
  const content = (await ok.json()).choices[0].logprobs.content as { top_logprobs: unknown[] }[];
  for (const t of content) assert.equal(t.top_logprobs.length, 5);
});
