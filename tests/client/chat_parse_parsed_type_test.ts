// The README's SDK-switch note on parse()'s types: `message.parsed` is typed `unknown` for a
// `json_schema` format without a zod parser (the SDK types it `null`, hiding the value it holds),
// `null` for a `json_object` format or none; at run time it is JSON.parse(content) as in the SDK.
// The type checks are compile-time: `deno test` fails to check this file if a type changes.
import assert from "node:assert/strict";
import { chatCompletion, clientAnswering } from "./_helpers.ts";

/** `true` only when A and B are the same type (`unknown` is not `any`, nor `null`). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true
  : false;

const content = '{"city":"Oslo"}';
const client = clientAnswering(
  chatCompletion([
    { index: 0, finish_reason: "stop", message: { role: "assistant", content } },
  ]),
);
const messages = [{ role: "user" as const, content: "Weather in JSON." }];

Deno.test("parse(): a json_schema format without a parser types message.parsed as unknown", async () => {
  const res = await client.chat.completions.parse({
    model: "gpt-4o",
    messages,
    response_format: {
      type: "json_schema",
      json_schema: { name: "w", strict: true, schema: { type: "object" } },
    },
  });
  const parsed = res.choices[0].message.parsed;
  const typed: Same<typeof parsed, unknown> = true;
  assert.equal(typed, true);
  assert.deepEqual(parsed, { city: "Oslo" });
});

Deno.test("parse(): a json_object format or none types message.parsed as null", async () => {
  const withJsonObject = await client.chat.completions.parse({
    model: "gpt-4o",
    messages,
    response_format: { type: "json_object" },
  });
  const withNone = await client.chat.completions.parse({ model: "gpt-4o", messages });
  const typed: [
    Same<typeof withJsonObject.choices[0]["message"]["parsed"], null>,
    Same<typeof withNone.choices[0]["message"]["parsed"], null>,
  ] = [true, true];
  assert.deepEqual(typed, [true, true]);
  assert.equal(withJsonObject.choices[0].message.parsed, null);
  assert.equal(withNone.choices[0].message.parsed, null);
});
