// A Date in defaultQuery or a call's query is sent as its ISO text, as the openai SDK sends it
// (top level, in an array and in an object); before, it sent nothing (a Date has no own fields).
import assert from "node:assert/strict";
import { queries, recordingServer } from "./_recording_server.ts";

const AT = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
const ISO = "2026-01-02T03:04:05.006Z";

Deno.test("a Date in defaultQuery and in a call's query goes out as its ISO text", async () => {
  const { client, seen, close } = recordingServer({ defaultQuery: { since: AT } as never });
  try {
    await client.embeddings.create({ model: "text-embedding-3-small", input: "hi" }, {
      query: { at: AT, list: [AT, "x"], obj: { at: AT, deep: { at: AT } } },
    });
    assert.deepEqual(queries(seen)[0], [
      "api-version=2024-10-21",
      `since=${ISO}`,
      `at=${ISO}`,
      `list[]=${ISO}`,
      "list[]=x",
      `obj[at]=${ISO}`,
      `obj[deep][at]=${ISO}`,
    ]);
  } finally {
    await close();
  }
});

Deno.test("an invalid Date in a call's query fails the call before any request, as in the SDK", async () => {
  const { client, seen, close } = recordingServer();
  try {
    await assert.rejects(
      client.embeddings.create({ model: "text-embedding-3-small", input: "hi" }, {
        query: { at: new Date(NaN) },
      }),
      RangeError,
    );
    assert.equal(seen.length, 0);
  } finally {
    await close();
  }
});
