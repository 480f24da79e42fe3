// client.withOptions(options): a new client with `options` over this client's, as the openai SDK's.
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";
import type { CallSettings, Middleware } from "../../src/middleware/types.ts";
import { recordingServer } from "./_recording_server.ts";

const EMBED = { model: "text-embedding-3-small", input: "hi" };

Deno.test("withOptions() gives a new client with the options over this one's; this one is unchanged", async () => {
  const headers: (string | null)[] = [];
  const { client, seen, close } = recordingServer({
    apiVersion: "2024-06-01",
    deployment: "text-embedding-3-small",
    defaultHeaders: { "x-a": "parent", "x-b": "parent" },
    defaultQuery: { a: "parent", b: "parent" },
  }, (request) => void headers.push(`${request.headers.get("x-a")} ${request.headers.get("x-b")}`));
  try {
    const child = client.withOptions({
      defaultHeaders: { "x-a": "child" },
      defaultQuery: { a: "c" },
    });
    assert.ok(child instanceof AzureOpenAI);
    assert.notEqual(child, client);
    // What it did not name is this client's.
    assert.equal(child.apiVersion, "2024-06-01");
    assert.equal(child.deployment, "text-embedding-3-small");
    assert.equal(child.endpoint, client.endpoint);
    const other = client.withOptions({ apiVersion: "2024-10-21", deployment: "other" });
    assert.equal(other.apiVersion, "2024-10-21");
    assert.equal(other.deployment, "other");
    await child.embeddings.create({ ...EMBED, model: "" });
    await client.embeddings.create({ ...EMBED, model: "" });
    const path = "/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-06-01";
    // defaultHeaders and defaultQuery are replaced whole, as the SDK's spread of the options does.
    assert.deepEqual(seen, [`${path}&a=c`, `${path}&a=parent&b=parent`]);
    assert.deepEqual(headers, ["child null", "parent parent"]);
  } finally {
    await close();
  }
});

Deno.test("withOptions() with a credential, endpoint or timeout replaces this client's kind (no 'pass exactly one')", async () => {
  const settings: CallSettings[] = [];
  const spy: Middleware = (ctx, next) => (settings.push(ctx.options), next());
  const { client, apiKey, close } = recordingServer({ timeoutMs: 5_000, middleware: [spy] });
  try {
    const bearer = client.withOptions({ tokenProvider: () => Promise.resolve(apiKey) });
    await bearer.embeddings.create(EMBED);
    const sdkNames = client.withOptions({
      azureADTokenProvider: () => Promise.resolve(apiKey),
      timeout: 7_000,
    });
    await sdkNames.embeddings.create(EMBED);
    await client.withOptions({ timeoutMs: 9_000 }).embeddings.create(EMBED);
    await client.embeddings.create(EMBED);
    assert.deepEqual(settings.map((s) => s.timeoutMs), [5_000, 7_000, 9_000, 5_000]);
    const named = client.withOptions({ resourceName: "My-Res" });
    assert.equal(named.endpoint, "https://my-res.openai.azure.com");
    assert.equal(
      named.withOptions({ endpoint: "https://x.example" }).endpoint,
      "https://x.example",
    );
    assert.throws(() => client.withOptions({ maxRetries: -1 }), TypeError);
  } finally {
    await close();
  }
});

Deno.test("withOptions() keeping this client's tokenProvider shares its token cache; a new one has its own", async () => {
  let parentCalls = 0;
  let childCalls = 0;
  const { apiKey, endpoint, close } = recordingServer();
  // Valid for an hour: cached.
  const token = () =>
    Promise.resolve({ token: apiKey, expiresOnTimestamp: Date.now() + 3_600_000 });
  try {
    const client = new AzureOpenAI({
      endpoint,
      tokenProvider: () => (parentCalls++, token()),
      maxRetries: 0,
    });
    await client.embeddings.create(EMBED);
    const same = client.withOptions({ timeoutMs: 60_000, defaultHeaders: { "x-a": "1" } });
    await same.embeddings.create(EMBED);
    await same.withOptions({ maxRetries: 1 }).embeddings.create(EMBED);
    assert.equal(parentCalls, 1);
    const own = client.withOptions({
      tokenProvider: () => (childCalls++, token()),
    });
    await own.embeddings.create(EMBED);
    await own.embeddings.create(EMBED);
    assert.deepEqual([parentCalls, childCalls], [1, 1]);
  } finally {
    await close();
  }
});
