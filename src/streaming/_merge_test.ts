import assert from "node:assert/strict";
import { mergeFilters } from "./_merge.ts";

Deno.test("mergeFilters() keeps the worst verdict per category without changing the chunks", () => {
  const first = {
    hate: { filtered: true, severity: "medium" },
    jailbreak: { filtered: false, detected: true },
    custom_blocklists: { filtered: false, details: [{ filtered: false, id: "b1" }] },
  };
  const second = {
    hate: { filtered: false, severity: "low" },
    jailbreak: { filtered: false, detected: false },
    custom_blocklists: {
      filtered: true,
      details: [{ filtered: true, id: "b1" }, { filtered: false, id: "b2" }],
    },
    error: { code: "x" },
  };
  const before = structuredClone([first, second]);
  assert.deepEqual(mergeFilters(mergeFilters({}, first), second), {
    hate: { filtered: true, severity: "medium" },
    jailbreak: { filtered: false, detected: true },
    custom_blocklists: {
      filtered: true,
      details: [{ filtered: true, id: "b1" }, { filtered: false, id: "b2" }],
    },
    error: { code: "x" },
  });
  assert.deepEqual([first, second], before);
});

Deno.test("mergeFilters() takes the latest value of other members and raises severity", () => {
  const merged = mergeFilters(
    { violence: { filtered: false, severity: "low", citation: { URL: "a", license: "x" } } },
    { violence: { filtered: false, severity: "high", citation: { URL: "b" } } },
  );
  assert.deepEqual(merged, {
    violence: { filtered: false, severity: "high", citation: { URL: "b" } },
  });
});
