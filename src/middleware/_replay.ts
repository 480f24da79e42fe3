import { REPLAY_BODY_STATE_KEY } from "./_state.ts";

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
  if (
    typeof body === "string" || body instanceof ArrayBuffer || ArrayBuffer.isView(body) ||
    body instanceof Blob || body instanceof FormData || body instanceof URLSearchParams
  ) {
    return body as BodyInit;
  }
  return undefined;
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
