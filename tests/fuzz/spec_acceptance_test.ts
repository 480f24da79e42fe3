/**
 * Spec-driven acceptance fuzzing: varied VALID bodies of chat completions, completions,
 * embeddings and image generations, generated from the request schemas of each stored document
 * (2024-02-01, 2024-05-01-preview, 2024-10-21) by a seeded generator, kept only when the document
 * takes them (`validateRequestBody`), are sent to the emulator directly and through the edge app
 * on the Azure-style route of that api-version: neither may refuse one. Then a few targeted
 * INVALID mutations must give a 400 naming the field, from the app where it checks the field,
 * else from the emulator. Deterministic: fixed seeds and counts, no timing.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { SPEC_VERSIONS, type SpecVersion, validateRequestBody } from "../helpers/spec_schema.ts";
import { testApp } from "../edge/_helpers.ts";
import { SpecGenerator } from "./_spec_gen.ts";
import { serviceRules } from "./_service_rules.ts";

const DEPLOYMENT: Record<string, string> = {
  "chat/completions": "gpt-4o",
  completions: "gpt-35-turbo-instruct",
  embeddings: "text-embedding-3-small",
  "images/generations": "dall-e-3",
};
const SEEDS = [1, 2, 3];
/** Candidate bodies per seed, operation and version. */
const COUNT = 40;

type Json = Record<string, unknown>;

/** The valid bodies of `op` at `version` over {@link SEEDS}, and how many candidates were dropped. */
function validBodies(version: SpecVersion, op: string): { bodies: Json[]; dropped: number } {
  const bodies: Json[] = [];
  let dropped = 0;
  for (const seed of SEEDS) {
    const gen = new SpecGenerator(version, seed);
    for (let i = 0; i < COUNT; i++) {
      const body = serviceRules(op, version, gen.body(`/deployments/{deployment-id}/${op}`));
      if (validateRequestBody(version, `/deployments/x/${op}`, "POST", body).length > 0) dropped++;
      else bodies.push(body);
    }
  }
  return { bodies, dropped };
}

/** Kinds of values seen, so the bodies are known to be varied (e.g. "role:tool", "stop:array"). */
function features(op: string, body: Json): string[] {
  const out: string[] = [];
  const kind = (v: unknown) => v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
  for (const [k, v] of Object.entries(body)) {
    if (v === null) out.push("null");
    if (["stop", "prompt", "input", "tool_choice", "content"].includes(k)) {
      out.push(`${k}:${kind(v)}`);
    }
  }
  for (const name of ["temperature", "top_p", "presence_penalty", "n"]) {
    if (typeof body[name] === "number") out.push(`${name}=${body[name]}`);
  }
  if (op === "images/generations") {
    for (const name of ["size", "quality", "style", "response_format"]) {
      if (typeof body[name] === "string") out.push(`${name}=${body[name]}`);
    }
  }
  for (const m of Array.isArray(body.messages) ? body.messages as Json[] : []) {
    out.push(`role:${m.role}`, `content:${kind(m.content)}`);
    for (const p of Array.isArray(m.content) ? m.content as Json[] : []) out.push(`part:${p.type}`);
  }
  return out;
}

/** Features each operation's bodies must show (over all versions together). */
const EXPECTED: Record<string, string[]> = {
  "chat/completions": [
    "role:system",
    "role:user",
    "role:assistant",
    "role:tool",
    "role:function",
    "content:array",
    "content:null",
    "part:text",
    "part:image_url",
    "stop:string",
    "stop:array",
    "tool_choice:string",
    "tool_choice:object",
    "temperature=0",
    "temperature=2",
    "top_p=0",
    "top_p=1",
    "presence_penalty=-2",
    "presence_penalty=2",
    "n=1",
    "null",
  ],
  completions: ["prompt:string", "prompt:array", "stop:string", "stop:array", "n=128", "null"],
  embeddings: ["input:string", "input:array", "null"],
  "images/generations": [
    "size=1024x1024",
    "size=1792x1024",
    "size=1024x1792",
    "quality=hd",
    "quality=standard",
    "style=vivid",
    "style=natural",
    "response_format=url",
    "response_format=b64_json",
  ],
};

const seen = new Map<string, Set<string>>();
/** Bodies sent, per "op version", for the report. */
const sent = new Map<string, number>();

for (const op of Object.keys(DEPLOYMENT)) {
  for (const version of SPEC_VERSIONS) {
    Deno.test(`spec fuzz: valid ${op} bodies of ${version} are taken by the emulator and the app`, async () => {
      const { bodies, dropped } = validBodies(version, op);
      // Most candidates must be valid, or the fuzzing would test little.
      assert.ok(
        bodies.length >= (SEEDS.length * COUNT) / 2,
        `${bodies.length} valid, ${dropped} dropped`,
      );
      sent.set(`${op} ${version}`, bodies.length);
      const kinds = seen.get(op) ?? new Set<string>();
      seen.set(op, kinds);
      const emulator = createEmulator();
      const t = testApp();
      const path = `/openai/deployments/${DEPLOYMENT[op]}/${op}?api-version=${version}`;
      const refusals: string[] = [];
      for (const body of bodies) {
        for (const f of features(op, body)) kinds.add(f);
        const direct = await emulator.fetch(`http://emulator.test${path}`, {
          method: "POST",
          headers: { "api-key": emulator.apiKey, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        const directText = await direct.text();
        if (direct.status >= 300) {
          refusals.push(
            `emulator ${direct.status} ${directText.slice(0, 300)} for ${JSON.stringify(body)}`,
          );
        }
        const before = t.upstream.length;
        const res = await t.call(path, { json: body });
        const text = await res.text();
        if (res.status >= 300) {
          const who = t.upstream.length === before ? "app" : "app (upstream answer)";
          refusals.push(`${who} ${res.status} ${text.slice(0, 300)} for ${JSON.stringify(body)}`);
        }
      }
      assert.deepEqual(refusals.slice(0, 5), [], `${refusals.length} refusals of ${bodies.length}`);
    });
  }
}

Deno.test("spec fuzz: the bodies were varied (roles, parts, forms, bounds, nulls, enums)", () => {
  for (const [op, expected] of Object.entries(EXPECTED)) {
    const got = seen.get(op) ?? new Set();
    assert.deepEqual(expected.filter((f) => !got.has(f)), [], `${op}: features not generated`);
  }
  // 4 operations x 3 versions, each with at least half of its candidates.
  assert.equal(sent.size, 12);
});

/** A targeted invalid mutation: the field at fault and who refuses it. */
interface Mutation {
  op: string;
  body: Json;
  param: string;
  by: "app" | "emulator";
}

const MESSAGES = [{ role: "user", content: "hi" }];
const MUTATIONS: Mutation[] = [
  {
    op: "chat/completions",
    body: { messages: MESSAGES, temperature: "hot" },
    param: "temperature",
    by: "app",
  },
  { op: "chat/completions", body: { messages: MESSAGES, top_p: 1.5 }, param: "top_p", by: "app" },
  {
    op: "chat/completions",
    body: { messages: [{ role: "robot", content: "hi" }] },
    param: "messages[0].role",
    by: "app",
  },
  { op: "chat/completions", body: { messages: MESSAGES, n: 0 }, param: "n", by: "app" },
  { op: "completions", body: { prompt: "hi", logprobs: 6 }, param: "logprobs", by: "app" },
  { op: "completions", body: { prompt: "hi", echo: "yes" }, param: "echo", by: "app" },
  {
    op: "embeddings",
    body: { input: "hi", encoding_format: 7 },
    param: "encoding_format",
    by: "app",
  },
  { op: "embeddings", body: { input: "hi", dimensions: "8" }, param: "dimensions", by: "app" },
  { op: "embeddings", body: { input: 42 }, param: "input", by: "app" },
  {
    op: "images/generations",
    body: { prompt: "a fox", response_format: "png" },
    param: "response_format",
    by: "app",
  },
  // The app takes n up to 10 (DALL-E 2's async submit) and leaves sizes, quality and style to
  // the model's deployment: the emulator refuses them for dall-e-3.
  { op: "images/generations", body: { prompt: "a fox", n: 2 }, param: "n", by: "emulator" },
  {
    op: "images/generations",
    body: { prompt: "a fox", size: "999x999" },
    param: "size",
    by: "emulator",
  },
  {
    op: "images/generations",
    body: { prompt: "a fox", quality: "ultra" },
    param: "quality",
    by: "emulator",
  },
  {
    op: "images/generations",
    body: { prompt: "a fox", style: "baroque" },
    param: "style",
    by: "emulator",
  },
];

Deno.test("spec fuzz: targeted invalid mutations get a 400 naming the field", async () => {
  const version = "2024-10-21";
  const emulator = createEmulator();
  const t = testApp();
  for (const m of MUTATIONS) {
    const what = `${m.op} ${JSON.stringify(m.body)}`;
    assert.notDeepEqual(
      validateRequestBody(version, `/deployments/x/${m.op}`, "POST", m.body),
      [],
      what,
    );
    const path = `/openai/deployments/${DEPLOYMENT[m.op]}/${m.op}?api-version=${version}`;
    const direct = await emulator.fetch(`http://emulator.test${path}`, {
      method: "POST",
      headers: { "api-key": emulator.apiKey, "content-type": "application/json" },
      body: JSON.stringify(m.body),
    });
    assert.equal(direct.status, 400, `emulator: ${what}`);
    assert.equal((await direct.json()).error.param, m.param, `emulator: ${what}`);
    const before = t.upstream.length;
    const res = await t.call(path, { json: m.body });
    assert.equal(res.status, 400, `app: ${what}`);
    assert.equal((await res.json()).error.param, m.param, `app: ${what}`);
    assert.equal(
      t.upstream.length - before,
      m.by === "app" ? 0 : 1,
      `refused by the ${m.by}: ${what}`,
    );
  }
});
