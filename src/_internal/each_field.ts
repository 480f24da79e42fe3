/**
 * Calls `put(name, leaf)` for each leaf of `value` as the openai SDK writes form fields and query
 * parameters: an array's items as `name[]`, an object's members as `name[key]`, at any depth; a
 * `Date` as its ISO text (the SDK's query does so; its form sends nothing for one).
 */
export const eachField = (
  name: string,
  value: unknown,
  put: (name: string, value: unknown) => unknown,
): unknown =>
  value instanceof Date
    ? put(name, value.toISOString())
    : value && typeof value == "object"
    ? Object.entries(value).map(([k, v]) =>
      eachField(`${name}[${Array.isArray(value) ? "" : k}]`, v, put)
    )
    : put(name, value);
