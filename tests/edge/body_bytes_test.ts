import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator } from "../../src/emulator/mod.ts";
import { createEdgeApp, type EdgeAppOptions, MemoryCache } from "../../edge/mod.ts";
import { jsonText } from "../../edge/_forward.ts";
import { azurePath, failingOverUpstreams, KEY, recordingLimiter } from "./_helpers.ts";

// Integers past 2^53: JSON.parse then JSON.stringify would send 9223372036854776000 and
// 9007199254740992 upstream.
const SEED = "9223372036854775807";
const MAXIMUM = "9007199254740993";
const TOOLS = `[{"type":"function","function":{"name":"pick","parameters":{"type":"object",` +
  `"properties":{"n":{"type":"integer","maximum":${MAXIMUM},"minimum":-${MAXIMUM}}}}}}]`;

/** A chat body as a client may write it (spacing, key order), with `extra` members first. */
function chatBody(extra = ""): string {
  return `{ ${extra}"messages": [{"role": "user", "content": "pick \\"n\\" \\u00e9"}],\n` +
    `  "seed": ${SEED}, "tools": ${TOOLS}, "metadata_like": {"id": 12345678901234567890} }`;
}

/** An app on one emulator upstream (its client on `apiVersion`), recording what reaches it. */
function app(apiVersion?: string, options: Partial<EdgeAppOptions> = {}) {
  const key = `upstream-key-${crypto.randomUUID()}`;
  const emulator = createEmulator({ apiKeys: [key] });
  const bodies: Promise<string>[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://up.local",
    apiKey: key,
    apiVersion,
    fetch: (req, init) => {
      bodies.push(req.clone().text());
      return emulator.fetch(req, init);
    },
  });
  const edge = createEdgeApp({
    clientKeys: [KEY],
    upstream: client,
    onError: () => {},
    ...options,
  });
  const call = (path: string, body: string) =>
    edge.fetch(
      new Request(`http://edge.test${path}`, {
        method: "POST",
        headers: { "api-key": KEY, "content-type": "application/json" },
        body,
      }),
    );
  return { call, bodies };
}

Deno.test("edge body: an Azure-route chat goes upstream byte for byte (seed 2^63-1, schema maximum 2^53+1)", async () => {
  const t = app();
  const body = chatBody(`"model": "ignored", `);
  const res = await t.call(azurePath("gpt-4o", "chat/completions"), body);
  await res.body?.cancel();
  assert.equal(t.bodies.length, 1);
  assert.equal(await t.bodies[0], body);
});

Deno.test("edge body: a v1-route chat whose model the app rewrites (an alias) keeps every other byte", async () => {
  const t = app(undefined, { models: { fast: "gpt-4o" } });
  const res = await t.call("/openai/v1/chat/completions", chatBody(`"model": "fast", `));
  await res.body?.cancel();
  assert.equal(t.bodies.length, 1);
  assert.equal(await t.bodies[0], chatBody(`"model": "gpt-4o", `));
});

Deno.test("edge body: to a v1 upstream, a chat's model is set and big integers survive", async () => {
  const t = app("v1");
  const res = await t.call("/openai/v1/chat/completions", chatBody(`"model": "gpt-4o", `));
  await res.body?.cancel();
  assert.equal(await t.bodies[0], chatBody(`"model": "gpt-4o", `), "nothing to change");
  // Through an Azure route the path names the deployment; the v1 upstream gets it as `model`.
  const res2 = await t.call(azurePath("gpt-4o", "chat/completions"), chatBody());
  await res2.body?.cancel();
  const sent = await t.bodies[1];
  assert.equal(JSON.parse(sent).model, "gpt-4o");
  assert.ok(sent.includes(`"seed": ${SEED},`), sent);
  assert.ok(sent.includes(`"maximum":${MAXIMUM},"minimum":-${MAXIMUM}`), sent);
  assert.ok(sent.includes(`{"id": 12345678901234567890}`), sent);
  assert.equal(sent.replace(/,?"model":"gpt-4o"/, ""), chatBody(), "only model added");
});

Deno.test("edge body: a streamed chat under a token limit gets include_usage, big integers intact", async () => {
  const r = recordingLimiter();
  const t = app(undefined, { tokenLimit: { limiter: r.limiter } });
  const body = chatBody(`"stream": true, "stream_options": {"include_usage": false}, `);
  const res = await t.call(azurePath("gpt-4o", "chat/completions"), body);
  await res.text();
  const sent = await t.bodies[0];
  assert.deepEqual(JSON.parse(sent).stream_options, { include_usage: true });
  assert.equal(
    sent,
    chatBody(`"stream": true, "stream_options": {"include_usage":true}, `),
    "only stream_options changed",
  );
  // Without stream_options: the member is added, the rest kept.
  const res2 = await t.call(
    azurePath("gpt-4o", "chat/completions"),
    chatBody(`"stream": true, `),
  );
  await res2.text();
  const sent2 = await t.bodies[1];
  assert.deepEqual(JSON.parse(sent2).stream_options, { include_usage: true });
  assert.ok(sent2.includes(`"seed": ${SEED},`), sent2);
  assert.ok(sent2.includes(`"maximum":${MAXIMUM},"minimum":-${MAXIMUM}`), sent2);
});

Deno.test("edge body: validation still refuses a seed past int64 and a body that is no JSON object", async () => {
  const t = app();
  for (
    const body of [
      `{"messages": [{"role": "user", "content": "hi"}], "seed": 92233720368547758070}`,
      `{"messages": [{"role": "user", "content": "hi"}], "seed": 1.5}`,
      `[1]`,
      `{"messages": [`,
    ]
  ) {
    const res = await t.call(azurePath("gpt-4o", "chat/completions"), body);
    assert.equal(res.status, 400, body);
    await res.body?.cancel();
  }
  assert.equal(t.bodies.length, 0, "nothing went upstream");
});

Deno.test("edge body: jsonText splices top-level members and keeps every other byte", () => {
  const enc = new TextEncoder();
  const splice = (text: string, edit: (json: Record<string, unknown>) => void) => {
    const parsed = JSON.parse(text);
    const json = { ...parsed };
    edit(json);
    const out = jsonText({ bytes: enc.encode(text), parsed }, json);
    const sent = typeof out === "string" ? out : new TextDecoder().decode(out as Uint8Array);
    assert.deepEqual(JSON.parse(sent), JSON.parse(JSON.stringify(json)), sent);
    return sent;
  };
  const tricky = `{"a": "x\\\\", "b": "}\\",[{:", "c" : [1, {"d": "]"}] ,"e":9007199254740993 }`;
  assert.equal(splice(tricky, () => {}), tricky, "no edit: the bytes");
  assert.equal(
    splice(tricky, (j) => j.c = 1),
    `{"a": "x\\\\", "b": "}\\",[{:", "c" : 1 ,"e":9007199254740993 }`,
  );
  assert.equal(
    splice(tricky, (j) => delete j.a),
    `{"b": "}\\",[{:", "c" : [1, {"d": "]"}] ,"e":9007199254740993 }`,
  );
  assert.equal(
    splice(tricky, (j) => delete j.e),
    `{"a": "x\\\\", "b": "}\\",[{:", "c" : [1, {"d": "]"}] }`,
  );
  assert.equal(
    splice(tricky, (j) => (delete j.a, delete j.b, delete j.c, delete j.e, j.f = [2])),
    `{"f":[2] }`,
  );
  assert.equal(
    splice(tricky, (j) => (delete j.b, delete j.c, j.a = null)),
    `{"a": null ,"e":9007199254740993 }`,
  );
  assert.equal(splice(` { } `, (j) => j.model = "m"), ` { "model":"m"} `);
  assert.equal(splice(`{"x":true}`, (j) => j.model = "m"), `{"x":true,"model":"m"}`);
  // Duplicate names (JSON.parse keeps the last): every one gets the app's value.
  assert.equal(
    splice(`{"model":"a","n":12345678901234567890,"model":"b"}`, (j) => j.model = "m"),
    `{"model":"m","n":12345678901234567890,"model":"m"}`,
  );
  // A byte order mark (TextDecoder drops it) does not go upstream.
  const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode(`{"a":1}`)]);
  const out = jsonText({ bytes: bom, parsed: { a: 1 } }, { a: 1 });
  assert.equal(new TextDecoder("utf-8", { ignoreBOM: true }).decode(out as Uint8Array), `{"a":1}`);
});

Deno.test("edge body: failing over to a v1 upstream that names the deployment otherwise keeps big integers", async () => {
  const { upstream, bodies } = failingOverUpstreams("v1");
  const edge = createEdgeApp({ clientKeys: [KEY], upstream, onError: () => {} });
  const body = chatBody(`"model": "gpt-4o", `);
  const res = await edge.fetch(
    new Request("http://edge.test/openai/v1/chat/completions", {
      method: "POST",
      headers: { "api-key": KEY, "content-type": "application/json" },
      body,
    }),
  );
  assert.equal(res.status, 200, await res.clone().text());
  await res.body?.cancel();
  assert.equal(await bodies[0][0], body, "the primary: as sent");
  assert.equal(await bodies[1][0], chatBody(`"model": "gpt-4o-eu", `), "the fallback: its name");
});

Deno.test("edge body: chatCache does not serve a seed past 2^53 the answer of another that parses the same", async () => {
  const t = app(undefined, { cache: new MemoryCache(), chatCache: true });
  const body = (seed: string) =>
    `{"messages": [{"role": "user", "content": "hi"}], "seed": ${seed}}`;
  for (const seed of [SEED, "9223372036854775806", SEED]) {
    const res = await t.call(azurePath("gpt-4o", "chat/completions"), body(seed));
    assert.equal(res.status, 200);
    await res.body?.cancel();
  }
  assert.equal(t.bodies.length, 3, "each went upstream");
  assert.equal(await t.bodies[1], body("9223372036854775806"));
  // A seed JSON.parse reads exactly is cached as before.
  for (let i = 0; i < 2; i++) {
    const res = await t.call(azurePath("gpt-4o", "chat/completions"), body("42"));
    await res.body?.cancel();
  }
  assert.equal(t.bodies.length, 4, "the second one was a hit");
});
