import { describeSite, type ErrorSite } from "../errors/from_response.ts";
import { APIUserAbortError } from "../errors/api_error.ts";
import { onAbort } from "./_abort.ts";
import type { CallSettings, MiddlewareContext } from "./types.ts";

/** A request described by its parts, before (or instead of) becoming a `Request`. */
export interface RequestParts {
  readonly url: string;
  readonly method: string;
  /** Header names are lower-case; layers set credentials here while the request is unbuilt. */
  readonly headers: Record<string, string>;
  readonly body: BodyInit | undefined;
  /** The client sets "half": Node's and browsers' fetch refuse a stream body without it. */
  readonly duplex?: "half";
  /** The client sets "manual": a redirect would take the credentials along. */
  readonly redirect?: RequestRedirect;
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
  /** What the request is made of (replaced by `retry()` and token auth when they resend). */
  declare parts: RequestParts;
  /** The request layers see: built from the parts or set by a layer. */
  #request: Request | undefined;
  /** The request last built from the parts (its body is `parts.body`, not read yet). */
  #built: Request | undefined;

  /** Describes one call. */
  constructor(parts: RequestParts, fields: CallFields) {
    this.parts = parts;
    Object.assign(this, fields);
  }

  /** The request, built from the parts on first use. */
  get request(): Request {
    return this.#request ??= this.#built = new Request(this.parts.url, this.parts);
  }

  set request(request: Request) {
    this.#request = request;
  }

  /** The parts, while no layer has read or replaced `request`. */
  get unbuilt(): RequestParts | undefined {
    return this.#request ? undefined : this.parts;
  }

  /** The parts, while `request` is unbuilt or was built from them (its headers may differ). */
  get source(): RequestParts | undefined {
    return this.#request === this.#built ? this.parts : undefined;
  }

  /** Sends `parts` from now on: drops any request a layer built or set. */
  restart(parts: RequestParts): void {
    this.parts = parts;
    this.#request = undefined;
  }
}

/** The request parts of a client context whose `request` no layer has read or replaced yet. */
export function unbuiltParts(ctx: MiddlewareContext): RequestParts | undefined {
  return ctx instanceof CallContext ? ctx.unbuilt : undefined;
}

/** The body the client built the request from, when it is a string (see CallContext.source). */
export function sourceText(ctx: MiddlewareContext): string | undefined {
  const body = ctx instanceof CallContext ? ctx.source?.body : undefined;
  return typeof body === "string" ? body : undefined;
}

/** True for bodies that can be sent again as they are (not a one-shot stream). */
export function isReplayableBody(body: unknown): boolean {
  return body === undefined || typeof body === "string" || body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) || body instanceof Blob || body instanceof FormData ||
    body instanceof URLSearchParams;
}

/**
 * Parts that send the context's request again, or `undefined` when its body cannot be sent
 * twice. Synchronous for a client context whose request no layer has replaced; otherwise the
 * request's body is read into bytes (then send with {@link resend}, the request is used up).
 */
export function snapshot(
  ctx: MiddlewareContext,
): RequestParts | undefined | Promise<RequestParts | undefined> {
  const unbuilt = unbuiltParts(ctx);
  if (unbuilt) return isReplayableBody(unbuilt.body) ? unbuilt : undefined;
  const source = ctx instanceof CallContext ? ctx.source : undefined;
  const request = ctx.request;
  const body = source?.body;
  const headers = Object.fromEntries(request.headers);
  const parts = (body?: BodyInit): RequestParts => ({
    url: request.url,
    method: request.method,
    headers,
    body,
    // The client's "manual": a followed redirect would take the key along.
    redirect: request.redirect,
  });
  if (source) {
    // FormData gets a new multipart boundary when sent again: let fetch set its content type.
    if (body instanceof FormData) delete headers["content-type"];
    return isReplayableBody(body) ? parts(body) : undefined;
  }
  if (request.body === null) return parts();
  // A body a layer streams may stall: the call's signal (the caller's, or timeout()'s deadline
  // inside it) ends the wait, as it would end the upload.
  const signal = ctx.signal;
  return ctx.replayable
    ? new Promise((resolve, reject) =>
      request.arrayBuffer().then(parts).then(resolve, reject).finally(
        onAbort(signal, () =>
          reject(
            new APIUserAbortError(`${siteOf(ctx)} was aborted by the caller`, {
              cause: signal!.reason,
            }),
          )),
      )
    )
    : undefined;
}

/** Makes the next attempt send `parts` (a fresh `Request` for a context the client did not make). */
export function resend(ctx: MiddlewareContext, parts: RequestParts): void {
  if (ctx instanceof CallContext) ctx.restart(parts);
  else ctx.request = new Request(parts.url, parts);
}

/** The operation, method and url of a context, for errors (without building its request). */
export function siteParts(ctx: MiddlewareContext): ErrorSite {
  const { method, url } = unbuiltParts(ctx) ?? ctx.request;
  return { operation: ctx.operation, method, url };
}

/** `"operation: METHOD url"` of a context, for messages (without building its request). */
export function siteOf(ctx: MiddlewareContext): string {
  return describeSite(siteParts(ctx));
}

/**
 * Sets header `name` (lower-case) and drops header `drop`, on the unbuilt parts of a client
 * context or on its built request.
 */
export function setHeader(ctx: MiddlewareContext, name: string, value: string, drop: string): void {
  const headers = unbuiltParts(ctx)?.headers;
  if (headers) {
    delete headers[drop];
    headers[name] = value;
  } else {
    ctx.request.headers.delete(drop);
    ctx.request.headers.set(name, value);
  }
}
