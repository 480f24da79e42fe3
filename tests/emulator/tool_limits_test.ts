/**
 * How many `tools` and `functions` a chat request may list, read from each stored document's
 * request schema (`minItems` / `maxItems`, or the "max of N" of 2024-10-21's `tools` description,
 * whose schema keeps no bound): an empty list or one over the maximum is answered 400 naming the
 * field, as the service answers it, and the bounds themselves are taken.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { loadSpec, SPEC_VERSIONS, validateRequestBody } from "../helpers/spec_schema.ts";
import { call } from "./_version_paths.ts";

interface Node {
  $ref?: string;
  items?: Node;
  allOf?: Node[];
  properties?: Record<string, Node>;
  description?: string;
  minItems?: number;
  maxItems?: number;
}

const MESSAGES = [{ role: "user", content: "What's the weather like in Paris today?" }];
const LIST: Record<string, (i: number) => unknown> = {
  tools: (i) => ({ type: "function", function: { name: `f${i}`, parameters: { type: "object" } } }),
  functions: (i) => ({ name: `f${i}`, parameters: { type: "object" } }),
};

/** The chat request's `tools` and `functions` schemas of `version`. */
function listSchemas(version: (typeof SPEC_VERSIONS)[number]): Record<string, Node> {
  const schemas = (loadSpec(version) as { components: { schemas: Record<string, Node> } })
    .components.schemas;
  const resolve = (n: Node): Node => n.$ref ? resolve(schemas[n.$ref.split("/").pop()!]) : n;
  const propsOf = (n: Node): Record<string, Node> =>
    Object.assign({}, ...(resolve(n).allOf ?? []).map(propsOf), resolve(n).properties);
  const props = propsOf(schemas.createChatCompletionRequest);
  return { tools: resolve(props.tools), functions: resolve(props.functions) };
}

Deno.test("chat answers 400 for an empty tools or functions list or one over the document's maximum, and takes the bounds", async () => {
  const e = createEmulator();
  const seen: string[] = [];
  for (const version of SPEC_VERSIONS) {
    const schemas = listSchemas(version);
    for (const [field, schema] of Object.entries(schemas)) {
      const prose = /\bmax of (\d+)\b/.exec(schema.description ?? "")?.[1];
      const stated = schema.maxItems ?? (prose === undefined ? undefined : Number(prose));
      // Where the document states no maximum for tools, the service keeps that of functions.
      const max = stated ?? schemas.functions.maxItems;
      assert.ok(max !== undefined, `${version} ${field}: the document gives no maximum`);
      seen.push(`${version} ${field} ${schema.minItems ?? "-"}..${stated ?? `(${max})`}`);
      const body = (n: number) => ({
        messages: MESSAGES,
        [field]: Array.from({ length: n }, (_, i) => LIST[field](i)),
      });
      const path = `/deployments/x/chat/completions`;
      for (const [n, code] of [[0, "empty_array"], [max + 1, "array_above_max_length"]] as const) {
        const what = `${version} ${field} of ${n}`;
        if (n === 0 ? schema.minItems === 1 : schema.maxItems !== undefined) {
          assert.notDeepEqual(validateRequestBody(version, path, "POST", body(n)), [], what);
        }
        const res = await call(e, "/deployments/gpt-4o/chat/completions", version, {
          body: body(n),
        });
        const json = await res.json();
        assert.equal(res.status, 400, `${what}: ${JSON.stringify(json).slice(0, 200)}`);
        assert.equal(json.error.param, field, what);
        assert.equal(json.error.type, "invalid_request_error", what);
        if (field === "tools") assert.equal(json.error.code, code, what);
      }
      for (const n of [1, max]) {
        const what = `${version} ${field} of ${n}`;
        assert.deepEqual(validateRequestBody(version, path, "POST", body(n)), [], what);
        const res = await call(e, "/deployments/gpt-4o/chat/completions", version, {
          body: body(n),
        });
        assert.equal(res.status, 200, what);
        await res.body?.cancel();
      }
    }
  }
  // What the documents say ("-": no minItems, "(n)": no maximum stated): the service refuses an
  // empty tools list and one over 128 on every version all the same.
  assert.deepEqual(seen.sort(), [
    "2024-02-01 functions 1..128",
    "2024-02-01 tools 1..(128)",
    "2024-05-01-preview functions 1..128",
    "2024-05-01-preview tools 1..(128)",
    "2024-10-21 functions 1..128",
    "2024-10-21 tools -..128",
  ]);
});

Deno.test("chat answers 400 naming the function of a tool or functions entry whose name the documents do not allow", async () => {
  const e = createEmulator();
  for (const version of SPEC_VERSIONS) {
    const schemas = (loadSpec(version) as { components: { schemas: Record<string, Node> } })
      .components.schemas;
    const resolve = (n: Node): Node => n.$ref ? resolve(schemas[n.$ref.split("/").pop()!]) : n;
    const lists = listSchemas(version);
    const tool = resolve(lists.tools.items!).properties!.function;
    const names: Record<string, Node> = {
      tools: resolve(resolve(tool).properties!.name),
      functions: resolve(resolve(lists.functions.items!).properties!.name),
    };
    for (const [field, schema] of Object.entries(names)) {
      // The documents state the rule in prose only (no pattern, no maxLength).
      const text = schema.description ?? "";
      assert.match(text, /a-z, A-Z, 0-9, or contain underscores and dashes/, `${version} ${field}`);
      const max = Number(/maximum length of (\d+)/.exec(text)?.[1]);
      assert.equal(max, 64, `${version} ${field}`);
      const param = field === "tools" ? "tools[0].function.name" : "functions[0].name";
      const send = (name: string) =>
        call(e, "/deployments/gpt-4o/chat/completions", version, {
          body: {
            messages: MESSAGES,
            [field]: [
              field === "tools"
                ? { type: "function", function: { name, parameters: { type: "object" } } }
                : { name, parameters: { type: "object" } },
            ],
          },
        });
      const refused: [string, string][] = [
        ["a".repeat(max + 1), "string_above_max_length"],
        ["get weather", "invalid_value"],
        ["get/weather", "invalid_value"],
        ["wetter_für_paris", "invalid_value"],
      ];
      for (const [name, code] of refused) {
        const res = await send(name);
        const json = await res.json();
        const what = `${version} ${field} ${name}`;
        assert.equal(res.status, 400, `${what}: ${JSON.stringify(json).slice(0, 200)}`);
        assert.deepEqual([json.error.param, json.error.code], [param, code], what);
      }
      for (const name of ["a".repeat(max), "get_current-Weather2"]) {
        const res = await send(name);
        assert.equal(res.status, 200, `${version} ${field} ${name}`);
        await res.body?.cancel();
      }
    }
  }
});
