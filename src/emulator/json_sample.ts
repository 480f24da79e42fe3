/**
 * Builds a small value that satisfies a JSON Schema: used for tool-call arguments and
 * `response_format: json_schema` replies when no script supplies them.
 *
 * @module
 */

import { isRecord } from "./_response.ts";

/**
 * A minimal value matching `schema`: required object properties filled in, the first
 * `enum`/`const` value, `minItems` array items, empty strings and zeros otherwise.
 *
 * @example Arguments for a tool
 * ```ts
 * import { sampleFromSchema } from "@aoai/edge/emulator";
 * const args = sampleFromSchema({
 *   type: "object",
 *   properties: { city: { type: "string" } },
 *   required: ["city"],
 * });
 * console.log(args); // { city: "" }
 * ```
 */
export function sampleFromSchema(schema: unknown, depth = 0): unknown {
  if (!isRecord(schema) || depth > 16) return {};
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if ("default" in schema) return schema.default;
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const list = schema[key];
    if (Array.isArray(list) && list.length > 0) {
      if (key !== "allOf") return sampleFromSchema(list[0], depth + 1);
      let merged: Record<string, unknown> = {};
      for (const part of list) {
        const v = sampleFromSchema(part, depth + 1);
        if (isRecord(v)) merged = { ...merged, ...v };
      }
      return merged;
    }
  }
  let type = schema.type;
  if (Array.isArray(type)) type = type.find((t) => t !== "null") ?? "null";
  switch (type) {
    case "string":
      return typeof schema.minLength === "number" ? "x".repeat(schema.minLength) : "";
    case "integer":
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 0;
    case "boolean":
      return false;
    case "null":
      return null;
    case "array": {
      const n = typeof schema.minItems === "number" ? schema.minItems : 0;
      return Array.from({ length: n }, () => sampleFromSchema(schema.items, depth + 1));
    }
    default: {
      const out: Record<string, unknown> = {};
      const props = isRecord(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? schema.required : [];
      for (const name of required) {
        if (typeof name === "string") out[name] = sampleFromSchema(props[name], depth + 1);
      }
      return out;
    }
  }
}
