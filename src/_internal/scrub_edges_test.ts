import assert from "node:assert/strict";
import { scrub } from "./core.ts";

const SECRET = "sk-scrub-edges-123456";
const clean = (text: string) => text.replaceAll(SECRET, "***");

Deno.test("scrub() returns a thrown value that is no Error as it is", () => {
  for (const value of [42, null, undefined, { message: "x" }, Symbol.iterator]) {
    assert.equal(scrub(value, clean), value);
  }
});

Deno.test("scrub() visits each error of a cause cycle once", () => {
  const a = new Error(`a ${SECRET}`);
  const b = new Error(`b ${SECRET}`, { cause: a });
  a.cause = b;
  let calls = 0;
  scrub(a, (text) => (calls++, clean(text)));
  assert.equal(a.message, "a ***");
  assert.equal(b.message, "b ***");
  // message, stack and name of each, and the fields that hold the other one: a few, not thousands.
  assert.ok(calls < 20, `${calls} calls`);
});

Deno.test("scrub() cleans a Map, Set or Headers inside a field (JSON would show them as {})", () => {
  const fields: Record<string, unknown> = {
    map: new Map([["key", SECRET]]),
    set: new Set([SECRET]),
    headers: new Headers({ "x-custom": SECRET }),
  };
  const expected: Record<string, unknown> = {
    map: [["key", "***"]],
    set: ["***"],
    headers: [["x-custom", "***"]],
  };
  for (const [name, value] of Object.entries(fields)) {
    const err = Object.assign(new Error("failed"), { config: { [name]: value } });
    scrub(err, clean);
    assert.deepEqual(err.config, { [name]: expected[name] }, name);
  }
});

Deno.test("scrub() leaves a field it fixed writable and configurable (a later scrub can fix it again)", () => {
  const err = new Error(`with ${SECRET}`);
  scrub(err, clean);
  const field = Object.getOwnPropertyDescriptor(err, "message")!;
  assert.equal(field.value, "with ***");
  assert.equal(field.writable, true);
  assert.equal(field.configurable, true);
});
