/**
 * Builds a small value that satisfies a JSON Schema: used for tool-call arguments and
 * `response_format: json_schema` replies when no script supplies them.
 *
 * @module
 */

import { isRecord } from "./_response.ts";
import { sampleFromPattern } from "./json_sample_pattern.ts";

/** Values for the string `format`s a strict schema (e.g. zod's) names. */
const FORMATS: Record<string, string> = {
  "date-time": "2024-01-01T00:00:00Z",
  date: "2024-01-01",
  time: "00:00:00",
  duration: "P1D",
  email: "user@example.com",
  "idn-email": "user@example.com",
  hostname: "example.com",
  "idn-hostname": "example.com",
  ipv4: "127.0.0.1",
  ipv6: "::1",
  uuid: "00000000-0000-4000-8000-000000000000",
  uri: "https://example.com/",
  iri: "https://example.com/",
  "uri-reference": "https://example.com/",
  url: "https://example.com/",
};

/**
 * A minimal value matching `schema`: required object properties filled in, the first
 * `enum`/`const` value, `minItems` array items (distinct ones for `uniqueItems`: the next enum
 * value, number or string), the smallest string meeting its `format`, `pattern` and lengths, the
 * number nearest 0 within its bounds and `multipleOf`; `$ref`s to `#`, `#/definitions/…` and
 * `#/$defs/…` are followed (16 levels deep at most).
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
  return sample(schema, schema, depth);
}

/** The schema a local `$ref` (a JSON pointer into `root`) names; undefined if none. */
function resolveRef(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  let node = root;
  for (const raw of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
    node = isRecord(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
  }
  return node;
}

/**
 * A value of `schema`; `variant` > 0 asks for another one than variant 0 where the schema leaves
 * room (the variant-th enum value, another number or string, objects of such values), for the
 * distinct items of a `uniqueItems` array.
 */
function sample(schema: unknown, root: unknown, depth: number, variant = 0): unknown {
  if (!isRecord(schema) || depth > 16) return {};
  if (typeof schema.$ref === "string") {
    const target = resolveRef(root, schema.$ref);
    if (target !== undefined) return sample(target, root, depth + 1, variant);
  }
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return schema.enum[variant % schema.enum.length];
  }
  if ("default" in schema && variant === 0) return schema.default;
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const list = schema[key];
    if (Array.isArray(list) && list.length > 0) {
      if (key !== "allOf") return sample(list[0], root, depth + 1, variant);
      let merged: Record<string, unknown> = {};
      for (const part of list) {
        const v = sample(part, root, depth + 1, variant);
        if (isRecord(v)) merged = { ...merged, ...v };
      }
      return merged;
    }
  }
  let type = schema.type;
  if (Array.isArray(type)) type = type.find((t) => t !== "null") ?? "null";
  switch (type) {
    case "string":
      return sampleString(schema, variant);
    case "integer":
    case "number":
      return sampleNumber(schema, type === "integer", variant);
    case "boolean":
      return variant % 2 === 1;
    case "null":
      return null;
    case "array": {
      const n = typeof schema.minItems === "number" ? schema.minItems : 0;
      if (schema.uniqueItems !== true) {
        return Array.from({ length: n }, () => sample(schema.items, root, depth + 1, variant));
      }
      // Distinct items: variants until n differ (a bounded search), then repeats if the item
      // schema has fewer values than n (no value can meet such a schema).
      const out: unknown[] = [];
      const seen = new Set<string>();
      for (let v = 0; out.length < n && v < n + 32; v++) {
        const item = sample(schema.items, root, depth + 1, v);
        const key = JSON.stringify(item);
        if (!seen.has(key)) out.push(item);
        seen.add(key);
      }
      while (out.length < n) out.push(sample(schema.items, root, depth + 1));
      return out;
    }
    default: {
      const out: Record<string, unknown> = {};
      const props = isRecord(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? schema.required : [];
      for (const name of required) {
        if (typeof name === "string") out[name] = sample(props[name], root, depth + 1, variant);
      }
      return out;
    }
  }
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** `value` of a `format` made different for `variant` > 0 (its last digit, or a suffix). */
function varyFormat(value: string, variant: number): string {
  if (variant === 0) return value;
  if (/\d/.test(value)) return value.replace(/\d(?=\D*$)/, (d) => `${(Number(d) + variant) % 10}`);
  return value.endsWith("/") ? `${value}${variant}` : value.replace(/^[^@.]+/, `$&${variant}`);
}

/**
 * The shortest string meeting the schema's format, pattern and lengths (tried in that order);
 * for `variant` > 0, another one where it can (see {@link sample}).
 */
function sampleString(schema: Record<string, unknown>, variant = 0): string {
  const min = num(schema.minLength) ?? 0;
  const max = num(schema.maxLength) ?? Infinity;
  let pattern: RegExp | undefined;
  if (typeof schema.pattern === "string") {
    try {
      pattern = new RegExp(schema.pattern, "u");
    } catch {
      try {
        pattern = new RegExp(schema.pattern);
      } catch { /* not a pattern this runtime reads: left unchecked */ }
    }
  }
  const fits = (s: string) => s.length >= min && s.length <= max && (!pattern || pattern.test(s));
  const format = typeof schema.format === "string" ? FORMATS[schema.format] : undefined;
  if (format !== undefined && fits(varyFormat(format, variant))) return varyFormat(format, variant);
  if (typeof schema.pattern === "string") {
    const source = schema.pattern;
    // The nth distinct fitting guess (by repeats of the open-ended quantifiers) with the
    // characters of class variant `v`; the first fitting one when there are fewer.
    const guess = (v: number, nth: number) => {
      const found: string[] = [];
      for (let extra = 0; extra <= Math.max(min, 8) + nth && found.length <= nth; extra++) {
        const s = sampleFromPattern(source, extra, v);
        if (s !== undefined && fits(s) && !found.includes(s)) found.push(s);
      }
      return found[nth] ?? found[0];
    };
    const base = guess(0, 0);
    // A variant: other characters of the classes, else more repeats.
    const other = variant ? guess(variant, 0) : base;
    if (other !== undefined && other !== base) return other;
    const longer = variant ? guess(0, variant) : base;
    if (longer !== undefined) return longer;
  }
  if (format !== undefined) return format;
  // "", "1", "2", … (padded with "x" to minLength).
  const tag = variant ? variant.toString(36) : "";
  const plain = "x".repeat(Math.max(min - tag.length, 0)) + tag;
  return plain.length <= max ? plain : "x".repeat(min);
}

/**
 * The number nearest 0 within the schema's bounds, a whole one for integers, on `multipleOf`;
 * for `variant` > 0, another one within them where it can (see {@link sample}).
 */
function sampleNumber(schema: Record<string, unknown>, integer: boolean, variant = 0): number {
  const base = nearestZero(schema, integer);
  if (variant === 0) return base;
  const { ok, low, high } = bounds(schema);
  const step = num(schema.multipleOf) ?? 1;
  const k = Math.round(base / step);
  const tries = [(k + variant) * step, (k - variant) * step];
  // A number without a step: fractions of the way to the bounds.
  if (!integer && num(schema.multipleOf) === undefined) {
    tries.push(base + (high - base) / (variant + 1), base - (base - low) / (variant + 1));
  }
  return tries.find((v) => Number.isFinite(v) && ok(v)) ?? base;
}

/** The schema's bounds: `ok` tells whether a number is within them. */
function bounds(schema: Record<string, unknown>) {
  // Draft 4 wrote exclusive bounds as booleans beside minimum / maximum.
  const exMin = num(schema.exclusiveMinimum) ??
    (schema.exclusiveMinimum === true ? num(schema.minimum) : undefined);
  const exMax = num(schema.exclusiveMaximum) ??
    (schema.exclusiveMaximum === true ? num(schema.maximum) : undefined);
  const min = schema.exclusiveMinimum === true ? undefined : num(schema.minimum);
  const max = schema.exclusiveMaximum === true ? undefined : num(schema.maximum);
  const low = Math.max(min ?? -Infinity, exMin ?? -Infinity);
  const high = Math.min(max ?? Infinity, exMax ?? Infinity);
  const ok = (v: number) =>
    (min === undefined || v >= min) && (max === undefined || v <= max) &&
    (exMin === undefined || v > exMin) && (exMax === undefined || v < exMax);
  return { low, high, ok };
}

/** See {@link sampleNumber}: variant 0. */
function nearestZero(schema: Record<string, unknown>, integer: boolean): number {
  const { low, high, ok } = bounds(schema);
  const step = num(schema.multipleOf) ?? (integer ? 1 : undefined);
  // Upwards when 0 is at or under the lower bound (`exclusiveMinimum: 0` too), else downwards.
  const up = low >= 0;
  if (step !== undefined && step > 0) {
    // The multiple of `step` nearest 0 inside the bounds.
    let k = 0;
    if (!ok(0)) k = up ? Math.ceil(low / step) : Math.floor(high / step);
    for (let tries = 0; tries < 3 && !ok(k * step); tries++) k += up ? 1 : -1;
    return k * step;
  }
  if (ok(0)) return 0;
  if (up) {
    if (ok(low)) return low;
    return high < Infinity ? (low + high) / 2 : low + 1;
  }
  if (ok(high)) return high;
  return low > -Infinity ? (low + high) / 2 : high - 1;
}
