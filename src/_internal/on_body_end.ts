// Body wrappers for calls that hand a live body to the caller (not exported from mod.ts).

/** The response with `done` called once its body ends, fails or is cancelled (at once if none). */
export function onBodyEnd(response: Response, done: () => void): Response {
  const source = response.body;
  if (source === null) {
    done();
    return response;
  }
  const reader = source.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: ended, value } = await reader.read();
        if (ended) {
          done();
          controller.close();
        } else controller.enqueue(value);
      } catch (err) {
        done();
        controller.error(err);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/**
 * The response with `unlink` called once its body ends, fails or is cancelled: the caller's
 * signal keeps aborting the body until then, and keeps no listener afterwards.
 */
export function unlinkOnEnd(
  response: Response,
  signal: AbortSignal | undefined,
  unlink: () => void,
): Response {
  if (signal === undefined) {
    unlink();
    return response;
  }
  return onBodyEnd(response, unlink);
}
