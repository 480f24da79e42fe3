/**
 * An object JSON schema as strict structured outputs want it: every property required, no other
 * property (`extra`: more keywords, e.g. `$defs`).
 */
export function strictObject(
  properties: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    type: "object",
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
    ...extra,
  };
}
