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
  const owner: { content_filter_results?: object } = {};
  mergeFilters(owner, first);
  mergeFilters(owner, second);
  assert.deepEqual(owner.content_filter_results, {
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
  const owner = {
    content_filter_results: {
      violence: { filtered: false, severity: "low", citation: { URL: "a", license: "x" } },
    },
  };
  mergeFilters(owner, { violence: { filtered: false, severity: "high", citation: { URL: "b" } } });
  assert.deepEqual(owner.content_filter_results, {
    violence: { filtered: false, severity: "high", citation: { URL: "b" } },
  });
});

Deno.test("mergeFilters() leaves the owner alone when a chunk has no results", () => {
  const owner = {};
  mergeFilters(owner, undefined);
  assert.deepEqual(owner, {});
});
