/**
 * `sampleFromSchema` for a number whose exclusive lower bound is 0 (zod's `.positive()`:
 * `exclusiveMinimum: 0`) gave Infinity (sent as JSON `null`): the search for a value went down
 * from 0 instead of up. Now the least value above 0 (on `multipleOf` when given), and the same
 * below 0 for `exclusiveMaximum: 0`. Checked with ajv.
 */
import assert from "node:assert/strict";
import { Ajv } from "ajv";
import { sampleFromSchema } from "../../src/emulator/json_sample.ts";

const ajv = new Ajv({ strict: false, allErrors: true });

Deno.test("exclusiveMinimum / exclusiveMaximum 0 give a finite number on the right side of 0", () => {
  for (
    const [schema, expected] of [
      [{ type: "number", exclusiveMinimum: 0 }, 1],
      [{ type: "integer", exclusiveMinimum: 0 }, 1],
      [{ type: "number", exclusiveMinimum: 0, multipleOf: 0.5 }, 0.5],
      [{ type: "number", exclusiveMinimum: 0, maximum: 1 }, 0.5],
      [{ type: "number", minimum: 0, exclusiveMinimum: 0 }, 1],
      [{ type: "number", exclusiveMaximum: 0 }, -1],
      [{ type: "integer", exclusiveMaximum: 0, multipleOf: 3 }, -3],
      [{ type: "number", minimum: 2 }, 2],
      [{ type: "number", maximum: -2 }, -2],
    ] as const
  ) {
    const value = sampleFromSchema(schema);
    assert.equal(value, expected, JSON.stringify(schema));
    assert.ok(ajv.validate(schema, value), JSON.stringify(schema));
  }
});
