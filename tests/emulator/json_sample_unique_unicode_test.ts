/**
 * `sampleFromSchema` meets `uniqueItems` (with `minItems` of 2 or more it gave identical items,
 * which a strict schema refuses: strings, numbers, enum picks, booleans, formats, patterns and
 * objects now vary per item) and Unicode property classes in a `pattern` (`\p{L}`, `\p{Emoji}`,
 * zod's emoji pattern: it fell back to "x", which they refuse). Checked with ajv.
 */
import assert from "node:assert/strict";
import { Ajv } from "ajv";
import { sampleFromSchema } from "../../src/emulator/json_sample.ts";

const ajv = new Ajv({
  strict: false,
  allErrors: true,
  unicodeRegExp: true,
  formats: {
    "date-time": /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/,
    email: /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i,
    uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i,
    uri: (s: string) => URL.canParse(s),
  },
});

function check(schema: Record<string, unknown>): unknown {
  const value = sampleFromSchema(schema);
  const validate = ajv.compile(schema);
  assert.ok(validate(value), `${JSON.stringify(value)}: ${JSON.stringify(validate.errors)}`);
  return value;
}

const unique = (items: Record<string, unknown>, minItems = 3) => ({
  type: "array",
  items,
  minItems,
  uniqueItems: true,
});

Deno.test("uniqueItems: minItems distinct strings, numbers, enum picks and booleans", () => {
  assert.deepEqual(check(unique({ type: "string" })), ["", "1", "2"]);
  check(unique({ type: "string", minLength: 3, maxLength: 3 }));
  check(unique({ type: "integer", minimum: 5 }));
  check(unique({ type: "integer", maximum: -1 }));
  check(unique({ type: "number", minimum: 0, maximum: 1 }, 4));
  check(unique({ type: "number", multipleOf: 0.5, exclusiveMinimum: 0 }));
  assert.deepEqual(check(unique({ type: "string", enum: ["a", "b", "c"] })), ["a", "b", "c"]);
  assert.deepEqual(check(unique({ type: "boolean" }, 2)), [false, true]);
});

Deno.test("uniqueItems: distinct formats, patterns, objects and anyOf items", () => {
  check(unique({ type: "string", format: "email" }));
  check(unique({ type: "string", format: "uuid" }));
  check(unique({ type: "string", format: "date-time" }));
  check(unique({ type: "string", format: "uri" }));
  // zod's z.email() / z.uuid() / z.iso.datetime(): a format with its pattern.
  check(unique({
    type: "string",
    format: "email",
    pattern:
      "^(?:[A-Za-z0-9_'+\\-]+\\.)*[A-Za-z0-9_'+\\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\\-]*\\.)+[A-Za-z]{2,}$",
  }));
  check(unique({
    type: "string",
    format: "uuid",
    pattern:
      "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$",
  }));
  check(unique({
    type: "string",
    format: "date-time",
    pattern: "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z$",
  }));
  check(unique({ type: "string", pattern: "^[a-z]+$" }));
  check(unique({ type: "string", pattern: "^a+$" }));
  check(unique({ type: "string", pattern: "^[^0-9]{2}$" }));
  check(unique({ type: "string", pattern: "^\\d{3}$" }, 2));
  check(unique({
    type: "object",
    properties: { id: { type: "integer" }, tag: { type: "string" } },
    required: ["id", "tag"],
    additionalProperties: false,
  }));
  check(unique({ anyOf: [{ type: "string" }, { type: "null" }] }));
  // Without uniqueItems, items may repeat (the least value each).
  assert.deepEqual(sampleFromSchema({ type: "array", items: { type: "string" }, minItems: 2 }), [
    "",
    "",
  ]);
});

Deno.test("Unicode property classes in a pattern: a letter, an emoji, zod's emoji pattern", () => {
  assert.equal(check({ type: "string", pattern: "^\\p{L}+$" }), "a");
  assert.equal(check({ type: "string", pattern: "^\\p{Lu}\\p{Ll}*$" }), "A");
  assert.equal(check({ type: "string", pattern: "^\\p{Script=Han}$" }), "中");
  assert.match(
    check({ type: "string", pattern: "^\\p{Emoji_Presentation}$" }) as string,
    /^\p{Extended_Pictographic}$/u,
  );
  assert.match(check({ type: "string", pattern: "^\\P{L}+$" }) as string, /^\P{L}+$/u);
  // zod 4's z.emoji() (compat/node_modules/zod/v4/core/regexes.js).
  const zod =
    "^(?=[\\s\\S]*[\\p{Extended_Pictographic}\\p{Regional_Indicator}\\u20E3])[\\p{Extended_Pictographic}\\p{Emoji_Component}]+$";
  assert.match(check({ type: "string", pattern: zod }) as string, /^\p{Extended_Pictographic}+$/u);
  check(unique({ type: "string", pattern: zod }));
});
