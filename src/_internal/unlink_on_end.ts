// Body wrapper for calls that hand a live body to the caller (not exported from mod.ts).

/**
 * The response with `unlink` called once its body ends, fails or is cancelled: the caller's
 * signal keeps aborting the body until then, and keeps no listener afterwards.
 */
export function unlinkOnEnd(
  response: Response,
  signal: AbortSignal | undefined,
  unlink: () => void,
): Response {
  const source = response.body;
  if (signal === undefined || source === null) {
    unlink();
    return response;
  }
  const reader = source.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          unlink();
          controller.close();
        } else controller.enqueue(value);
      } catch (err) {
        unlink();
        controller.error(err);
      }
    },
    cancel(reason) {
      unlink();
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
  return new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
