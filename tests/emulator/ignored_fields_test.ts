/**
 * Request fields the api-version's stored document does not define are ignored: not checked (no
 * 400 for a value a later document refuses) and without effect on the reply or the rate-limit
 * estimate. The versions whose document has the field, and versions without a stored document,
 * keep acting on it.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { chunksOf, readSse } from "../../src/emulator/_testing.ts";
import { type SpecVersion, validateRequestBody } from "../helpers/spec_schema.ts";
import { call } from "./_version_paths.ts";

type Emulator = ReturnType<typeof createEmulator>;

/** What a reply says, without its ids and timestamps. */
function gist(json: Record<string, unknown>): unknown {
  const choices = json.choices as Record<string, unknown>[];
  return {
    choices: choices.map((c) => {
      const m = (c.message ?? {}) as Record<string, unknown>;
      const calls = (m.tool_calls ?? []) as { function: { name: string } }[];
      return {
        content: m.content ?? c.text,
        finish_reason: c.finish_reason,
        calls: calls.map((t) => t.function.name),
      };
    }),
    usage: json.usage,
  };
}

/** The content and finish reasons of a streamed chat reply, by choice. */
async function streamGist(res: Response): Promise<unknown> {
  const out: { content: string; finish: unknown; calls: number }[] = [];
  for (const chunk of chunksOf(await readSse(res))) {
    for (const c of chunk.choices as Record<string, unknown>[]) {
      const i = c.index as number;
      out[i] ??= { content: "", finish: null, calls: 0 };
      const delta = (c.delta ?? {}) as Record<string, unknown>;
      if (typeof delta.content === "string") out[i].content += delta.content;
      if (typeof c.text === "string") out[i].content += c.text;
      for (const t of (delta.tool_calls ?? []) as { id?: string }[]) if (t.id) out[i].calls++;
      if (c.finish_reason !== null) out[i].finish = c.finish_reason;
    }
  }
  return out;
}

/**
 * Sends `base` and `base` + `extra` at `version` (plain and streamed) and returns what the replies
 * say (with the remaining-tokens header; a 400 as its status and param), one JSON string each.
 */
async function replies(
  make: () => Emulator,
  path: string,
  version: string,
  base: Record<string, unknown>,
  extra: Record<string, unknown>,
  stream = true,
): Promise<string[]> {
  const gists: string[] = [];
  for (const body of [base, { ...base, ...extra }]) {
    const res = await call(make(), path, version, { body });
    if (res.status !== 200) {
      gists.push(JSON.stringify({ status: res.status, param: (await res.json()).error.param }));
      continue;
    }
    const remaining = res.headers.get("x-ratelimit-remaining-tokens");
    const plain = gist(await res.json());
    let streamed: unknown;
    if (stream) {
      const s = await call(make(), path, version, { body: { ...body, stream: true } });
      assert.equal(s.status, 200, `${version} ${JSON.stringify(body)} stream`);
      streamed = await streamGist(s);
    }
    gists.push(JSON.stringify({ remaining, plain, streamed }));
  }
  return gists;
}

const CHAT = "/deployments/gpt-4o/chat/completions";
const MESSAGES = [{ role: "user", content: "The quick brown fox" }];
const TOOLS = ["a", "b"].map((name) => ({ type: "function", function: { name, parameters: {} } }));
const DOCUMENTED: SpecVersion[] = ["2024-02-01", "2024-05-01-preview", "2024-10-21"];

/** A chat emulator whose script asks for two tool calls, with a token rate limit. */
function chatEmulator(): Emulator {
  return createEmulator({
    script: (r) => ({
      content: `You said: ${r.lastUserText}`,
      toolCalls: [{ name: "a" }, { name: "b" }],
    }),
    rateLimits: { tokensPerMinute: 100_000 },
    now: () => 0,
  });
}

Deno.test("chat ignores max_completion_tokens and parallel_tool_calls on 2024-02-01 and 2024-05-01-preview, whose documents lack them", async () => {
  const plain = { messages: MESSAGES };
  const tools = { messages: MESSAGES, tools: TOOLS };
  // [base body, fields 2024-10-21 defines and the two earlier documents lack]
  const cases: [Record<string, unknown>, Record<string, unknown>][] = [
    [plain, { max_completion_tokens: 1 }],
    [plain, { max_completion_tokens: 50_000 }],
    [tools, { parallel_tool_calls: false }],
    // Values the 2024-10-21 document refuses: where the field is unknown they are not checked.
    [plain, { max_completion_tokens: "1" }],
    [tools, { parallel_tool_calls: "no" }],
  ];
  for (const [base, extra] of cases) {
    const body = { ...base, ...extra };
    for (const version of DOCUMENTED) {
      const spec = validateRequestBody(version, "/deployments/x/chat/completions", "POST", body);
      const defines = version === "2024-10-21";
      const valid = !defines || typeof Object.values(extra)[0] !== "string";
      assert.equal(spec.length === 0, valid, `${version} ${JSON.stringify(body)}: ${spec}`);
    }
    const what = JSON.stringify(extra);
    for (const version of ["2024-02-01", "2024-05-01-preview"]) {
      const [without, withExtra] = await replies(chatEmulator, CHAT, version, base, extra);
      assert.equal(withExtra, without, `${version} ${what}`);
    }
    // The field acts (or is checked) on 2024-10-21 and on versions without a stored document.
    for (const version of ["2024-10-21", "2024-12-01-preview"]) {
      const [without, withExtra] = await replies(chatEmulator, CHAT, version, base, extra);
      assert.notEqual(withExtra, without, `${version} ${what}`);
    }
  }
});

Deno.test("completions ignores seed on 2024-02-01 and 2024-05-01-preview, whose documents lack it", async () => {
  const path = "/deployments/gpt-35-turbo-instruct/completions";
  const base = { prompt: "The quick brown fox", max_tokens: 5 };
  const make = () => createEmulator({ rateLimits: { tokensPerMinute: 100_000 }, now: () => 0 });
  // Values 2024-10-21 refuses (createCompletionRequest/properties/seed: integer).
  for (const seed of ["42", 1.5]) {
    const body = { ...base, seed };
    for (const version of DOCUMENTED) {
      const spec = validateRequestBody(version, "/deployments/x/completions", "POST", body);
      assert.equal(spec.length === 0, version !== "2024-10-21", `${version} ${seed}: ${spec}`);
    }
    for (const version of ["2024-02-01", "2024-05-01-preview"]) {
      const [without, withSeed] = await replies(make, path, version, base, { seed });
      assert.equal(withSeed, without, `${version} seed ${seed}`);
    }
    for (const version of ["2024-10-21", "2024-12-01-preview"]) {
      const [, withSeed] = await replies(make, path, version, base, { seed });
      assert.equal(withSeed, JSON.stringify({ status: 400, param: "seed" }), version);
    }
  }
});

Deno.test("embeddings ignores dimensions and encoding_format on 2024-02-01, whose document lacks them", async () => {
  const e = createEmulator({
    deployments: [
      { name: "small", model: "text-embedding-3-small" },
      { name: "ada", model: "text-embedding-ada-002" },
    ],
  });
  const extras: Record<string, unknown>[] = [
    { dimensions: 256 },
    { encoding_format: "base64" },
    // Values the later documents' types refuse, and ones the emulator refuses there.
    { dimensions: "256" },
    { dimensions: 0 },
    { encoding_format: "hex" },
  ];
  const text = async (deployment: string, version: string, body: unknown) => {
    const res = await call(e, `/deployments/${deployment}/embeddings`, version, { body });
    return `${res.status} ${await res.text()}`;
  };
  for (const extra of extras) {
    const body = { input: "The quick brown fox", ...extra };
    const what = JSON.stringify(extra);
    const spec = validateRequestBody("2024-02-01", "/deployments/x/embeddings", "POST", body);
    assert.deepEqual(spec, [], what);
    for (const deployment of ["small", "ada"]) {
      const without = await text(deployment, "2024-02-01", { input: body.input });
      assert.match(without, /^200 /);
      assert.equal(await text(deployment, "2024-02-01", body), without, `${deployment} ${what}`);
      // 2024-05-01-preview and 2024-10-21 define both fields; versions without a document too.
      for (const version of ["2024-05-01-preview", "2024-10-21", "2024-12-01-preview"]) {
        const other = await text(deployment, version, body);
        assert.notEqual(other, without, `${version} ${deployment} ${what}`);
      }
    }
  }
});

Deno.test("chat counts a message's name in prompt_tokens only where the version's message schema has name", async () => {
  // 2024-02-01 / 2024-05-01-preview: only chatCompletionRequestMessageFunction has name;
  // 2024-10-21: system, user, assistant and function messages have it, tool messages do not.
  const call1 = { id: "c1", type: "function", function: { name: "a", arguments: "{}" } };
  const messages = [
    { role: "system", content: "Be brief", name: "sys" },
    { role: "user", content: "The quick brown fox", name: "bob" },
    { role: "assistant", content: null, tool_calls: [call1], name: "bot" },
    { role: "tool", tool_call_id: "c1", content: "42", name: "a" },
    { role: "function", name: "a", content: "42" },
  ];
  const unnamed = messages.map(({ name, ...m }) => m.role === "function" ? { ...m, name } : m);
  const counted: Record<string, string[]> = {
    "2024-02-01": ["function"],
    "2024-05-01-preview": ["function"],
    "2024-10-21": ["system", "user", "assistant", "function"],
    "2024-12-01-preview": ["system", "user", "assistant", "tool", "function"],
  };
  const e = createEmulator({ rateLimits: { tokensPerMinute: 100_000 }, now: () => 0 });
  const promptTokens = async (version: string, body: unknown) => {
    const res = await call(e, CHAT, version, { body });
    assert.equal(res.status, 200, version);
    return (await res.json()).usage.prompt_tokens as number;
  };
  for (const [version, roles] of Object.entries(counted)) {
    if (version !== "2024-12-01-preview") {
      const body = { messages, tools: TOOLS };
      assert.deepEqual(
        validateRequestBody(
          version as SpecVersion,
          "/deployments/x/chat/completions",
          "POST",
          body,
        ),
        [],
        version,
      );
    }
    const base = await promptTokens(version, { messages: unnamed, tools: TOOLS });
    for (const m of messages) {
      if (m.role === "function") continue;
      const one = unnamed.map((u) => u.role === m.role ? m : u);
      const n = await promptTokens(version, { messages: one, tools: TOOLS });
      assert.equal(n - base, roles.includes(m.role) ? 1 : 0, `${version} ${m.role} name`);
    }
    // The rate-limit estimate counts the same prompt tokens.
    const [without, withNames] = await replies(
      () => createEmulator({ rateLimits: { tokensPerMinute: 100_000 }, now: () => 0 }),
      CHAT,
      version,
      { messages: unnamed, tools: TOOLS },
      { messages },
      false,
    );
    const remaining = (s: string) => JSON.parse(s).remaining;
    const names = roles.filter((r) => r !== "function").length;
    assert.equal(remaining(without) - remaining(withNames), names, `${version} estimate`);
  }
});
