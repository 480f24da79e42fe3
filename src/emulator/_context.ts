/**
 * The per-request context handed to every operation handler.
 *
 * @module
 */

import type { DeploymentKind, NormalizedOptions } from "./options.ts";

/** Counters the emulator keeps; read them through `emulator.stats`. */
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
