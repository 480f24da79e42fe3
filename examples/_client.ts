/**
 * Shared set-up for the examples: a real Azure resource when `AZURE_OPENAI_ENDPOINT` and
 * `AZURE_OPENAI_API_KEY` are set, otherwise the built-in emulator (in-process, no network).
 */
import { AzureOpenAI, type Middleware } from "../mod.ts";
import { createEmulator, DEFAULT_DEPLOYMENTS, type EmulatorScript } from "../src/emulator/mod.ts";

/**
 * Builds the client the examples use. The emulator serves its default deployments plus a
 * `gpt-4o-transcribe` one (streamed transcription); on Azure, name your deployments alike.
 * `script` stands in for the model's choices on the emulator (unused on Azure).
 */
export function exampleClient(
  apiVersion?: string,
  middleware?: Middleware[],
  script?: EmulatorScript,
): AzureOpenAI {
  const endpoint = Deno.env.get("AZURE_OPENAI_ENDPOINT");
  const apiKey = Deno.env.get("AZURE_OPENAI_API_KEY");
  if (endpoint && apiKey) return new AzureOpenAI({ endpoint, apiKey, apiVersion, middleware });
  const emulator = createEmulator({
    script,
    deployments: [
      ...DEFAULT_DEPLOYMENTS,
      { name: "gpt-4o-transcribe", model: "gpt-4o-transcribe" },
    ],
  });
  return new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    apiVersion,
    middleware,
    fetch: (request) => emulator.fetch(request),
  });
}
