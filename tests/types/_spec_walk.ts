/**
 * Reads an OpenAPI document's schema as data, for tests/types/spec_fields_test.ts: every
 * dotted property path under a schema (arrays walked through), the enum values and the
 * `nullable` marks found at each path, and which paths some schema lists as required.
 * Follows `$ref`, `allOf` / `oneOf` / `anyOf`, and a discriminator's mapping where the
 * discriminated schema is used (not where a subtype includes its base through `allOf`: there
 * the base's discriminator enum lists every kind, and the subtype's `x-ms-discriminator-value`
 * is taken instead). Test-only.
 *
 * @module
 */

type Json = Record<string, unknown>;

/** What one schema holds, by dotted path ("" is the root). */
export interface SchemaFacts {
  /** Every property path. */
  paths: Set<string>;
  /** Enum values (as strings) found at a path. */
  enums: Map<string, Set<string>>;
  /** Paths marked `nullable: true` somewhere. */
  nullable: Set<string>;
  /** Paths that some schema on the way lists in `required`. */
  required: Set<string>;
}

function join(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

/** Collects the {@link SchemaFacts} of `schema` within `doc`. */
export function schemaFacts(doc: Json, schema: Json): SchemaFacts {
  const facts: SchemaFacts = {
    paths: new Set(),
    enums: new Map(),
    nullable: new Set(),
    required: new Set(),
  };
  const components = (doc.components as Json).schemas as Json;
  const addEnum = (path: string, value: unknown): void => {
    const values = facts.enums.get(path) ?? new Set<string>();
    values.add(String(value));
    facts.enums.set(path, values);
  };
  const visit = (
    s: Json,
    prefix: string,
    stack: string[],
    viaAllOf: boolean,
    skipEnumAt: string | undefined,
  ): void => {
    if (typeof s.$ref === "string") {
      const name = s.$ref.split("/").at(-1) ?? "";
      if (stack.includes(name)) return;
      visit(components[name] as Json, prefix, [...stack, name], viaAllOf, skipEnumAt);
      return;
    }
    if (s.nullable === true) facts.nullable.add(prefix);
    if (Array.isArray(s.enum) && prefix !== skipEnumAt) {
      for (const value of s.enum) addEnum(prefix, value);
    }
    for (const key of (s.required as string[] | undefined) ?? []) {
      facts.required.add(join(prefix, key));
    }
    const kind = s["x-ms-discriminator-value"];
    if (typeof kind === "string") addEnum(join(prefix, "type"), kind);
    for (const combiner of ["allOf", "oneOf", "anyOf"]) {
      for (const part of (s[combiner] as Json[] | undefined) ?? []) {
        visit(part, prefix, stack, combiner === "allOf", skipEnumAt);
      }
    }
    const discriminator = s.discriminator as Json | undefined;
    if (!viaAllOf) {
      for (const ref of Object.values((discriminator?.mapping as Json | undefined) ?? {})) {
        visit({ $ref: ref }, prefix, stack, false, skipEnumAt);
      }
    }
    if (s.items) visit(s.items as Json, prefix, stack, false, skipEnumAt);
    const baseKey = viaAllOf ? discriminator?.propertyName : undefined;
    for (const [key, sub] of Object.entries((s.properties as Json | undefined) ?? {})) {
      const path = join(prefix, key);
      facts.paths.add(path);
      visit(sub as Json, path, stack, false, key === baseKey ? path : skipEnumAt);
    }
  };
  visit(schema, "", [], false, undefined);
  return facts;
}
