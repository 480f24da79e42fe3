// Body wrappers for calls that hand a live body to the caller (not exported from mod.ts).

/**
 * The response with `done` called once its body ends, fails (with the error; what it returns, if
 * anything, is the error the reader gets) or is cancelled (at once if there is no body).
 */
export function onBodyEnd(response: Response, done: (err?: unknown) => unknown): Response {
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
        controller.error(done(err) ?? err);
      }
    },
    cancel(reason) {
      done();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
  return new Response(body, response);
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
