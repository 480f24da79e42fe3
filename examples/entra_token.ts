// Entra ID (bearer token) auth with a token provider: `deno run -A examples/entra_token.ts`
// With @azure/identity: `tokenProvider: getBearerTokenProvider(new DefaultAzureCredential(),
//   "https://cognitiveservices.azure.com/.default")`.
import { AzureOpenAI } from "../mod.ts";
import { createEmulator } from "../src/emulator/mod.ts";

const emulator = createEmulator();
let refreshes = 0;
const client = new AzureOpenAI({
  endpoint: "http://emulator.local",
  // The emulator accepts its key as a bearer token; a real provider returns an Entra token.
  tokenProvider: () => {
    refreshes++;
    return { token: emulator.apiKey, expiresOnTimestamp: Date.now() + 3_600_000 };
  },
  deployment: "text-embedding-3-small",
  fetch: (request) => emulator.fetch(request),
});
await client.embeddings.create({ input: "one" });
await client.embeddings.create({ input: "two" });
console.log("token refreshes for two calls:", refreshes);
