import { apiKeyAuth, tokenAuth } from "../auth/auth_middleware.ts";
import { AzureOpenAIError } from "../errors/api_error.ts";
import { errorFromResponse } from "../errors/from_response.ts";
import { redactSecrets } from "../errors/redact.ts";
import { headerSecrets } from "../middleware/_redact.ts";
import { compose } from "../middleware/compose.ts";
import { builtinKind } from "../middleware/_kind.ts";
import { retry } from "../middleware/retry.ts";
import { CallContext } from "../middleware/_replay.ts";
import { endParked, failParked, PARKED_STATE_KEY } from "../middleware/_deadline.ts";
import { onBodyEnd } from "./on_body_end.ts";
import { timeout } from "../middleware/timeout.ts";
import type { Middleware, MiddlewareContext, Terminal } from "../middleware/types.ts";
import {
  type AzureOpenAIOptions,
  checkApiVersion,
  checkCount,
  DEFAULT_API_VERSION,
  type RequestOptions,
} from "../options.ts";
import { createTerminal, type FetchLike } from "../transport/send.ts";
import { buildUrl, normaliseEndpoint, type Scope } from "../transport/url.ts";

/** One call as a resource describes it. */
export interface CallSpec {
  operation: string;
  method: "GET" | "POST" | "DELETE";
  scope: Scope;
  path: string;
  /** Deployment (already resolved) for deployment-scoped calls. */
  deployment?: string;
  /** api-version to use when the call does not override it. */
  apiVersion?: string;
  /** JSON body (serialised here) or a ready body such as FormData. */
  json?: unknown;
  body?: BodyInit;
  params?: unknown;
  stream?: boolean;
  replayable?: boolean;
  accept?: string;
  /** Content type of a ready `body`. */
  contentType?: string;
  options?: RequestOptions;
  /**
   * Reads a successful non-stream body as JSON or text into {@link CallResult.data}, inside the
   * call's deadlines (`timeout()` keeps an attempt's deadline running until the body was read).
   */
  read?: "json" | "text";
}

/** What the pipeline returns for a successful call. */
export interface CallResult {
  /**
   * The response. With {@link CallSpec.read} its body was read into `data`; otherwise a body
   * still under a deadline ends it once read, ended or cancelled.
   */
  response: Response;
  /** The body read as {@link CallSpec.read} asked. */
  data?: unknown;
  /** Aborts the body (used by streams for cancellation). */
  controller: AbortController;
  idleTimeoutMs: number | undefined;
  /**
   * Unlinks `controller` from the caller's signal. A stream call must call it once its body is
   * done (or hand the link on): the listener would stay on a long-lived signal otherwise.
   */
  unlink: () => void;
}

/** Shared state and request pipeline of one client; resources call `send()`. */
export class ClientCore {
  declare readonly endpoint: string;
  declare readonly apiVersion: string;
  declare readonly deployment: string | undefined;
  declare readonly maxRetries: number;
  declare readonly timeoutMs: number;
  declare readonly streamIdleTimeoutMs: number | undefined;
  readonly #fetch: FetchLike;
  readonly #headers: Record<string, string>;
  readonly #middleware: Middleware[];
  readonly #auth: Middleware;
  readonly #terminal: Terminal;
  /** The composed default pipeline (calls without per-call middleware). */
  readonly #run: (ctx: MiddlewareContext) => Promise<Response>;
  readonly #secrets: string[];
  /** Credential values of `defaultHeaders` (e.g. an APIM gateway key). */
  readonly #headerSecrets: string[];

  constructor(options: AzureOpenAIOptions) {
    const where = "AzureOpenAI";
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`${where}: pass an options object with endpoint and apiKey or token`);
    }
    this.endpoint = normaliseEndpoint(options.endpoint, options.resourceName);
    const kinds = (["apiKey", "token", "tokenProvider"] as const).filter((k) =>
      options[k] !== undefined
    );
    const userMiddleware = options.middleware ?? [];
    if (!Array.isArray(userMiddleware) || userMiddleware.some((m) => typeof m !== "function")) {
      throw new TypeError(`${where}: middleware must be an array of functions`);
    }
    const userAuth = userMiddleware.some((m) => builtinKind(m) === "auth");
    if (kinds.length > 1) {
      throw new TypeError(
        `${where}: pass exactly one of apiKey, token or tokenProvider; got ${kinds.join(" and ")}`,
      );
    }
    if (kinds.length === 0 && !userAuth) {
      throw new TypeError(
        `${where}: no credentials; pass apiKey (the resource's key), token or tokenProvider ` +
          "(Entra ID)",
      );
    }
    this.#secrets = [];
    for (const kind of ["apiKey", "token"] as const) {
      const value = options[kind];
      if (value === undefined) continue;
      if (typeof value !== "string" || value.trim() === "") {
        throw new TypeError(`${where}: ${kind} must be a non-empty string`);
      }
      // Header values go out trimmed: that form is what an echo of the header would show.
      this.#secrets.push(value, value.trim());
    }
    const secret = this.#secrets[0];
    if (options.apiKey !== undefined) {
      this.#auth = apiKeyAuth(secret);
    } else if (options.token !== undefined) {
      this.#auth = tokenAuth(secret);
    } else if (options.tokenProvider !== undefined) {
      if (typeof options.tokenProvider !== "function") {
        throw new TypeError(`${where}: tokenProvider must be a function returning a token`);
      }
      const provider = options.tokenProvider;
      this.#auth = tokenAuth(async () => {
        const value = await provider();
        const t = typeof value === "string" ? value : value?.token;
        if (typeof t === "string" && !this.#secrets.includes(t)) {
          this.#secrets.push(t);
          if (this.#secrets.length > 8) this.#secrets.shift();
        }
        return value;
      });
    } else {
      this.#auth = (_ctx, next) => next();
    }
    this.apiVersion = checkApiVersion(options.apiVersion ?? DEFAULT_API_VERSION, where);
    this.deployment = options.deployment;
    if (
      this.deployment !== undefined && (typeof this.deployment !== "string" || !this.deployment)
    ) {
      throw new TypeError(`${where}: deployment must be a non-empty string`);
    }
    this.maxRetries = checkCount(options.maxRetries ?? 2, "maxRetries", where);
    this.timeoutMs = checkCount(options.timeoutMs ?? 600_000, "timeoutMs", where);
    this.streamIdleTimeoutMs = options.streamIdleTimeoutMs === undefined
      ? undefined
      : checkCount(options.streamIdleTimeoutMs, "streamIdleTimeoutMs", where);
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== "function") throw new TypeError(`${where}: fetch must be a function`);
    this.#fetch = options.fetch ? fetchImpl : (req, init) => globalThis.fetch(req, init);
    this.#headers = headerRecord(options.defaultHeaders, `${where}: defaultHeaders`);
    this.#headerSecrets = headerSecrets(new Headers(this.#headers));
    this.#middleware = userMiddleware.slice();
    // The global fetch takes the parts of a request no layer has built (see CallContext); an
    // injected fetch always gets a Request.
    this.#terminal = createTerminal(
      this.#fetch,
      options.fetch ? undefined : (url, init) => globalThis.fetch(url, init),
    );
    this.#run = compose(this.#stack(undefined), this.#terminal);
  }

  /** Resolves the deployment for a deployment-scoped call, or throws before any request. */
  resolveDeployment(model: unknown, operation: string): string {
    if (typeof model === "string" && model !== "") return model;
    if (model !== undefined && model !== null) {
      throw new TypeError(`${operation}: params.model must be a deployment name (string)`);
    }
    if (this.deployment) return this.deployment;
    throw new TypeError(
      `${operation}: no deployment; pass params.model (the deployment name) or set ` +
        "`deployment` in the AzureOpenAI options",
    );
  }

  /** Removes every known secret (and the `extra` ones) from a text. */
  redact(text: string, extra: readonly string[] = []): string {
    return redactSecrets(text, [...this.#secrets, ...this.#headerSecrets, ...extra]);
  }

  /** Runs one call through the pipeline; resolves to a 2xx response or throws a typed error. */
  send(spec: CallSpec): Promise<CallResult> {
    return this.#scrubbed(spec, true);
  }

  /** Runs one call through the pipeline and resolves to the response, whatever its status. */
  sendRaw(spec: CallSpec): Promise<CallResult> {
    return this.#scrubbed(spec, false);
  }

  /** {@link ClientCore.send} with every known secret removed from what it throws. */
  async #scrubbed(spec: CallSpec, throwOnError: boolean): Promise<CallResult> {
    try {
      return await this.#send(spec, throwOnError);
    } catch (err) {
      let extra: string[] = [];
      try {
        // Credentials the call's own headers carry (a malformed record failed the call earlier).
        if (spec.options?.headers) extra = headerSecrets(new Headers(spec.options.headers));
      } catch { /* nothing sent, nothing to scrub */ }
      if (err instanceof AzureOpenAIError) {
        for (const field of ["body", "innerError", "contentFilterResults"] as const) {
          const value: unknown = err[field];
          if (value === undefined) continue;
          const text = JSON.stringify(value);
          const clean = this.redact(text, extra);
          if (clean !== text) {
            Object.defineProperty(err, field, { value: JSON.parse(clean), configurable: true });
          }
        }
      }
      if (err instanceof Error) {
        for (const field of ["message", "stack"] as const) {
          const text = err[field];
          if (typeof text !== "string") continue;
          const clean = this.redact(text, extra);
          if (clean !== text) {
            Object.defineProperty(err, field, { value: clean, configurable: true, writable: true });
          }
        }
        // Inspecting an error prints its cause too (e.g. an injected fetch's failure).
        const cause = this.#scrubCause(err.cause, extra, 0);
        if (cause !== err.cause) {
          Object.defineProperty(err, "cause", { value: cause, configurable: true, writable: true });
        }
      }
      throw err;
    }
  }

  /**
   * A cause with every known secret removed: the same value when it holds none, else a copy
   * (an Error keeps its class, name and scrubbed message, stack and cause).
   */
  #scrubCause(cause: unknown, extra: readonly string[], depth: number): unknown {
    if (typeof cause === "string") return this.redact(cause, extra);
    if (!(cause instanceof Error) || depth > 8) return cause;
    const inner = this.#scrubCause(cause.cause, extra, depth + 1);
    const message = this.redact(cause.message, extra);
    const stack = cause.stack && this.redact(cause.stack, extra);
    if (inner === cause.cause && message === cause.message && stack === cause.stack) return cause;
    const copy = new Error(message, "cause" in cause ? { cause: inner } : undefined);
    Object.setPrototypeOf(copy, Object.getPrototypeOf(cause));
    copy.stack = stack;
    if (Object.hasOwn(cause, "name")) copy.name = this.redact(String(cause.name), extra);
    return copy;
  }

  async #send(spec: CallSpec, throwOnError: boolean): Promise<CallResult> {
    const opts = spec.options ?? {};
    const where = spec.operation;
    const apiVersion = opts.apiVersion !== undefined
      ? checkApiVersion(opts.apiVersion, where)
      : spec.apiVersion ?? this.apiVersion;
    const url = buildUrl({
      endpoint: this.endpoint,
      apiVersion,
      scope: spec.scope,
      deployment: spec.deployment,
      path: spec.path,
    });
    // A plain record, not Headers: it is cheaper to build and for fetch to read.
    const headers = { ...this.#headers };
    if (opts.headers) Object.assign(headers, headerRecord(opts.headers, `${where}: headers`));
    headers.accept = spec.accept ?? "application/json";
    let body: BodyInit | undefined = spec.body;
    if (spec.contentType) headers["content-type"] = spec.contentType;
    if (spec.json !== undefined) {
      body = JSON.stringify(spec.json);
      headers["content-type"] = "application/json";
    }
    const stream = spec.stream ?? false;
    const controller = new AbortController();
    const userSignal = opts.signal;
    // A stream is cancelled through `controller` (linked to the caller's signal). Other calls
    // pass the caller's signal as it is, or none: fetch spends µs on every signal it gets.
    const onAbort = () => controller.abort(userSignal?.reason);
    if (stream) {
      if (userSignal?.aborted) controller.abort(userSignal.reason);
      userSignal?.addEventListener("abort", onAbort, { once: true });
    }
    const state: Record<string, unknown> = { [PARKED_STATE_KEY]: [] };
    const ctx = new CallContext({ url, method: spec.method, headers, body }, {
      operation: spec.operation,
      deployment: spec.deployment,
      apiVersion,
      params: spec.params,
      attempt: 1,
      signal: stream ? controller.signal : userSignal,
      stream,
      replayable: spec.replayable ?? true,
      options: {
        timeoutMs: opts.timeoutMs !== undefined
          ? checkCount(opts.timeoutMs, "timeoutMs", where)
          : this.timeoutMs,
        maxRetries: opts.maxRetries !== undefined
          ? checkCount(opts.maxRetries, "maxRetries", where)
          : this.maxRetries,
      },
      state,
    });
    const run = opts.middleware?.length
      ? compose(this.#stack(opts.middleware), this.#terminal)
      : this.#run;
    try {
      let response = await run(ctx);
      if (!response.ok && throwOnError) {
        // The error body is read still linked to the caller's signal (and, for a stream too,
        // under timeout()'s deadline): a body that stalls must not hang the call.
        throw await errorFromResponse(response, { operation: where, method: spec.method, url });
      }
      let data: unknown;
      if (spec.read && !stream && response.ok) {
        try {
          data = await response[spec.read]();
        } catch (err) {
          throw failParked(state, err);
        }
        endParked(state);
      } else if ((state[PARKED_STATE_KEY] as unknown[]).length) {
        // timeout() left its deadline running for the body: end it once the body was read.
        response = onBodyEnd(response, (err) => {
          if (err === undefined) return endParked(state);
          return failParked(state, err);
        });
      }
      return {
        response,
        data,
        controller,
        idleTimeoutMs: opts.streamIdleTimeoutMs ?? this.streamIdleTimeoutMs,
        unlink: () => userSignal?.removeEventListener("abort", onAbort),
      };
    } catch (err) {
      endParked(state);
      userSignal?.removeEventListener("abort", onAbort);
      throw err;
    }
  }

  #stack(callMiddleware: Middleware[] | undefined): Middleware[] {
    const user = callMiddleware?.length
      ? [...this.#middleware, ...callMiddleware]
      : this.#middleware;
    const has = (kind: string) => user.some((m) => builtinKind(m) === kind);
    const stack = user.slice();
    if (!has("retry")) stack.push(DEFAULT_RETRY);
    if (!has("timeout")) stack.push(DEFAULT_TIMEOUT);
    if (!has("auth")) stack.push(this.#auth);
    return stack;
  }
}

/**
 * Validated headers as a record with lower-case names (what `Headers` would send), so a bad name
 * or value fails here with a TypeError instead of inside fetch.
 */
function headerRecord(
  init: Record<string, string> | undefined,
  where: string,
): Record<string, string> {
  const record: Record<string, string> = {};
  if (init === undefined) return record;
  let headers: Headers;
  try {
    headers = new Headers(init);
  } catch (err) {
    throw new TypeError(
      `${where} must map header names to string values without line breaks ` +
        `(${err instanceof Error ? err.message : String(err)})`,
    );
  }
  for (const [name, value] of headers) record[name] = value;
  return record;
}

const DEFAULT_RETRY = retry();
const DEFAULT_TIMEOUT = timeout();

/** True when a value is one of this library's errors. */
export function isLibraryError(err: unknown): err is AzureOpenAIError {
  return err instanceof AzureOpenAIError;
}
