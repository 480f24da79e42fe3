// A header given as `undefined` is not sent, and a per-call `null` removes a header of
// `defaultHeaders`, as in the openai SDK: they went out as the strings "undefined" / "null".
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

/** A client whose requests' headers land in `sent`; every call answers one embedding. */
function setup(defaultHeaders: Record<string, string | null | undefined>) {
  const sent: Headers[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "sk-header-null-test-key-1234",
    deployment: "emb",
    defaultHeaders,
    fetch: (input, init) => {
      sent.push(new Request(input, init).headers);
      return Promise.resolve(Response.json({ object: "list", data: [], model: "m", usage: {} }));
    },
  });
  return { client, sent };
}

Deno.test("defaultHeaders: an undefined or null value is not sent", async () => {
  const { client, sent } = setup({ "x-def": null, "X-Undef": undefined, "x-keep": "k" });
  await client.embeddings.create({ input: "x", encoding_format: "float" as const });
  assert.equal(sent[0].get("x-def"), null);
  assert.equal(sent[0].get("x-undef"), null);
  assert.equal(sent[0].get("x-keep"), "k");
});

Deno.test("per-call headers: undefined leaves the default, null removes it", async () => {
  const { client, sent } = setup({ "x-a": "a", "x-b": "b", "x-c": "c" });
  await client.embeddings.create({ input: "x", encoding_format: "float" as const }, {
    headers: { "X-A": undefined, "X-B": null, "x-new": undefined, "x-null": null, "x-d": "d" },
  });
  const got = Object.fromEntries([...sent[0]].filter(([name]) => name.startsWith("x-")));
  assert.deepEqual(got, { "x-a": "a", "x-c": "c", "x-d": "d" });
  // The client's defaults are untouched for the next call.
  await client.embeddings.create({ input: "x", encoding_format: "float" as const });
  assert.equal(sent[1].get("x-b"), "b");
});

Deno.test("per-call headers given as a Headers object or pairs still go out", async () => {
  const { client, sent } = setup({ "x-a": "a" });
  const params = { input: "x", encoding_format: "float" as const };
  const headers = new Headers({ "x-h": "h", "x-a": "A" });
  await client.embeddings.create(params, { headers } as never);
  await client.embeddings.create(params, { headers: [["x-p", "p"]] } as never);
  assert.deepEqual([sent[0].get("x-h"), sent[0].get("x-a")], ["h", "A"]);
  assert.deepEqual([sent[1].get("x-p"), sent[1].get("x-a")], ["p", "a"]);
});
