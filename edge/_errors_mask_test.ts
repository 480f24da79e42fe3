// maskEnvValues() / misconfiguredMessage(): the ends of the masking rule (an unquoted value of
// exactly 8 characters is masked with `anywhere`, one of 7 is not; an empty entry masks nothing)
// and an error thrown as no Error (tests/edge/env_value_masking_test.ts: the rule itself).
import assert from "node:assert/strict";
import { maskEnvValues, misconfiguredMessage } from "./_errors.ts";

Deno.test("maskEnvValues() with anywhere masks unquoted values from 8 characters, not shorter", () => {
  const env = { A: "abcdefgh", B: "short77" };
  assert.equal(
    maskEnvValues("abcdefgh and short77 and the rest", env, true),
    "*** and short77 and the rest",
  );
  assert.equal(maskEnvValues("abcdefgh and short77", env), "abcdefgh and short77");
});

Deno.test("maskEnvValues() masks nothing for an empty value or entry", () => {
  const text = 'an empty "" string, a, b';
  assert.equal(maskEnvValues(text, { A: "", B: "a,,b", C: " ; " }), 'an empty "" string, a, b');
});

Deno.test("misconfiguredMessage() shows an error thrown as no Error as text", () => {
  assert.equal(misconfiguredMessage("boom", {}), "The Worker is not configured: boom.");
});
