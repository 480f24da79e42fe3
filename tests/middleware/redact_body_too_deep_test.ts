import assert from "node:assert/strict";
import { redactBody } from "../../src/middleware/_redact.ts";

Deno.test("redactBody() hides what is nested past its depth limit instead of logging it unmasked", () => {
  let value: unknown = { access_token: "at-deep-998877", note: "kept?" };
  for (let i = 0; i < 40; i++) value = { data: [value] };
  const out = redactBody(JSON.stringify(value), [], 100_000);
  assert.ok(!out.includes("at-deep-998877"), out.slice(-160));
  // What is shallow enough stays readable.
  assert.ok(out.startsWith('{"data":[{"data":['), out.slice(0, 40));
  assert.ok(out.includes('"***"'), out.slice(-160));
});
