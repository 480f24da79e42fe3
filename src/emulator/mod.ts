/**
 * A local Azure OpenAI look-alike: `createEmulator()` returns an object whose
 * `fetch(request)` answers like the service (deployment and v1 paths, api-version,
 * api-key/bearer auth, spec-shaped bodies, SSE streaming, content filters, rate
 * limits and injectable faults).
 *
 * @example Ask the emulator in process (any runtime; `deno task emulator` serves it over HTTP)
 * ```ts
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator({ apiKeys: ["test-key"] });
 * const res = await emulator.fetch(
 *   new Request(
 *     "http://emulator.local/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21",
 *     {
 *       method: "POST",
 *       headers: { "api-key": "test-key", "content-type": "application/json" },
 *       body: JSON.stringify({ input: "hi" }),
 *     },
 *   ),
 * );
 * console.log(res.status); // 200
 * ```
 *
 * @module
 */

export { createEmulator } from "./emulator.ts";
export type { Emulator, EmulatorLogEntry } from "./emulator.ts";
export type { EmulatorStats } from "./_context.ts";
export { DEFAULT_DEPLOYMENTS, kindOfModel, KNOWN_API_VERSIONS } from "./options.ts";
export type { EmulatorEntra } from "./entra.ts";
export type {
  DeploymentKind,
  EmulatorDeployment,
  EmulatorFaults,
  EmulatorOptions,
  EmulatorRateLimits,
  EmulatorScript,
  EmulatorTranscript,
  ScriptReply,
  ScriptRequest,
  ScriptToolCall,
} from "./options.ts";
export { countTokens, tokenize } from "./tokens.ts";
export { defaultDimensions, embeddingVector } from "./embeddings.ts";
export { sampleFromSchema } from "./json_sample.ts";
export { DROPPED_STREAM_MESSAGE } from "./sse_stream.ts";
