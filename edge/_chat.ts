/**
 * Chat completions: streamed replies pass through as they arrive.
 *
 * @module
 */
import { forward } from "./_forward.ts";
import type { PreparedCall } from "./_operations.ts";
import type { Caching } from "./_caching.ts";
import type { ResolvedOptions } from "./options.ts";

/** Handles one validated chat completions call. */
export function handleChat(
  opts: ResolvedOptions,
  _caching: Caching,
  request: Request,
  call: PreparedCall,
  apiVersion: string | undefined,
  _waitUntil: ((p: Promise<unknown>) => void) | undefined,
): Promise<Response> {
  return forward(opts, request, {
    path: call.op.path,
    deployment: call.deployment,
    method: "POST",
    json: call.json,
    stream: call.stream,
    operation: call.op.operation,
    apiVersion,
  });
}
