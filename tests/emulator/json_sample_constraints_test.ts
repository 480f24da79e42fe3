/**
 * `sampleFromSchema` (the emulator's json_schema reply and tool-call arguments with no script)
 * must give a value the schema accepts for what strict Structured Outputs schemas hold as the
 * official SDK's zod helpers write them: string `format`s with their `pattern`, exclusive and
 * inclusive number bounds, `multipleOf`, `maxLength`, and `$ref`s into `definitions` / `$defs`
 * (zod's reused and recursive schemas). Before, `format` and `pattern` were ignored (an empty
 * string for a date-time, an email, a uuid), `exclusiveMinimum: 0` gave 0 and a `$ref` gave `{}`.
 * Checked with ajv (formats with small checks of their own).
 */
import assert from "node:assert/strict";
import { Ajv } from "ajv";
import { sampleFromSchema } from "../../src/emulator/json_sample.ts";
import { strictObject as object } from "../helpers/strict_object.ts";

const ajv = new Ajv({
  strict: false,
  allErrors: true,
  formats: {
    "date-time": (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(s),
    date: /^\d{4}-\d\d-\d\d$/,
    time: /^\d\d:\d\d:\d\d(\.\d+)?$/,
    email: /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i,
    uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i,
    uri: (s: string) => URL.canParse(s),
    ipv4: /^(\d{1,3}\.){3}\d{1,3}$/,
    ipv6: /^[0-9a-f:]+$/i,
    hostname: /^[a-z0-9.-]+$/i,
    duration: /^P(T?\d+[YMWDHS])+$/,
  },
});

function check(schema: Record<string, unknown>) {
  const value = sampleFromSchema(schema);
  const validate = ajv.compile(schema);
  assert.ok(
    validate(value),
    `${JSON.stringify(value)}: ${JSON.stringify(validate.errors)}`,
  );
  return value;
}

Deno.test("string formats (zod's datetime, email, uuid) with their patterns are met", () => {
  check(object({
    when: {
      type: "string",
      format: "date-time",
      pattern:
        "^(?:(?:\\d\\d[2468][048]|\\d\\d[13579][26]|\\d\\d0[48]|[02468][048]00|[13579][26]00)-02-29|\\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|(?:02)-(?:0[1-9]|1\\d|2[0-8])))T(?:(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(?:\\.\\d+)?(?:Z))$",
    },
    email: {
      type: "string",
      format: "email",
      pattern:
        "^(?:[A-Za-z0-9_'+\\-]+\\.)*[A-Za-z0-9_'+\\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\\-]*\\.)+[A-Za-z]{2,}$",
    },
    id: {
      type: "string",
      format: "uuid",
      pattern:
        "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$",
    },
    day: { type: "string", format: "date" },
    at: { type: "string", format: "time" },
    site: { type: "string", format: "uri" },
    ip: { type: "string", format: "ipv4" },
    ip6: { type: "string", format: "ipv6" },
    host: { type: "string", format: "hostname" },
    span: { type: "string", format: "duration" },
  }));
});

Deno.test("a pattern without a format and string lengths are met", () => {
  check(object({
    zip: { type: "string", pattern: "^\\d{5}$" },
    code: { type: "string", pattern: "^[A-Z]{2}-[0-9]+$" },
    word: { type: "string", pattern: "^[a-z]+$", minLength: 3, maxLength: 4 },
    short: { type: "string", minLength: 2, maxLength: 3 },
  }));
});

Deno.test("number bounds: exclusive, inclusive, multipleOf, integer", () => {
  const value = check(object({
    seats: { type: "integer", exclusiveMinimum: 0, maximum: 9007199254740991 },
    ratio: { type: "number", exclusiveMinimum: 0.5, exclusiveMaximum: 1 },
    below: { type: "number", maximum: -3 },
    negative: { type: "integer", exclusiveMaximum: 0 },
    step: { type: "number", minimum: 2, maximum: 3, multipleOf: 0.5 },
    odd: { type: "integer", minimum: 1.5 },
  })) as Record<string, number>;
  assert.ok(Number.isInteger(value.seats) && Number.isInteger(value.negative));
});

Deno.test("$ref into definitions and $defs, recursive ones included", () => {
  const tree = check(object({ root: { $ref: "#/definitions/__schema0" } }, {
    definitions: {
      __schema0: object({
        label: { type: "string" },
        children: { type: "array", items: { $ref: "#/definitions/__schema0" } },
      }),
    },
  }));
  assert.deepEqual(tree, { root: { label: "", children: [] } });
  check(object({ x: { $ref: "#/$defs/Shared" }, y: { $ref: "#/$defs/Shared" } }, {
    $defs: { Shared: object({ a: { type: "string", minLength: 1 } }) },
  }));
  // A self-reference that must go on (minItems 1) stops at the depth limit without throwing.
  const loop = object({ next: { $ref: "#" } });
  assert.doesNotThrow(() => sampleFromSchema(loop));
});

Deno.test("arrays: minItems of constrained items, and anyOf with null", () => {
  check(object({
    tags: { type: "array", minItems: 2, items: { type: "string", format: "email" } },
    venue: {
      anyOf: [object({ zip: { type: "string", pattern: "^\\d{5}$" } }), { type: "null" }],
    },
    note: { type: ["string", "null"] },
  }));
});

Deno.test("patterns zod writes for cuid, nanoid, ulid, ipv4, cidr, duration, e164, time are met", () => {
  const patterns = [
    "^[cC][0-9a-z]{6,}$",
    "^[a-zA-Z0-9_-]{21}$",
    "^[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}$",
    "^(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])$",
    "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\\/([0-9]|[1-2][0-9]|3[0-2])$",
    "^P(?:(\\d+W)|(?!.*W)(?=\\d|T\\d)(\\d+Y)?(\\d+M)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+([.,]\\d+)?S)?)?)$",
    "^\\+[1-9]\\d{6,14}$",
    "^(?:[01]\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d+)?)?$",
    "^[^\\s@]+@[^\\s@]+$",
  ];
  const properties = Object.fromEntries(patterns.map((pattern, i) => [`p${i}`, {
    type: "string",
    pattern,
  }]));
  check(object(properties));
});
