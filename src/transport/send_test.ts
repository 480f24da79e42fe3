import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

/** What Node's and browsers' fetch require of a stream body (Deno does not check it). */
function needsDuplex(init: RequestInit | undefined): void {
  if (init?.body instanceof ReadableStream && (init as { duplex?: string }).duplex !== "half") {
    throw new TypeError("RequestInit: duplex option is required when sending a body.");
  }
}

const upload = () =>
  new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new TextEncoder().encode("bytes"));
      c.close();
    },
  });

Deno.test("a stream body is sent with duplex 'half' through the global fetch (Node refuses it otherwise)", async () => {
  const original = globalThis.fetch;
  let sent = "";
  globalThis.fetch = async (input, init) => {
    needsDuplex(init);
    sent = await new Response(init?.body).text();
    return Response.json({ ok: String(input).includes("/openai/files") });
  };
  try {
    const client = new AzureOpenAI({ endpoint: "https://r.openai.azure.com", apiKey: "k-1234" });
    const res = await client.request({ path: "files", body: upload() });
    assert.deepEqual(await res.json(), { ok: true });
    assert.equal(sent, "bytes");
  } finally {
    globalThis.fetch = original;
  }
});

Deno.test("a stream body reaches an injected fetch as a Request built with duplex 'half'", async () => {
  const Original = globalThis.Request;
  globalThis.Request = class extends Original {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      needsDuplex(init);
      super(input, init);
    }
  };
  try {
    const client = new AzureOpenAI({
      endpoint: "https://r.openai.azure.com",
      apiKey: "k-1234",
      fetch: async (request) => new Response(await request.text()),
    });
    const res = await client.request({ path: "files", body: upload() });
    assert.equal(await res.text(), "bytes");
  } finally {
    globalThis.Request = Original;
  }
});
