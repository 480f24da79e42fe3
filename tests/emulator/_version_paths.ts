/**
 * Helpers of the emulator tests: the paths of a spec document, a call to the emulator at an
 * api-version (with its key, a JSON body for POST), and the service's answer to a path the version
 * lacks.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { createEmulator } from "../../src/emulator/mod.ts";
import { loadSpec, type SpecVersion } from "../helpers/spec_schema.ts";

/** The emulator's base URL in these tests. */
export const BASE = "http://emulator.test";

/** The paths of a spec document, e.g. `/deployments/{deployment-id}/audio/speech`. */
export function pathsOf(version: SpecVersion): string[] {
  return Object.keys(loadSpec(version).paths as Record<string, unknown>);
}

/** Sends `path` (under `/openai`) at `version` with the emulator's key; POSTs `body` as JSON. */
export function call(
  e: ReturnType<typeof createEmulator>,
  path: string,
  version: string,
  init: { method?: string; body?: unknown } = {},
): Promise<Response> {
  const method = init.method ?? "POST";
  return e.fetch(`${BASE}/openai${path}?api-version=${version}`, {
    method,
    headers: { "api-key": e.apiKey, "content-type": "application/json" },
    body: method === "POST" ? JSON.stringify(init.body ?? {}) : undefined,
  });
}

/** Asserts the service's answer to a path the api-version lacks (`what` names the case). */
export async function assertResourceNotFound(res: Response, what: string): Promise<void> {
  assert.equal(res.status, 404, what);
  assert.deepEqual(await res.json(), { error: { code: "404", message: "Resource not found" } });
}
