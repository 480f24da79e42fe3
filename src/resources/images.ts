import type { CallResult, ClientCore } from "../_internal/core.ts";
import { sleep } from "../_internal/sleep.ts";
import { APITimeoutError, APIUserAbortError, AzureOpenAIError } from "../errors/api_error.ts";
import { onAbort } from "../middleware/_abort.ts";
import { errorFromBody, requestIdOf } from "../errors/from_response.ts";
import { parseRetryAfterMs } from "../errors/retry_after.ts";
import {
  checkCount,
  checkSignal,
  IMAGE_OPERATIONS_API_VERSION,
  type RequestOptions,
} from "../options.ts";
import type {
  ImageGenerateParams,
  ImageOperation,
  ImagesResponse,
  ImageSubmitParams,
  ImageSubmitResponse,
} from "../types/images.ts";
import { call } from "./_call.ts";
import { type APIPromise, apiPromise } from "./api_promise.ts";

/**
 * Options of {@link Images.generateAndWait}.
 *
 * @example Poll often, give up after a minute
 * ```ts
 * import { AzureOpenAI, type GenerateAndWaitOptions } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator({ operationRetryAfter: 0 }); // a stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const options: GenerateAndWaitOptions = { pollIntervalMs: 1, maxWaitMs: 60_000 };
 * const res = await client.images.generateAndWait({ prompt: "a lighthouse", n: 2 }, options);
 * console.log(res.data.length); // 2
 * ```
 */
export interface GenerateAndWaitOptions extends RequestOptions {
  /** Poll interval when the service gives no `retry-after` (default 1 000 ms). */
  pollIntervalMs?: number;
  /**
   * Give up after this long, in ms (default 300 000), with an {@link APITimeoutError} (code
   * `timeout`) that names the operation id to poll later: the submit, the polls and the retries
   * inside them (and their `retry-after` waits) all end by then. A `retry-after` that would pass
   * it ends the wait at once.
   */
  maxWaitMs?: number;
}

/** api-versions that serve the DALL-E 2 async operations. */
function operationsVersion(clientVersion: string): string {
  return /^2023-0[6-9]-\d{2}-preview$/.test(clientVersion)
    ? clientVersion
    : IMAGE_OPERATIONS_API_VERSION;
}

/** The `prompt` rule of the image operations. */
function prompt(value: unknown): string | false {
  return (typeof value !== "string" || !value.trim()) &&
    "must be a non-empty string describing the image";
}

/**
 * The `operation-location` a submit answered with, resolved against the endpoint, when it lies
 * under the client's endpoint (the key is never sent elsewhere); else `undefined`.
 */
function locationUnder(endpoint: string, location: string | null): string | undefined {
  try {
    // The endpoint is normalised (origin and path, no trailing slash).
    const url = location && new URL(location, endpoint + "/").href;
    if (url!.startsWith(endpoint + "/")) return url!;
  } catch { /* not a URL, or no header (null) */ }
}

/** Sends a request about a DALL-E 2 operation (to `url` when the service named one). */
function operation(
  core: ClientCore,
  op: string,
  method: "GET" | "DELETE",
  id: string,
  options?: RequestOptions,
  url?: string,
): Promise<CallResult> {
  // `.` and `..` would resolve the URL to another path.
  if (typeof id !== "string" || !id || /^\.\.?$/.test(id)) {
    return Promise.reject(new TypeError(`${op}: pass the operation id returned by submit()`));
  }
  return core.send({
    operation: op,
    method,
    scope: "resource",
    path: `operations/images/${encodeURIComponent(id)}`,
    apiVersion: operationsVersion(core.apiVersion),
    url,
    params: { id },
    options,
    read: method === "GET" ? "json" : "text",
  });
}

/**
 * `client.images`: DALL-E 3 generation and the DALL-E 2 async operations.
 *
 * @example An image as base64
 * ```ts
 * import { AzureOpenAI, type Images } from "@aoai/edge";
 * import { createEmulator } from "@aoai/edge/emulator";
 * const emulator = createEmulator(); // a local stand-in for your resource
 * const client = new AzureOpenAI({
 *   endpoint: "http://emulator.local",
 *   apiKey: emulator.apiKey,
 *   fetch: emulator.fetch,
 * });
 * const images: Images = client.images;
 * const res = await images.generate({
 *   model: "dall-e-3",
 *   prompt: "a watercolor lighthouse at dawn",
 *   response_format: "b64_json",
 * });
 * console.log(typeof res.data[0].b64_json); // "string"
 * ```
 */
export class Images {
  #core: ClientCore;

  /** @internal */
  constructor(core: ClientCore) {
    this.#core = core;
  }

  /**
   * Generates images (synchronous) with a DALL-E 3 or gpt-image-1 deployment (DALL-E 3 takes
   * only `n: 1`).
   *
   * @example One image as a URL
   * ```ts
   * import { AzureOpenAI } from "@aoai/edge";
   * import { createEmulator } from "@aoai/edge/emulator";
   * const emulator = createEmulator(); // a local stand-in for your resource
   * const client = new AzureOpenAI({
   *   endpoint: "http://emulator.local",
   *   apiKey: emulator.apiKey,
   *   fetch: emulator.fetch,
   * });
   * const res = await client.images.generate({ model: "dall-e-3", prompt: "a red fox" });
   * console.log(res.data[0].url, res.data[0].revised_prompt);
   * ```
   */
  generate(params: ImageGenerateParams, options?: RequestOptions): APIPromise<ImagesResponse> {
    return apiPromise(
      // No size, quality, n, style or response_format check: the service checks them against
      // the deployment's model (DALL-E 2 and 3, gpt-image-1 with its own sizes, qualities and n
      // up to 10); the spec's enums are open (x-ms-enum modelAsString).
      call(this.#core, "images.generate", "images/generations", params, options, { prompt }),
      (result) => result.data as ImagesResponse,
    );
  }

  /**
   * Starts a DALL-E 2 generation (preview async API); resolves to the 202 body `{ id, status }`
   * (the id taken from `operation-location` when the body has none, percent-decoded, or as sent
   * when that is not valid percent-encoding: then only generateAndWait(), which polls that URL,
   * reaches the operation). An answer naming no operation (neither) rejects with an
   * {@link AzureOpenAIError} carrying its status and request id.
   *
   * @example Submit and keep the id
   * ```ts
   * import { AzureOpenAI } from "@aoai/edge";
   * import { createEmulator } from "@aoai/edge/emulator";
   * const emulator = createEmulator(); // a local stand-in for your resource
   * const client = new AzureOpenAI({
   *   endpoint: "http://emulator.local",
   *   apiKey: emulator.apiKey,
   *   fetch: emulator.fetch,
   * });
   * const { id } = await client.images.submit({ prompt: "a lighthouse", n: 2, size: "512x512" });
   * console.log(id);
   * ```
   */
  submit(params: ImageSubmitParams, options?: RequestOptions): APIPromise<ImageSubmitResponse> {
    return apiPromise(
      this.#submit(params, options),
      (result) => result.data as ImageSubmitResponse,
    );
  }

  /** Submits; the result also has the 202 response (its `operation-location` and `retry-after`). */
  async #submit(params: ImageSubmitParams, options?: RequestOptions): Promise<CallResult> {
    const result = await call(
      this.#core,
      "images.submit",
      "images/generations:submit",
      params,
      options,
      {
        n: [1, 5, 1],
        size: (size) =>
          size != null && !["256x256", "512x512", "1024x1024"].includes(size as string) &&
          `must be one of "256x256", "512x512", "1024x1024"; got ${JSON.stringify(size)}`,
        prompt,
      },
      () => ({ apiVersion: operationsVersion(this.#core.apiVersion) }),
      false,
    );
    // A JSON body that is no object (`null`, a string) is made one, so it can take the id.
    const body: ImageSubmitResponse = result.data = Object(result.data);
    const { headers, status } = result.response;
    const id = headers.get("operation-location")?.match(/operations\/images\/([^/?]+)/)?.[1];
    try {
      body.id ||= (id && decodeURIComponent(id))!;
    } catch {
      // Not valid percent-encoding: kept as sent (the operation exists; generateAndWait() polls
      // operation-location itself).
      body.id = id!;
    }
    // With no id there is nothing to poll or delete: the service's error, not the caller's.
    if (!body.id) {
      throw errorFromBody(
        status,
        "no operation id or operation-location",
        { operation: "images.submit" },
        headers,
      );
    }
    return result;
  }

  /**
   * Reads the state of a DALL-E 2 operation.
   *
   * @example Poll once
   * ```ts
   * import { AzureOpenAI } from "@aoai/edge";
   * import { createEmulator } from "@aoai/edge/emulator";
   * const emulator = createEmulator(); // a local stand-in for your resource
   * const client = new AzureOpenAI({
   *   endpoint: "http://emulator.local",
   *   apiKey: emulator.apiKey,
   *   fetch: emulator.fetch,
   * });
   * const { id } = await client.images.submit({ prompt: "a lighthouse" });
   * const op = await client.images.getOperation(id);
   * console.log(op.status === "succeeded" ? op.result?.data[0].url : `still ${op.status}`);
   * // still notRunning
   * ```
   */
  getOperation(id: string, options?: RequestOptions): APIPromise<ImageOperation> {
    return apiPromise(
      operation(this.#core, "images.getOperation", "GET", id, options),
      (result) => result.data as ImageOperation,
    );
  }

  /**
   * Deletes a DALL-E 2 operation and its images. The service deletes only an operation that has
   * finished (succeeded or failed); one still queued or running answers 409 (`ConflictError`).
   * 409 is one of the statuses the default `retry()` retries, so that DELETE is sent 3 times, with
   * backoff between (about 0.75 s in all on average, at most 1.5 s), before the `ConflictError`:
   * delete once {@link getOperation} says the operation ended, or pass `{ maxRetries: 0 }` to get
   * the 409 at once (that call then retries no 429 or 5xx either).
   *
   * @example Delete an operation once it has finished
   * ```ts
   * import { AzureOpenAI } from "@aoai/edge";
   * import { createEmulator } from "@aoai/edge/emulator";
   * // A local stand-in for your resource whose operations finish at the first poll.
   * const emulator = createEmulator({ operationPolls: 0 });
   * const client = new AzureOpenAI({
   *   endpoint: "http://emulator.local",
   *   apiKey: emulator.apiKey,
   *   fetch: emulator.fetch,
   * });
   * const { id } = await client.images.submit({ prompt: "a lighthouse" });
   * console.log((await client.images.getOperation(id)).status); // "succeeded"
   * await client.images.deleteOperation(id);
   * ```
   */
  deleteOperation(id: string, options?: RequestOptions): APIPromise<void> {
    return apiPromise(
      operation(this.#core, "images.deleteOperation", "DELETE", id, options),
      () => undefined,
    );
  }

  /**
   * Submits a DALL-E 2 generation and polls `operation-location` until it ends, honouring
   * `retry-after`; resolves to `{ created, data }` like {@link generate}. Abort with `signal`;
   * past `maxWaitMs` it rejects with an {@link APITimeoutError} naming the operation. Statuses are
   * read in any case (`"Succeeded"` ends the wait as `"succeeded"` does, as Azure's own pollers
   * read them); `failed`, `canceled`, `deleted` (or a body whose status is missing or `null`,
   * which the spec does not allow) reject with an {@link AzureOpenAIError} carrying the
   * operation's error code (else its status) and the request id. A status this client does not
   * know (the spec's status enum is open: a newer one) is taken as still running: the wait polls
   * on until the operation ends or `maxWaitMs` passes.
   *
   * @example Generate and wait
   * ```ts
   * import { AzureOpenAI } from "@aoai/edge";
   * import { createEmulator } from "@aoai/edge/emulator";
   * // A local stand-in for your resource that asks for no wait between polls.
   * const emulator = createEmulator({ operationRetryAfter: 0 });
   * const client = new AzureOpenAI({
   *   endpoint: "http://emulator.local",
   *   apiKey: emulator.apiKey,
   *   fetch: emulator.fetch,
   * });
   * const res = await client.images.generateAndWait({ prompt: "a lighthouse" });
   * console.log(res.data[0].url);
   * ```
   */
  async generateAndWait(
    params: ImageSubmitParams,
    options: GenerateAndWaitOptions = {},
  ): Promise<ImagesResponse> {
    const core = this.#core;
    const where = "images.generateAndWait";
    const maxWait = checkCount(options.maxWaitMs ?? 300_000, "maxWaitMs", where);
    const interval = checkCount(options.pollIntervalMs ?? 1_000, "pollIntervalMs", where);
    const deadline = Date.now() + maxWait;
    const user = options.signal;
    // Checked as a call's own signal is: it is linked here, not by the calls.
    checkSignal(user, where);
    // The whole wait ends by maxWaitMs: the submit, the polls and the retries (with their
    // retry-after waits) inside each run under a signal that aborts then, or with the caller's.
    const timer = new AbortController();
    const signal = timer.signal;
    const unhook = onAbort(user, () => timer.abort(user!.reason));
    // Ended by the abort in `finally` when the wait ends first.
    sleep(maxWait, signal).then(() => timer.abort(), unhook);
    options = { ...options, signal };
    let last: ImageOperation | ImageSubmitResponse | undefined;
    let id: string | undefined;
    try {
      let { response, data } = await this.#submit(params, options);
      ({ id } = last = data as ImageSubmitResponse);
      // Polls where the service said the operation lives (with that URL's api-version).
      const location = locationUnder(core.endpoint, response.headers.get("operation-location"));
      let wait = parseRetryAfterMs(response.headers) ?? 0;
      for (;;) {
        // A wait that would pass the deadline ends the wait at once.
        if (Date.now() + wait > deadline) timer.abort();
        // Also with no wait: a fetch that ignores the signal must not let the polls go on.
        await sleep(wait, signal).catch((cause) => {
          throw new APIUserAbortError(
            `${where} was aborted while waiting for operation ${id}`,
            { cause },
          );
        });
        ({ response, data } = await operation(
          core,
          "images.getOperation",
          "GET",
          id!,
          options,
          location,
        ));
        const body = last = data as ImageOperation & {
          error?: { code?: string; message?: string };
        };
        // A body that is no operation (`null`, no status) ends the wait with a typed error.
        const { status, result, error } = Object(body);
        // The end statuses in any case, as Azure's own pollers read them (`undefined`, `null`: a
        // body with no status, which the spec requires); one the client does not know (the
        // spec's enum is an open one: a newer one) polls on, as notRunning and running do.
        if (/^(succeeded|failed|canceled|deleted|undefined|null)$/i.test(status)) {
          // Succeeded: the service's result may carry only `data`; `created` is then the
          // operation's.
          if (/^s/i.test(status) && result) {
            return { ...result, created: result.created ?? body.created };
          }
          const requestId = requestIdOf(response.headers);
          throw new AzureOpenAIError(
            `${where}: operation ${id} ${
              status == null ? "answered no status" : "ended with status " + status
            }${
              error?.message ? `: ${error.message}` : /^s/i.test(status) ? " without a result" : ""
            }${requestId ? ` [request id ${requestId}]` : ""}`,
            { code: error?.code ?? status, body, requestId, headers: response.headers },
          );
        }
        wait = parseRetryAfterMs(response.headers) ?? interval;
      }
    } catch (err) {
      // Past the deadline (and not the caller's abort): whatever the abort caused is a timeout.
      throw core.scrub(
        signal.aborted && !user?.aborted
          ? new APITimeoutError(
            `${where}: ${
              last
                ? `operation ${id} still ${last.status} after ${maxWait} ms; raise maxWaitMs or poll with getOperation()`
                : `the submit got no 202 after ${maxWait} ms; raise maxWaitMs`
            }`,
            { code: "timeout", body: last },
          )
          : err,
      );
    } finally {
      timer.abort(unhook());
    }
  }
}
