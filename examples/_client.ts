/**
 * Shared set-up for the examples: a real Azure resource when `AZURE_OPENAI_ENDPOINT` and
 * `AZURE_OPENAI_API_KEY` are set, otherwise the built-in emulator (in-process, no network).
 */
import { AzureOpenAI } from "../mod.ts";
import { createEmulator } from "../src/emulator/mod.ts";

/** Builds the client the examples use. */
export function exampleClient(apiVersion?: string): AzureOpenAI {
  const endpoint = Deno.env.get("AZURE_OPENAI_ENDPOINT");
  const apiKey = Deno.env.get("AZURE_OPENAI_API_KEY");
  if (endpoint && apiKey) return new AzureOpenAI({ endpoint, apiKey, apiVersion });
  const emulator = createEmulator();
  return new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    apiVersion,
    fetch: (request) => emulator.fetch(request),
  });
}
