/**
 * `response_format: { type: "json_schema" }` on 2024-10-21 (the one stored document with it),
 * checked as its ResponseFormatJsonSchema states: `json_schema.name` "Must be a-z, A-Z, 0-9, or
 * contain underscores and dashes, with a maximum length of 64"; `json_schema.schema` is
 * ResponseFormatJsonSchemaSchema (`type: object`); `strict` a nullable boolean; `description` a
 * string. The emulator took any string name and any schema / strict / description.
 */
import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";
import { loadSpec } from "../helpers/spec_schema.ts";
import { call } from "./_version_paths.ts";

const PATH = "/deployments/gpt-4o/chat/completions";
const V = "2024-10-21";

interface Node {
  type?: string;
  nullable?: boolean;
  description?: string;
  $ref?: string;
  properties?: Record<string, Node>;
}

function body(jsonSchema: Record<string, unknown>) {
  return {
    messages: [{ role: "user", content: "List three colors." }],
    response_format: { type: "json_schema", json_schema: jsonSchema },
  };
}

async function param(e: ReturnType<typeof createEmulator>, jsonSchema: Record<string, unknown>) {
  const res = await call(e, PATH, V, { body: body(jsonSchema) });
  if (res.status === 200) {
    await res.body?.cancel();
    return "200";
  }
  const { error } = await res.json();
  assert.equal(error.type, "invalid_request_error");
  return `${res.status} ${error.param}`;
}

Deno.test("chat 2024-10-21: response_format.json_schema.name follows ResponseFormatJsonSchema (a-z, A-Z, 0-9, _ and -, at most 64)", async () => {
  const schemas = (loadSpec(V) as { components: { schemas: Record<string, Node> } }).components
    .schemas;
  const props = schemas.ResponseFormatJsonSchema.properties!.json_schema.properties!;
  assert.match(
    props.name.description!,
    /Must be a-z, A-Z, 0-9, or contain underscores and dashes, with a maximum length of 64/,
  );
  const e = createEmulator();
  const at = "400 response_format.json_schema.name";
  for (const name of ["colors", "Color_List-2", "x".repeat(64)]) {
    assert.equal(await param(e, { name }), "200", name);
  }
  for (const name of ["color list", "colors.v2", "x".repeat(65), "", "ünï"]) {
    assert.equal(await param(e, { name }), at, JSON.stringify(name));
  }
});

Deno.test("chat 2024-10-21: response_format.json_schema schema / strict / description have the types ResponseFormatJsonSchema gives them", async () => {
  const schemas = (loadSpec(V) as { components: { schemas: Record<string, Node> } }).components
    .schemas;
  const props = schemas.ResponseFormatJsonSchema.properties!.json_schema.properties!;
  assert.equal(schemas[props.schema.$ref!.split("/").pop()!].type, "object");
  assert.deepEqual([props.strict.type, props.strict.nullable], ["boolean", true]);
  assert.equal(props.description.type, "string");
  const e = createEmulator();
  const name = "colors";
  const ok = [
    { name, schema: { type: "object", properties: {} }, strict: true, description: "Colors." },
    { name, strict: null },
  ];
  for (const s of ok) assert.equal(await param(e, s), "200", JSON.stringify(s));
  const bad: [Record<string, unknown>, string][] = [
    [{ name, schema: "{}" }, "schema"],
    [{ name, schema: [] }, "schema"],
    [{ name, strict: "true" }, "strict"],
    [{ name, description: 3 }, "description"],
  ];
  for (const [s, field] of bad) {
    assert.equal(await param(e, s), `400 response_format.json_schema.${field}`, JSON.stringify(s));
  }
});
