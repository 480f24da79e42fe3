/**
 * The per-request context handed to every operation handler.
 *
 * @module
 */

import type { DeploymentKind, NormalizedOptions } from "./options.ts";

/**
 * Counters the emulator keeps; read them through `emulator.stats`.
 *
 * @example Check that a test read its stream to the end
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator, type EmulatorStats } from "@aoai/edge/emulator";
 * const emulator = createEmulator();
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const stream = await client.chat.completions.create({
 *   model: "gpt-4o",
 *   messages: [{ role: "user", content: "hi" }],
 *   stream: true,
 * });
 * for await (const _chunk of stream);
 * const stats: EmulatorStats = emulator.stats;
 * console.log(stats.requests, stats.streamsStarted, stats.streamsCompleted); // 1 1 1
 * ```
 */
export interface EmulatorStats {
  /** Requests received (all paths). */
  requests: number;
  /** Streaming responses started. */
  streamsStarted: number;
  /** Streaming responses that sent `[DONE]` and closed. */
  streamsCompleted: number;
  /** Streaming responses the client cancelled (disconnect, abort). */
  cancelledStreams: number;
  /** Streaming responses the emulator broke on purpose (`faults.dropStreamAfterChunks`). */
  droppedStreams: number;
  /** Responses with status 429 sent because of `rateLimits`. */
  rateLimited: number;
}

/** A resolved deployment. */
export interface ResolvedDeployment {
  name: string;
  model: string;
  kind: DeploymentKind;
}

/** Everything a handler needs. */
export interface HandlerContext {
  request: Request;
  url: URL;
  requestId: string;
  /** The `api-version` query value, or `"v1"` on `/openai/v1/` paths. */
  apiVersion: string;
  deployment: ResolvedDeployment;
  options: NormalizedOptions;
  stats: EmulatorStats;
  /** Unix seconds of this request (from `options.now`). */
  created: number;
}
