/**
 * Helpers for the emulator's own tests (not exported from mod.ts).
 *
 * @module
 */

import type { Emulator } from "./emulator.ts";

/** Base URL the tests use for in-process requests. */
export const BASE = "http://emulator.test";

/** POSTs a JSON body to a deployment operation with the emulator's key. */
export function post(
  emulator: Emulator,
  path: string,
  body: unknown,
  init: { apiVersion?: string | null; headers?: Record<string, string> } = {},
): Promise<Response> {
  const url = new URL(path, BASE);
  const version = init.apiVersion === undefined ? "2024-10-21" : init.apiVersion;
  if (version !== null && !path.startsWith("/openai/v1/")) {
    url.searchParams.set("api-version", version);
  }
  return emulator.fetch(
    new Request(url, {
      method: "POST",
      headers: { "api-key": emulator.apiKey, "content-type": "application/json", ...init.headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

/** Reads an SSE body into its `data:` payloads (including `[DONE]`). */
export async function readSse(response: Response): Promise<string[]> {
  const text = await response.text();
  const out: string[] = [];
  for (const block of text.split("\n\n")) {
    if (block === "") continue;
    const line = block.split("\n").find((l) => l.startsWith("data: "));
    if (line !== undefined) out.push(line.slice(6));
  }
  return out;
}

/** Parses SSE payloads into chunk objects (drops `[DONE]`). */
export function chunksOf(payloads: string[]): Record<string, unknown>[] {
  return payloads.filter((p) => p !== "[DONE]").map((p) => JSON.parse(p));
}
