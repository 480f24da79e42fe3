/**
 * `AOAI_EDGE_MAX_JSON_BYTES` and `AOAI_EDGE_MAX_MULTIPART_BYTES` raise (or lower) the body limits
 * of the apps `deno task serve` and the Worker build: without them an operator could not take a
 * batch of ~1,000 RAG chunks of 1.5 KB (over the 1 MiB default) although the app validates up to
 * 2,048 inputs. Read like the other numeric variables: unset or blank is the default; anything
 * but a whole number ≥ 1 stops the app naming the variable, never quoting the value.
 */
import assert from "node:assert/strict";
import { edgeConfigFromEnv } from "../../edge/deno.ts";
import { createEdgeApp } from "../../edge/mod.ts";
import worker, { createWorkerApp } from "../../edge/worker.ts";
import type { EdgeExecutionContext } from "../../edge/options.ts";
import { maxBodyBytesFromEnv } from "../../edge/_env.ts";
import { env, upstreamServer } from "./_env_limits.ts";

const JSON_VAR = "AOAI_EDGE_MAX_JSON_BYTES";
const FORM_VAR = "AOAI_EDGE_MAX_MULTIPART_BYTES";
const KEY = "max-body-env-client-key";
const ctx: EdgeExecutionContext = { waitUntil: () => {} };

/** 800 RAG chunks of ~1.5 KB: about 1.2 MB of JSON, over the 1 MiB default. */
function bigBatch(): string {
  const input = Array.from(
    { length: 800 },
    (_, i) => `chunk ${i} ` + "lorem ipsum dolor sit amet ".repeat(56),
  );
  return JSON.stringify({ model: "text-embedding-3-small", input });
}

const post = (body: string) =>
  new Request("https://edge.example/v1/embeddings", {
    method: "POST",
    headers: { "api-key": KEY, "content-type": "application/json" },
    body,
  });

Deno.test(`deno task serve: ${JSON_VAR} lets a 1.2 MB embeddings batch through (413 without it)`, async () => {
  const body = bigBatch();
  assert.ok(body.length > 1024 * 1024 && body.length < 2 * 1024 * 1024, String(body.length));
  const base = { AOAI_EDGE_KEYS: KEY };
  const before = createEdgeApp(edgeConfigFromEnv(env(base)).options);
  const refused = await before.fetch(post(body));
  assert.equal(refused.status, 413);
  await refused.body?.cancel();

  const config = edgeConfigFromEnv(env({ ...base, [JSON_VAR]: "2097152" }));
  assert.equal(config.options.maxJsonBytes, 2097152);
  assert.ok(config.banner.some((line) => line.includes(JSON_VAR)), config.banner.join("\n"));
  const res = await createEdgeApp(config.options).fetch(post(body));
  assert.equal(res.status, 200);
  assert.equal((await res.json()).data.length, 800);
});

Deno.test(`deno task serve: ${FORM_VAR} sets maxMultipartBytes; blank or unset keeps the defaults`, () => {
  const config = edgeConfigFromEnv(env({ AOAI_EDGE_KEYS: KEY, [FORM_VAR]: " 10485760 " }));
  assert.equal(config.options.maxMultipartBytes, 10485760);
  for (const value of [undefined, "", "  "]) {
    const vars: Record<string, string> = { AOAI_EDGE_KEYS: KEY };
    if (value !== undefined) vars[JSON_VAR] = vars[FORM_VAR] = value;
    const { options } = edgeConfigFromEnv(env(vars));
    assert.equal(options.maxJsonBytes, undefined);
    assert.equal(options.maxMultipartBytes, undefined);
  }
});

Deno.test("the Worker: AOAI_EDGE_MAX_JSON_BYTES lets a 1.2 MB batch through, and the Worker rebuilds on it", async () => {
  await using up = upstreamServer([KEY]);
  const body = bigBatch();
  const refused = await worker.fetch(post(body), up.bindings, ctx);
  assert.equal(refused.status, 413);
  await refused.body?.cancel();
  const raised = { ...up.bindings, [JSON_VAR]: "2097152" };
  const res = await worker.fetch(post(body), raised, ctx);
  assert.equal(res.status, 200, "the changed variable must rebuild the app");
  assert.equal((await res.json()).data.length, 800);
  // Lowered: a small body is refused, naming the limit.
  const small = await createWorkerApp({ ...up.bindings, [JSON_VAR]: "64" }).fetch(
    post(JSON.stringify({ model: "text-embedding-3-small", input: "x".repeat(100) })),
  );
  assert.equal(small.status, 413);
  assert.match((await small.json()).error.message, /limit of 64 bytes/);
});

const SECRET = "sk-live-0123456789abcdef0123456789abcdef";

Deno.test("a value that is not a whole number of bytes ≥ 1 stops the app naming the variable, never quoting it", async () => {
  for (const name of [JSON_VAR, FORM_VAR]) {
    for (
      const bad of [
        "0",
        "-1",
        "1.5",
        "0x10",
        "1e6",
        "abc",
        "Infinity",
        "2 MiB",
        "9007199254740993",
        SECRET,
      ]
    ) {
      assert.throws(() => maxBodyBytesFromEnv(name, bad), (err: Error) => {
        assert.match(err.message, new RegExp(`^${name} must be a whole number of bytes`));
        // (Short numbers may appear in the message's default: the distinctive values may not.)
        if (bad.length > 2) {
          assert.ok(!err.message.includes(bad), `${name}=${bad} quoted: ${err.message}`);
        }
        return true;
      });
      assert.throws(
        () => edgeConfigFromEnv(env({ AOAI_EDGE_KEYS: KEY, [name]: bad })),
        new RegExp(`${name} must be`),
      );
    }
    assert.equal(maxBodyBytesFromEnv(name, " 2048 "), 2048);
    assert.equal(maxBodyBytesFromEnv(name, " "), undefined);
  }
  await using up = upstreamServer([KEY]);
  const res = await worker.fetch(post("{}"), { ...up.bindings, [JSON_VAR]: SECRET }, ctx);
  assert.equal(res.status, 500);
  const { error } = await res.json();
  assert.equal(error.code, "EdgeMisconfigured");
  assert.match(error.message, new RegExp(`${JSON_VAR} must be a whole number of bytes`));
  assert.ok(!error.message.includes(SECRET));
});
