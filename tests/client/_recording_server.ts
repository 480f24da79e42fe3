import { AzureOpenAI } from "../../mod.ts";
import { createEmulator, type EmulatorOptions } from "../../src/emulator/mod.ts";

/**
 * A 127.0.0.1 server in front of the emulator that records the path and query of each request it
 * gets, and a client on it (no retries) with `options` over its endpoint and key. Close it with
 * `close()`. `answer` may answer a request itself (else the emulator does).
 */
export function recordingServer(
  options: ConstructorParameters<typeof AzureOpenAI>[0] = {},
  answer?: (request: Request) => Response | undefined,
  emulatorOptions: EmulatorOptions = { operationRetryAfter: 0 },
) {
  const emulator = createEmulator(emulatorOptions);
  const seen: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const url = new URL(request.url);
    seen.push(url.pathname + url.search);
    return answer?.(request) ?? emulator.fetch(request);
  });
  const endpoint = `http://127.0.0.1:${server.addr.port}`;
  const client = new AzureOpenAI({ endpoint, apiKey: emulator.apiKey, maxRetries: 0, ...options });
  return { client, seen, endpoint, apiKey: emulator.apiKey, close: () => server.shutdown() };
}

/** The query of each recorded path, as `name=value` pairs (decoded), in order. */
export function queries(seen: string[]): string[][] {
  return seen.map((s) => [...new URL(s, "http://x").searchParams].map(([k, v]) => `${k}=${v}`));
}
