import assert from "node:assert/strict";
import { redactBody } from "../../src/middleware/_redact.ts";

const log = (value: unknown, maxChars = 10_000) => redactBody(JSON.stringify(value), [], maxChars);

Deno.test("redactBody() masks credential fields of a JSON body holding null members", () => {
  assert.equal(
    log({ client_secret: "cs-271828", note: null, auth: { key: "k-314159", expires: null } }),
    '{"client_secret":"***","note":null,"auth":{"key":"***","expires":null}}',
  );
});

Deno.test("redactBody() keeps a JSON array an array, masking fields of its items", () => {
  assert.equal(
    log([{ api_key: "k-161803" }, "text", 3, [{ password: "p-141421" }]]),
    '[{"api_key":"***"},"text",3,[{"password":"***"}]]',
  );
});

Deno.test("redactBody() masks credential fields 62 levels down (objects and arrays)", () => {
  let value: unknown = { access_token: "at-577215", depth: 62 };
  for (let i = 0; i < 31; i++) value = { data: [value] };
  const out = log(value);
  assert.ok(out.includes('"access_token":"***"'), out.slice(-120));
  assert.ok(!out.includes("at-577215"));
});

Deno.test("redactBody() still masks the top-level fields of a body nested 10,000 deep", () => {
  // Walking it all would overflow the stack, and the fallback scrubs only known secrets.
  for (
    const deep of [
      "[".repeat(10_000) + "]".repeat(10_000),
      '{"a":'.repeat(10_000) + "1" + "}".repeat(10_000),
    ]
  ) {
    const out = redactBody(`{"client_secret":"cs-662607","x":${deep}}`, [], 60);
    assert.ok(out.startsWith('{"client_secret":"***","x":'), out);
    assert.ok(!out.includes("cs-662607"));
  }
});

Deno.test("redactBody() cuts only a body longer than maxChars, noting its length", () => {
  const text = "x".repeat(40);
  assert.equal(redactBody(text, [], 40), text, "exactly maxChars: as is");
  assert.equal(redactBody(text, [], 100), text);
  assert.equal(redactBody(text, [], 39), `${"x".repeat(39)}… (40 chars)`);
});
