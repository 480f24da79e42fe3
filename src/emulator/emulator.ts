/**
 * `createEmulator()`: a local Azure OpenAI look-alike behind one `fetch(request)`.
 *
 * @module
 */

import type { EmulatorStats, HandlerContext, ResolvedDeployment } from "./_context.ts";
import {
  authOf,
  checkApiVersion,
  deploymentNotFound,
  operationNotSupported,
  redactedHeaders,
} from "./_guards.ts";
import { fnv1a, mulberry32, randomUuid } from "./_hash.ts";
import {
  ACCESS_DENIED_MESSAGE,
  BEARER_DENIED_MESSAGE,
  invalidRequest,
  jsonResponse,
  KEY_AUTH_DISABLED_MESSAGE,
  missingParam,
  readJsonObject,
  resourceNotFound,
  serviceError,
} from "./_response.ts";
import { FaultState } from "./faults.ts";
import {
  checkFaults,
  checkRange,
  type EmulatorDeployment,
  type EmulatorFaults,
  type EmulatorOptions,
  normalizeOptions,
} from "./options.ts";
import { type Operation, OPERATIONS } from "./operations.ts";
import { rateLimitedResponse, RateLimiter } from "./rate_limit.ts";
import { imageOperationsInVersion, ImageOperationStore } from "./image_operations.ts";
import { handleImageFile } from "./images.ts";
import { EntraEndpoint } from "./entra.ts";
import { partHeads } from "../multipart/part_heads.ts";
import { readBodyChecked } from "./_read_body.ts";

/**
 * One entry of `emulator.log` (secrets redacted).
 *
 * @example See what the last request was
 * ```ts
 * import { AzureOpenAI } from "@aoai/edge";
 * import { createEmulator, type EmulatorLogEntry } from "@aoai/edge/emulator";
 * const emulator = createEmulator();
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * await client.embeddings.create({ model: "text-embedding-3-small", input: "hello" });
 * const entry: EmulatorLogEntry = emulator.log[emulator.log.length - 1];
 * console.log(entry.operation, entry.status); // Embeddings_Create 200
 * console.log(entry.headers["api-key"]); // [redacted]
 * ```
 */
export interface EmulatorLogEntry {
  /** HTTP method. */
  method: string;
  /** Path and query of the request URL. */
  path: string;
  /** Status of the response the emulator sent. */
  status: number;
  /** The `apim-request-id` of the response (its `x-request-id` is another id). */
  requestId: string;
  /** `api-key`, `bearer` or `none`: how the request authenticated. */
  auth: "api-key" | "bearer" | "none";
  /** Deployment the request resolved to, when it got that far. */
  deployment?: string;
  /** Operation label, e.g. `ChatCompletions_Create`. */
  operation?: string;
  /**
   * Request headers; credential values (`api-key`, `authorization`, `ocp-apim-subscription-key`,
   * `cookie`) are replaced by `[redacted]`.
   */
  headers: Record<string, string>;
}

/**
 * The emulator: a `fetch` function plus inspection and control helpers.
 *
 * @example Make the next request fail, then reset
 * ```ts
 * import { createEmulator, type Emulator } from "@aoai/edge/emulator";
 * const emulator: Emulator = createEmulator({ apiKeys: ["test-key"] });
 * emulator.failNext(1, 503);
 * const url = "http://emulator.local/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
 * const init = {
 *   method: "POST",
 *   headers: { "api-key": "test-key", "content-type": "application/json" },
 *   body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
 * };
 * console.log((await emulator.fetch(url, init)).status); // 503
 * console.log((await emulator.fetch(url, init)).status, emulator.stats.requests); // 200 2
 * emulator.reset();
 * console.log(emulator.stats.requests, emulator.log.length); // 0 0
 * ```
 */
export interface Emulator {
  /** Serves one request. Also usable as an injected `fetch` (`(input, init?)`). */
  fetch(input: Request | URL | string, init?: RequestInit): Promise<Response>;
  /** The first accepted key. */
  readonly apiKey: string;
  /** All accepted keys. */
  readonly apiKeys: readonly string[];
  /** The configured deployments with their kinds. */
  readonly deployments: readonly Required<EmulatorDeployment>[];
  /** Live counters (requests, streams started/completed/cancelled/dropped, 429s). */
  readonly stats: Readonly<EmulatorStats>;
  /** The last 200 requests, newest last, secrets redacted. */
  readonly log: readonly EmulatorLogEntry[];
  /** Makes the next `count` requests fail with `status` (default 500). */
  failNext(count: number, status?: number): void;
  /**
   * Replaces the fault settings (`{}` clears them; a field left out is off, `failNext` too). A
   * value out of range throws the TypeError `createEmulator()` throws for it (named
   * `emulator.setFaults(): faults.…`) and the previous settings stay.
   */
  setFaults(faults: EmulatorFaults): void;
  /**
   * Clears rate-limit windows, image operations, the Entra ID tokens issued (`options.entra`),
   * the log and the counters.
   */
  reset(): void;
}

const LOG_SIZE = 200;
const V1_VERSIONS = new Set(["preview", "latest", "v1"]);

/**
 * Creates an emulator. Serve it with any fetch-handler server (`emulator.fetch(req)`), or pass
 * `emulator.fetch` as a client's injected `fetch`.
 *
 * @example Call the emulator without a server
 * ```ts
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator();
 * const res = await emulator.fetch(
 *   new Request("http://emulator/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", {
 *     method: "POST",
 *     headers: { "api-key": emulator.apiKey, "content-type": "application/json" },
 *     body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
 *   }),
 * );
 * console.log((await res.json()).choices[0].message.content); // "You said: hi"
 * ```
 */
export function createEmulator(options?: EmulatorOptions): Emulator {
  const opts = normalizeOptions(options);
  const stats: EmulatorStats = {
    requests: 0,
    streamsStarted: 0,
    streamsCompleted: 0,
    cancelledStreams: 0,
    droppedStreams: 0,
    rateLimited: 0,
  };
  const log: EmulatorLogEntry[] = [];
  const limiter = new RateLimiter(opts.rateLimits, opts.now);
  const operations = new ImageOperationStore(opts);
  const faults = new FaultState(opts.faults);
  opts.faults = faults.faults;
  const entra = opts.entra && new EntraEndpoint(opts.entra, opts.now, opts.random);

  async function handleOperation(
    request: Request,
    url: URL,
    requestId: string,
    op: Operation,
    apiVersion: string,
    pathDeployment: string | undefined,
    entry: EmulatorLogEntry,
  ): Promise<Response> {
    let deployment: ResolvedDeployment | undefined;
    if (pathDeployment !== undefined) {
      deployment = opts.deployments.get(pathDeployment);
      if (!deployment) return deploymentNotFound();
      entry.deployment = deployment.name;
      if (deployment.kind !== op.kind) return operationNotSupported(op, deployment);
    }
    const injected = faults.check(opts.random);
    if (injected) return injected;
    let body: Record<string, unknown> | FormData;
    if (op.body === "form") {
      const contentType = request.headers.get("content-type") ?? "";
      if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
        return invalidRequest(
          "file",
          "This operation takes multipart/form-data with a 'file' field; send the audio as a form upload.",
          "invalid_content_type",
        );
      }
      const checkSize = op.checkSize ?? (() => undefined);
      // Refused unread when the declared length is over, else as soon as what was read is.
      const tooLarge = checkSize(Number(request.headers.get("content-length") ?? "0"));
      if (tooLarge) {
        request.body?.cancel().catch(() => {});
        return tooLarge;
      }
      try {
        const raw = await readBodyChecked(request, checkSize);
        if (raw instanceof Response) return raw;
        // Part and file names as sent: the platform's parser may misread a Content-Disposition
        // (Deno's splits it at every ';' and '=', quoted or not).
        const heads = partHeads(contentType);
        heads.read(raw);
        body = heads.name(
          await new Response(raw, { headers: { "content-type": contentType } }).formData(),
        );
      } catch {
        return invalidRequest(
          "file",
          "Could not parse the multipart/form-data body.",
          "invalid_body",
        );
      }
    } else {
      const parsed = await readJsonObject(request);
      if (parsed instanceof Response) return parsed;
      body = parsed;
    }
    if (!deployment) {
      const model = body instanceof FormData ? body.get("model") : body.model;
      if (typeof model !== "string" || model === "") return missingParam("model");
      deployment = opts.deployments.get(model);
      if (!deployment) return deploymentNotFound();
      entry.deployment = deployment.name;
      if (deployment.kind !== op.kind) return operationNotSupported(op, deployment);
    }
    const ctx: HandlerContext = {
      request,
      url,
      requestId,
      apiVersion,
      deployment,
      options: opts,
      stats,
      created: Math.floor(opts.now() / 1000),
    };
    // What remains of each kind with a limit configured (a kind with none reports nothing).
    let limitHeaders: Record<string, string> = {};
    if (limiter.enabled) {
      const tokens = body instanceof FormData ? 0 : op.tokens(body, apiVersion);
      const decision = limiter.take(deployment.name, tokens);
      if (!decision.ok) {
        stats.rateLimited++;
        return rateLimitedResponse(decision, op.label, apiVersion);
      }
      limitHeaders = decision.headers;
    }
    const response = await op.handle(ctx, body);
    for (const [k, v] of Object.entries(limitHeaders)) response.headers.set(k, v);
    return response;
  }

  function route(
    request: Request,
    requestId: string,
    entry: EmulatorLogEntry,
  ): Response | Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname.replace(/\/+$/, "");
    if (request.method === "GET" && path.startsWith("/emulator/images/")) {
      return handleImageFile(path.slice("/emulator/images/".length));
    }
    if (entra && EntraEndpoint.matches(path)) return entra.handle(request, path);
    if (!path.startsWith("/openai/")) return resourceNotFound();
    const auth = authOf(request);
    entry.auth = auth.kind;
    if (opts.disableLocalAuth && auth.kind === "api-key") {
      return serviceError(403, "AuthenticationTypeDisabled", KEY_AUTH_DISABLED_MESSAGE);
    }
    // With local auth disabled and an Entra endpoint, a bearer token must be one it issued.
    const keyAccepted = !(opts.disableLocalAuth && entra) && opts.apiKeys.includes(auth.value);
    if (
      auth.kind === "none" ||
      !(keyAccepted || (auth.kind === "bearer" && entra?.accepts(auth.value)))
    ) {
      return serviceError(
        401,
        "401",
        auth.kind === "bearer" ? BEARER_DENIED_MESSAGE : ACCESS_DENIED_MESSAGE,
      );
    }
    const deploymentMatch = /^\/openai\/deployments\/([^/]+)\/(.+)$/.exec(path);
    if (deploymentMatch) {
      const op = OPERATIONS[deploymentMatch[2]];
      if (!op) return resourceNotFound();
      entry.operation = op.label;
      if (request.method !== "POST") return resourceNotFound();
      const version = checkApiVersion(url, opts);
      if (version instanceof Response) return version;
      if (op.inVersion && !op.inVersion(version)) return resourceNotFound();
      let name: string;
      try {
        name = decodeURIComponent(deploymentMatch[1]);
      } catch {
        return deploymentNotFound(); // malformed percent-encoding names no deployment
      }
      return handleOperation(request, url, requestId, op, version, name, entry);
    }
    if (path.startsWith("/openai/v1/")) {
      const rest = path.slice("/openai/v1/".length);
      const v = url.searchParams.get("api-version");
      if (v !== null && !V1_VERSIONS.has(v)) {
        return serviceError(
          400,
          "BadRequest",
          `API version not supported on /openai/v1/: '${v}'. Omit api-version or use 'preview'.`,
          { param: "api-version" },
        );
      }
      if (rest === "models" && request.method === "GET") {
        return jsonResponse({
          object: "list",
          data: [...opts.deployments.values()].map((d) => ({
            id: d.name,
            object: "model",
            created: 0,
            owned_by: "emulator",
          })),
        });
      }
      const op = OPERATIONS[rest];
      if (!op || request.method !== "POST") return resourceNotFound();
      entry.operation = op.label;
      return handleOperation(request, url, requestId, op, "v1", undefined, entry);
    }
    if (
      path === "/openai/images/generations:submit" || path.startsWith("/openai/operations/images/")
    ) {
      entry.operation = "ImageOperations";
      const version = checkApiVersion(url, opts);
      if (version instanceof Response) return version;
      if (!imageOperationsInVersion(version)) return resourceNotFound();
      const injected = faults.check(opts.random);
      if (injected) return injected;
      return operations.handle(request, url, path, version);
    }
    return resourceNotFound();
  }

  function throwIfAborted(signal: AbortSignal): void {
    if (!signal.aborted) return;
    throw signal.reason instanceof Error
      ? signal.reason
      : new DOMException("The request was aborted.", "AbortError");
  }

  async function serve(input: Request | URL | string, init?: RequestInit): Promise<Response> {
    const request = input instanceof Request && init === undefined
      ? input
      : new Request(input, init);
    // Like fetch: an aborted signal rejects before anything is served.
    throwIfAborted(request.signal);
    stats.requests++;
    const requestId = randomUuid(opts.random);
    const url = new URL(request.url);
    const entry: EmulatorLogEntry = {
      method: request.method,
      path: url.pathname + url.search,
      status: 0,
      requestId,
      auth: "none",
      headers: redactedHeaders(request),
    };
    const latency = faults.faults.latencyMs ?? 0;
    if (latency > 0) {
      await opts.sleep(latency);
      throwIfAborted(request.signal);
    }
    let response: Response;
    try {
      response = await route(request, requestId, entry);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      response = serviceError(500, "InternalServerError", `Emulator bug: ${message}`);
    }
    // Azure's gateway id and its model service's differ; x-ms-client-request-id is always sent:
    // the client's, else the gateway's. The second id is derived from the first, so that it
    // draws nothing from `random` (a seeded emulator's faults and ids stay as they were).
    response.headers.set("apim-request-id", requestId);
    response.headers.set("x-request-id", randomUuid(mulberry32(fnv1a(requestId))));
    response.headers.set("x-ms-region", opts.region);
    response.headers.set(
      "x-ms-client-request-id",
      request.headers.get("x-ms-client-request-id") ?? requestId,
    );
    entry.status = response.status;
    log.push(entry);
    if (log.length > LOG_SIZE) log.shift();
    return response;
  }

  return {
    fetch: serve,
    apiKey: opts.apiKeys[0],
    apiKeys: [...opts.apiKeys],
    deployments: [...opts.deployments.values()].map((d) => ({ ...d })),
    stats,
    log,
    failNext(count: number, status = 500): void {
      checkRange("emulator.failNext(): count", count, 0, Infinity, true);
      checkRange("emulator.failNext(): status", status, 400, 599, true);
      faults.failNext(count, status);
    },
    setFaults(next: EmulatorFaults): void {
      // None (from JavaScript) clears them, as createEmulator() takes no faults.
      next ??= {};
      // Checked before anything changes: a refused call leaves the previous faults in force.
      checkFaults("emulator.setFaults(): faults.", next);
      faults.set(next);
      opts.faults = faults.faults;
    },
    reset(): void {
      limiter.reset();
      operations.reset();
      entra?.reset();
      log.length = 0;
      for (const key of Object.keys(stats) as (keyof EmulatorStats)[]) stats[key] = 0;
    },
  };
}
