import { describeSite } from "../errors/from_response.ts";
import { REPLAY_BODY_STATE_KEY } from "./_state.ts";
import type { CallSettings, MiddlewareContext } from "./types.ts";

interface ReplayRecord {
  request?: unknown;
  body?: unknown;
}

/**
 * The recorded body `request` was built from (see {@link REPLAY_BODY_STATE_KEY}), when it can be
 * sent again; `undefined` when the request was replaced by a middleware or the body is a stream.
 */
export function replaySource(
  state: Record<string, unknown>,
  request: Request,
): BodyInit | undefined {
  const record = state[REPLAY_BODY_STATE_KEY];
  if (typeof record !== "object" || record === null) return undefined;
  const { request: recorded, body } = record as ReplayRecord;
  if (recorded !== request) return undefined;
  return isReplayableBody(body) ? body as BodyInit : undefined;
}

/**
 * A fresh request like `original` with `body`. With `state`, the copy becomes the recorded
 * request, so inner layers (e.g. token auth resending after a 401) can replay it too.
 */
export function rebuildRequest(
  original: Request,
  body: BodyInit,
  state?: Record<string, unknown>,
): Request {
  let headers = original.headers;
  if (body instanceof FormData) {
    // FormData gets a new multipart boundary: let the Request set its content type.
    headers = new Headers(headers);
    headers.delete("content-type");
  }
  const copy = new Request(original.url, {
    method: original.method,
    headers,
    body,
    redirect: original.redirect,
  });
  const record = state?.[REPLAY_BODY_STATE_KEY];
  if (typeof record === "object" && record !== null) (record as ReplayRecord).request = copy;
  return copy;
}

/** True for bodies that can be sent again as they are (not a one-shot stream). */
export function isReplayableBody(body: unknown): boolean {
  return typeof body === "string" || body instanceof ArrayBuffer || ArrayBuffer.isView(body) ||
    body instanceof Blob || body instanceof FormData || body instanceof URLSearchParams;
}

/** A request described by its parts, before (or instead of) becoming a `Request`. */
export interface RequestParts {
  readonly url: string;
  readonly method: string;
  /** Header names are lower-case; layers set credentials here while the request is unbuilt. */
  readonly headers: Record<string, string>;
  readonly body: BodyInit | undefined;
}

/** The fields of a {@link CallContext} besides the request. */
export type CallFields = Omit<MiddlewareContext, "request">;

/**
 * The context the client passes down. `request` is built from {@link RequestParts} only when a
 * layer reads it: building a `Request` costs more than the rest of the pipeline together in Deno
 * (~15 µs), and fetch builds its own `Request` from it again. While no layer did, the built-in
 * layers change the parts and the terminal sends them with `fetch(url, init)`.
 */
export class CallContext implements MiddlewareContext {
  declare readonly operation: string;
  declare readonly deployment: string | undefined;
  declare readonly apiVersion: string;
  declare readonly params: unknown;
  declare attempt: number;
  declare signal: AbortSignal | undefined;
  declare readonly stream: boolean;
  declare readonly replayable: boolean;
  declare readonly options: Readonly<CallSettings>;
  declare readonly state: Record<string, unknown>;
  /** What the request is made of. */
  declare readonly parts: RequestParts;
  #request: Request | undefined;

  /** Describes one call. */
  constructor(parts: RequestParts, fields: CallFields) {
    this.parts = parts;
    this.operation = fields.operation;
    this.deployment = fields.deployment;
    this.apiVersion = fields.apiVersion;
    this.params = fields.params;
    this.attempt = fields.attempt;
    this.signal = fields.signal;
    this.stream = fields.stream;
    this.replayable = fields.replayable;
    this.options = fields.options;
    this.state = fields.state;
  }

  /** The request, built from the parts on first use (its body recorded for replays). */
  get request(): Request {
    if (this.#request === undefined) {
      const { url, method, headers, body } = this.parts;
      const request = new Request(url, { method, headers, body });
      if (body !== undefined) this.state[REPLAY_BODY_STATE_KEY] = { request, body };
      this.#request = request;
    }
    return this.#request;
  }

  set request(request: Request) {
    this.#request = request;
  }

  /** The parts, while no layer has read or replaced `request`. */
  get unbuilt(): RequestParts | undefined {
    return this.#request === undefined ? this.parts : undefined;
  }

  /** Drops a request an earlier attempt's layers built or set: the next one starts from parts. */
  restart(): void {
    this.#request = undefined;
  }
}

/** The request parts of a client context whose `request` no layer has read or replaced yet. */
export function unbuiltParts(ctx: MiddlewareContext): RequestParts | undefined {
  return ctx instanceof CallContext ? ctx.unbuilt : undefined;
}

/** Lets the next attempt start from the parts again (see {@link CallContext.restart}). */
export function restartRequest(ctx: MiddlewareContext): void {
  if (ctx instanceof CallContext) ctx.restart();
}

/** `"operation: METHOD url"` of a context, for messages (without building its request). */
export function siteOf(ctx: MiddlewareContext): string {
  const { method, url } = unbuiltParts(ctx) ?? ctx.request;
  return describeSite({ operation: ctx.operation, method, url });
}

/**
 * Sets header `name` (lower-case) and drops header `drop`, on the unbuilt parts of a client
 * context or on its built request.
 */
export function setHeader(ctx: MiddlewareContext, name: string, value: string, drop: string): void {
  const parts = unbuiltParts(ctx);
  if (parts !== undefined) {
    delete parts.headers[drop];
    parts.headers[name] = value;
  } else {
    ctx.request.headers.delete(drop);
    ctx.request.headers.set(name, value);
  }
}

/**
 * How to send a request again after an attempt, or `undefined` when its body cannot be sent
 * again without having been buffered up front. `sent` is the request the attempt was given, or
 * `undefined` when it started from the parts of a client context (the parts are sent afresh).
 */
export function resender(
  ctx: MiddlewareContext,
  sent: Request | undefined,
): (() => void) | undefined {
  if (sent === undefined) {
    const body = (ctx as CallContext).parts.body;
    return body === undefined || isReplayableBody(body) ? () => restartRequest(ctx) : undefined;
  }
  const hasBody = sent.method !== "GET" && sent.method !== "HEAD" && sent.method !== "DELETE";
  const source = hasBody ? replaySource(ctx.state, sent) : undefined;
  if (hasBody && source === undefined) return undefined;
  return () => {
    ctx.request = source === undefined
      ? new Request(sent)
      : rebuildRequest(sent, source, ctx.state);
  };
}
