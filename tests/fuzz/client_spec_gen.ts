/**
 * A seeded generator of request bodies from the Azure OpenAI OpenAPI documents, for the client's
 * acceptance fuzz (client_spec_fuzz_test.ts). It walks a request schema of the document as
 * `spec_schema.ts` checks it (nullable converted, the known slips fixed) and builds a value:
 * optional properties present or absent, enum values, `oneOf` / `anyOf` branches and
 * discriminator mappings taken in turn (a counter per schema path, so every one comes up), numbers
 * at their bounds' edges (inclusive min / max, or just inside an exclusive one) and between,
 * strings at their length bounds (by code point), nullable fields sometimes `null`. The same seed
 * gives the same values; nothing depends on time.
 *
 * @module
 */

import {
  convertNullable,
  fixKnownSlips,
  loadSpec,
  type SpecVersion,
} from "../helpers/spec_schema.ts";
import { prng } from "../../src/sse/_test_helpers.ts";

// deno-lint-ignore no-explicit-any
type Schema = Record<string, any>;

const converted = new Map<SpecVersion, Schema>();

/** The document of `version` as spec_schema.ts validates against it (without discriminators expanded). */
function docOf(version: SpecVersion): Schema {
  let doc = converted.get(version);
  if (!doc) {
    doc = convertNullable(loadSpec(version)) as Schema;
    fixKnownSlips(version, doc);
    converted.set(version, doc);
  }
  return doc;
}

/** Where a resolved schema keeps its name (components/schemas key). */
const NAME = "x-fuzz-name";

/** Deepest nesting at which optional properties and extra array items are still generated. */
const DEEP = 6;

/** Generates values from the schemas of one spec version. */
export class SpecGen {
  #doc: Schema;
  #rand: () => number;
  #turns = new Map<string, number>();
  #n = 0;
  #borrowed = new Map<string, Schema>();

  constructor(version: SpecVersion, seed: number) {
    this.#doc = docOf(version);
    this.#rand = prng(seed);
  }

  /** The request body schema of `POST <path>` (a spec path template) for `contentType`. */
  requestSchema(path: string, contentType = "application/json"): Schema {
    return this.#borrowed.get(path) ??
      this.#doc.paths[path].post.requestBody.content[contentType].schema;
  }

  /**
   * Gives the top-level number fields of the `path` request schema that have no bounds here the
   * bounds another version's schema gives them.
   */
  borrowBounds(path: string, versions: readonly SpecVersion[], contentType?: string): void {
    const own = this.#flatten(this.requestSchema(path, contentType));
    for (const version of versions) {
      const other = new SpecGen(version, 0);
      let schema;
      try {
        schema = other.#flatten(other.requestSchema(path, contentType));
      } catch {
        continue;
      }
      for (const [key, prop] of Object.entries<Schema>(own.properties ?? {})) {
        const theirs = schema.properties?.[key] && other.#flatten(schema.properties[key]);
        const mine = this.#flatten(prop);
        if (theirs?.minimum == null && theirs?.maximum == null) continue;
        if (mine.minimum != null || mine.maximum != null) continue;
        own.properties[key] = { ...mine, minimum: theirs.minimum, maximum: theirs.maximum };
      }
    }
    this.#borrowed.set(path, own);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.#rand() < p;
  }

  /** The next of `options` for `key`, in turn (first at a seeded offset). */
  turn<T>(key: string, options: readonly T[]): T {
    const i = this.#turns.get(key) ?? Math.floor(this.#rand() * options.length);
    this.#turns.set(key, i + 1);
    return options[i % options.length];
  }

  #ref(ref: string): [string, Schema] {
    const name = ref.split("/").pop()!;
    return [name, this.#doc.components.schemas[name]];
  }

  /**
   * `allOf` parts (and `$ref`s) merged into one schema; a part that is a discriminated base
   * fixes its property to the mapping value of this schema (by its name), when it is a target.
   */
  #flatten(schema: Schema): Schema {
    if (schema.$ref) {
      const [name, target] = this.#ref(schema.$ref);
      return this.#flatten({ ...target, [NAME]: name });
    }
    if (!schema.allOf) return schema;
    const { allOf, ...rest } = schema;
    const parts = allOf.map((part: Schema) => {
      const flat = this.#flatten(part);
      const disc = part.$ref && this.#ref(part.$ref)[1].discriminator;
      const key = disc &&
        Object.keys(disc.mapping).find((k) => disc.mapping[k].endsWith(`/${schema[NAME]}`));
      return key ? merge(flat, { properties: { [disc.propertyName]: { enum: [key] } } }) : flat;
    });
    return [rest, ...parts].reduce(merge, {});
  }

  /** A value of `schema` (`path` names it, for the turns); `skip`: bases not to discriminate again. */
  value(schema: Schema, path = "", depth = 0, skip: ReadonlySet<string> = new Set()): unknown {
    if (schema.$ref) {
      const [name, target] = this.#ref(schema.$ref);
      const disc = target.discriminator;
      if (disc && !skip.has(name)) {
        const key = this.turn(`${path}#${name}`, Object.keys(disc.mapping));
        const sub = { $ref: disc.mapping[key] };
        const inner = new Set([...skip, name]);
        let value = this.value(sub, path, depth, inner);
        // A nullable subtype may come out null, which the base does not take.
        for (let i = 0; value === null && i < 9; i++) value = this.value(sub, path, depth, inner);
        (value as Schema)[disc.propertyName] = key;
        return value;
      }
      return this.value({ ...target, [NAME]: name }, path, depth, skip);
    }
    let s = this.#flatten(schema);
    const branches = s.oneOf ?? s.anyOf;
    if (branches) {
      const { oneOf: _o, anyOf: _a, ...rest } = s;
      const branch = this.turn(`${path}#of`, branches) as Schema;
      if (!rest.properties && !rest.required && !rest.type && !rest.enum) {
        return this.value(branch, path, depth, skip);
      }
      s = merge(rest, this.#flatten(branch));
    }
    if (s.enum) return this.turn(path, s.enum);
    let type = s.type ?? (s.properties ? "object" : s.items ? "array" : "string");
    if (Array.isArray(type)) {
      const others = type.filter((t: string) => t !== "null");
      if (others.length < type.length && this.chance(0.15)) return null;
      type = this.turn(`${path}#type`, others);
    }
    switch (type) {
      case "null":
        return null;
      case "boolean":
        return this.turn(path, [true, false]);
      case "integer":
      case "number":
        return this.turn(path, numbers(s, type === "integer"));
      case "string":
        return this.#string(s, path);
      case "array": {
        const min = s.minItems ?? 0;
        const lengths = [min, min + 1, min + 2];
        if (s.maxItems != null) lengths.push(s.maxItems);
        const n = depth > DEEP
          ? min
          : Math.min(this.turn(`${path}#len`, lengths), s.maxItems ?? 1e9);
        return Array.from(
          { length: n },
          (_, i) => this.value(s.items ?? {}, `${path}/${i}`, depth + 1, skip),
        );
      }
      default:
        return this.#object(s, path, depth, skip);
    }
  }

  #string(s: Schema, path: string): string {
    if (s.format === "binary") return "binary";
    const min = s.minLength ?? 0;
    const lengths = [min, Math.max(min, 1), Math.max(min, 5)];
    if (s.maxLength != null) lengths.push(s.maxLength);
    const length = Math.min(this.turn(`${path}#len`, lengths), s.maxLength ?? 1e9);
    // Emoji (two UTF-16 units each) at a maxLength, which counts code points.
    const unit = length === s.maxLength && this.chance(0.5) ? "🦊" : "x";
    const word = `s${++this.#n}`;
    return length <= word.length ? word.slice(0, length) : word + unit.repeat(length - word.length);
  }

  #object(s: Schema, path: string, depth: number, skip: ReadonlySet<string>): Schema {
    const out: Schema = {};
    const required: string[] = s.required ?? [];
    for (const [key, prop] of Object.entries<Schema>(s.properties ?? {})) {
      if (required.includes(key) || (depth <= DEEP && this.chance(0.5))) {
        out[key] = this.value(prop, `${path}/${key}`, depth + 1, skip);
      }
    }
    if (!s.properties && s.additionalProperties !== false && this.chance(0.5)) {
      const extra = typeof s.additionalProperties === "object" ? s.additionalProperties : {};
      out.k = this.value(extra, `${path}/k`, depth + 1, skip);
    }
    return out;
  }
}

/** Both schemas' constraints: properties (a key in both takes both), required, the rest. */
function merge(a: Schema, b: Schema): Schema {
  const properties = { ...a.properties };
  for (const [k, v] of Object.entries<Schema>(b.properties ?? {})) {
    properties[k] = properties[k] ? { allOf: [properties[k], v] } : v;
  }
  const out: Schema = { ...a, ...b };
  // Both types hold: e.g. a nullable field made not nullable by the other part.
  if (a.type && b.type) {
    const types = [a.type].flat().filter((t) => [b.type].flat().includes(t));
    out.type = types.length === 1 ? types[0] : types;
  }
  if (a.enum && b.enum) out.enum = a.enum.filter((v: unknown) => b.enum.includes(v));
  if (a.properties || b.properties) out.properties = properties;
  if (a.required || b.required) out.required = [...(a.required ?? []), ...(b.required ?? [])];
  return out;
}

/**
 * The numbers to try for a number schema: its bounds' edges (just inside an exclusive bound) and
 * their middle. A field without bounds in one version is bounded by the service all the same (its
 * description or another version names the range): it takes the bounds of the same top-level
 * field in another version (see {@link SpecGen.borrowBounds}), else 1 and its default.
 */
function numbers(s: Schema, integer: boolean): number[] {
  const step = integer ? 1 : 0.001;
  const lo = typeof s.exclusiveMinimum === "number"
    ? s.exclusiveMinimum + step
    : s.minimum != null
    ? s.minimum + (s.exclusiveMinimum === true ? step : 0)
    : undefined;
  const hi = typeof s.exclusiveMaximum === "number"
    ? s.exclusiveMaximum - step
    : s.maximum != null
    ? s.maximum - (s.exclusiveMaximum === true ? step : 0)
    : undefined;
  if (lo != null && hi != null) {
    const mid = (lo + hi) / 2;
    return [lo, hi, integer ? Math.floor(mid) : mid];
  }
  if (lo != null) return [lo, lo + 1];
  if (hi != null) return [hi, hi - 1];
  const values = [1];
  if (typeof s.default === "number" && !values.includes(s.default)) values.push(s.default);
  return values;
}
