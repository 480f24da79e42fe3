import assert from "node:assert/strict";
import { AzureOpenAI } from "../../mod.ts";

/** The api-version (or "v1" path) each call of a client on `apiVersion` is sent with. */
async function versionsSent(apiVersion: string) {
  const urls: URL[] = [];
  const client = new AzureOpenAI({
    endpoint: "https://r.openai.azure.com",
    apiKey: "k",
    apiVersion,
    maxRetries: 0,
    fetch: (request) => {
      urls.push(new URL(request.url));
      return Promise.resolve(Response.json({ id: "op1", status: "notRunning" }, { status: 202 }));
    },
  });
  const speech = await client.audio.speech.create({ model: "tts", input: "hi", voice: "alloy" });
  await speech.body?.cancel();
  await client.images.submit({ prompt: "a lighthouse" });
  return urls.map((url) =>
    url.pathname.startsWith("/openai/v1/") ? "v1" : url.searchParams.get("api-version")
  );
}

Deno.test("speech keeps previews from 2024-02-15-preview on and v1; GA versions get 2024-05-01-preview", async () => {
  const cases: [string, string][] = [
    ["2025-04-01-preview", "2025-04-01-preview"],
    ["2024-12-01-preview", "2024-12-01-preview"],
    ["2024-02-15-preview", "2024-02-15-preview"],
    ["2023-12-01-preview", "2024-05-01-preview"],
    ["2024-10-21", "2024-05-01-preview"],
    ["2024-06-01", "2024-05-01-preview"],
    ["v1", "v1"],
  ];
  for (const [client, speech] of cases) {
    assert.equal((await versionsSent(client))[0], speech, client);
  }
});

Deno.test("DALL-E 2 submit uses 2023-06-01-preview unless the client's version serves it", async () => {
  for (const client of ["2025-04-01-preview", "2024-10-21", "v1", "2023-10-01-preview"]) {
    assert.equal((await versionsSent(client))[1], "2023-06-01-preview", client);
  }
  assert.equal((await versionsSent("2023-06-01-preview"))[1], "2023-06-01-preview");
});
