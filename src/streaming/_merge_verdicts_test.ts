import assert from "node:assert/strict";
import { mergeFilters } from "./_merge.ts";

// mergeFilters() member by member: severity by rank (safe < low < medium < high), `details`
// merged by id with sticky flags (items that are no objects by value), other strings and
// non-object members as the latest chunk sends them.

function merge(...chunks: object[]): unknown {
  const owner: { content_filter_results?: object } = {};
  for (const chunk of chunks) mergeFilters(owner, chunk);
  return owner.content_filter_results;
}

Deno.test("mergeFilters() ranks severity safe < low < medium < high", () => {
  const severity = (...list: string[]) =>
    (merge(...list.map((severity) => ({ hate: { filtered: false, severity } }))) as {
      hate: { severity: string };
    }).hate.severity;
  assert.equal(severity("safe", "low", "medium", "high"), "high");
  assert.equal(severity("medium", "high", "low"), "high");
  assert.equal(severity("low", "medium", "safe"), "medium");
  assert.equal(severity("high", "safe"), "high");
});

Deno.test("mergeFilters() takes the latest value of a string member other than severity", () => {
  assert.deepEqual(
    merge({ error: { code: "a", message: "first" } }, { error: { code: "b", message: "second" } }),
    { error: { code: "b", message: "second" } },
  );
});

Deno.test("mergeFilters() merges details by id: new ids appended, a filtered one stays filtered", () => {
  assert.deepEqual(
    merge(
      { custom_blocklists: { filtered: true, details: [{ filtered: true, id: "b1" }] } },
      { custom_blocklists: { filtered: false, details: [{ filtered: false, id: "b2" }] } },
      { custom_blocklists: { filtered: false, details: [{ filtered: false, id: "b1" }] } },
    ),
    {
      custom_blocklists: {
        filtered: true,
        details: [{ filtered: true, id: "b1" }, { filtered: false, id: "b2" }],
      },
    },
  );
});

Deno.test("mergeFilters() takes details that first come in a later chunk of the category", () => {
  assert.deepEqual(
    merge({ c: { filtered: false } }, { c: { filtered: true, details: [{ id: "b1" }] } }),
    { c: { filtered: true, details: [{ id: "b1" }] } },
  );
});

Deno.test("mergeFilters() takes the latest value of an array member other than details", () => {
  assert.deepEqual(merge({ c: { list: ["a"] } }, { c: { list: ["b"] } }), { c: { list: ["b"] } });
});

Deno.test("mergeFilters() keeps details that are no objects by value", () => {
  assert.deepEqual(
    merge({ c: { details: ["x"] } }, { c: { details: ["y", "x"] } }),
    { c: { details: ["x", "y"] } },
  );
});

Deno.test("mergeFilters() keeps a member that is no object as the latest chunk sends it", () => {
  assert.deepEqual(merge({ flag: true, hate: null }, { flag: false }), { flag: false, hate: null });
});
