// A client on an emulator whose transcript names what arrived: the file's name, size and type.
import { AzureOpenAI } from "../../mod.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

/** A client (no retries) against an emulator answering `name size type` for each upload. */
export function uploadClient(): { client: AzureOpenAI; requests: () => number } {
  const emulator = createEmulator({
    transcript: (file) => `${file.name} ${file.size} ${file.type}`,
  });
  let count = 0;
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    maxRetries: 0,
    fetch: (input, init) => (count++, emulator.fetch(new Request(input, init))),
  });
  return { client, requests: () => count };
}
