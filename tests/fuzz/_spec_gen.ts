/**
 * A seeded generator of varied request bodies from the stored OpenAPI documents
 * (`../shared/azure-openai-spec/`): optional fields present or absent, each enum value, numbers
 * at their bounds (inclusive) or between, oneOf / anyOf branches, discriminated subtypes
 * (message roles, content parts, data sources), nullable fields as null. Deterministic: the same
 * seed gives the same bodies. The bodies are candidates: check them with `validateRequestBody`
 * (the generator follows the raw documents, whose few slips the checker corrects).
 *
 * Not client_spec_gen.ts's `SpecGen` (the client fuzz's generator): that one walks the corrected
 * documents to their edges (int64 bounds, any value of an open map such as `logit_bias`), values
 * the client must pass on as given but the service (and so the emulator and the app) refuses;
 * these bodies are meant to be taken (safe integers, plain words).
 *
 * @module
 */
import { sampleFromSchema } from "../../src/emulator/json_sample.ts";
import { prng } from "../../src/sse/_test_helpers.ts";
import { loadSpec, type SpecVersion } from "../helpers/spec_schema.ts";

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Plain words (none a content filter or fault trigger), "json" among them. */
const WORDS = ["hi", "hello there", "a corgi in a field", "say json", "x", "résumé ✓"];

/** Generates bodies of one document. */
export class SpecGenerator {
  readonly #doc: Json;
  readonly #rand: () => number;

  constructor(version: SpecVersion, seed: number) {
    this.#doc = loadSpec(version);
    this.#rand = prng(seed);
  }

  #pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.#rand() * list.length)];
  }

  #chance(p: number): boolean {
    return this.#rand() < p;
  }

  #resolve(schema: unknown): Json {
    let node = schema;
    for (let i = 0; i < 8 && isObject(node) && typeof node.$ref === "string"; i++) {
      node = node.$ref.slice(2).split("/").reduce<unknown>(
        (n, k) => (isObject(n) ? n[k] : undefined),
        this.#doc,
      );
    }
    return isObject(node) ? node : {};
  }

  /** The request body schema of POST `path` (a spec path template). */
  bodySchema(path: string): Json {
    const paths = this.#doc.paths as Json;
    const op = (paths[path] as Json).post as Json;
    const content = (op.requestBody as Json).content as Json;
    return (content["application/json"] as Json).schema as Json;
  }

  /** A body for POST `path`. */
  body(path: string): Json {
    const v = this.value(this.bodySchema(path), 0);
    return isObject(v) ? v : {};
  }

  /**
   * A value of `schema`; `base`: the schema is a discriminator's base reached from one of its
   * subtypes (its discriminator is not followed again).
   */
  value(raw: unknown, depth: number, base = false): unknown {
    const schema = this.#resolve(raw);
    if (schema.nullable === true && this.#chance(0.12)) return null;
    const disc = schema.discriminator;
    if (!base && isObject(disc) && isObject(disc.mapping)) {
      const [tag, target] = this.#pick(Object.entries(disc.mapping as Record<string, string>));
      const v = this.value({ $ref: target }, depth + 1);
      return isObject(v) ? { ...v, [disc.propertyName as string]: tag } : v;
    }
    if ("const" in schema) return schema.const;
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return this.#pick(schema.enum);
    if (Array.isArray(schema.allOf)) {
      let merged: Json = {};
      for (const part of schema.allOf) {
        const target = this.#resolve(part);
        const v = this.value(part, depth + 1, isObject(target.discriminator));
        if (isObject(v)) merged = { ...merged, ...v };
      }
      // The schema's own properties beside allOf.
      if (isObject(schema.properties)) {
        const own = this.#object(schema, depth);
        merged = { ...merged, ...own };
      }
      // Required names listed beside allOf, their properties defined in the parts.
      const required = Array.isArray(schema.required) ? schema.required as string[] : [];
      for (const name of required) {
        if (name in merged) continue;
        const prop = this.#property(schema, name);
        if (prop !== undefined) merged[name] = this.value(prop, depth + 1);
      }
      return merged;
    }
    for (const key of ["oneOf", "anyOf"]) {
      const list = schema[key];
      if (Array.isArray(list) && list.length > 0) return this.value(this.#pick(list), depth + 1);
    }
    switch (schema.type) {
      case "string":
        return this.#string(schema);
      case "integer":
      case "number":
        return this.#number(schema, schema.type === "integer");
      case "boolean":
        return this.#chance(0.5);
      case "array": {
        const min = typeof schema.minItems === "number" ? schema.minItems : 0;
        const max = typeof schema.maxItems === "number" ? schema.maxItems : Infinity;
        const lengths = [min, Math.min(max, min + 1), Math.min(max, min + 2)];
        if (max <= 8) lengths.push(max);
        // Deep arrays stay short.
        const n = depth > 6 ? min : this.#pick(lengths);
        return Array.from({ length: n }, () => this.value(schema.items, depth + 1));
      }
      default:
        return this.#object(schema, depth);
    }
  }

  /** The schema of property `name` in `schema` or its allOf parts. */
  #property(schema: Json, name: string, depth = 0): unknown {
    if (depth > 8) return undefined;
    if (isObject(schema.properties) && name in schema.properties) return schema.properties[name];
    for (const part of Array.isArray(schema.allOf) ? schema.allOf : []) {
      const found = this.#property(this.#resolve(part), name, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  #object(schema: Json, depth: number): Json {
    const out: Json = {};
    const props = isObject(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required as string[] : [];
    for (const [name, prop] of Object.entries(props)) {
      const wanted = required.includes(name) || (depth < 8 && this.#chance(0.45));
      if (wanted) out[name] = this.value(prop, depth + 1);
    }
    return out;
  }

  #string(schema: Json): string {
    if (typeof schema.pattern === "string") return sampleFromSchema(schema) as string;
    if (schema.format === "uri" || schema.format === "url") return "https://example.com/x";
    const min = typeof schema.minLength === "number" ? schema.minLength : 1;
    const max = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
    if (max <= 4096 && this.#chance(0.1)) return "x".repeat(max);
    if (min > 1 && this.#chance(0.2)) return "x".repeat(min);
    const word = this.#pick(WORDS);
    return word.length >= min && word.length <= max ? word : "x".repeat(min);
  }

  #number(schema: Json, integer: boolean): number {
    const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
    const min = num(schema.minimum);
    const max = num(schema.maximum);
    // int64 bounds past 2^53 would be written as other numbers: use the safe range.
    const lo = min === undefined ? undefined : Math.max(min, -Number.MAX_SAFE_INTEGER);
    const hi = max === undefined ? undefined : Math.min(max, Number.MAX_SAFE_INTEGER);
    const candidates: number[] = [];
    if (lo !== undefined) candidates.push(lo);
    if (hi !== undefined) candidates.push(hi);
    if (num(schema.default) !== undefined) candidates.push(schema.default as number);
    const from = lo ?? (hi !== undefined ? Math.min(hi, 0) : 0);
    const to = hi ?? from + 64;
    const between = from + this.#rand() * (to - from);
    candidates.push(integer ? Math.round(between) : Math.round(between * 1000) / 1000);
    if (lo === undefined && hi === undefined) candidates.push(1, 16);
    return this.#pick(candidates);
  }
}
