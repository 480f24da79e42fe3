// Serves a web-standard `fetch(request) => Response` handler with node:http on 127.0.0.1:0.
// IncomingMessage -> Request (body streamed, duplex "half"); Response -> ServerResponse
// (body streamed chunk by chunk; an erroring body destroys the socket so the client sees a
// network error; a client disconnect cancels the body so the handler sees the cancel).
import { createServer } from "node:http";
import { Readable } from "node:stream";

/**
 * @param {(request: Request) => Promise<Response>} handler
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export function serve(handler) {
  const server = createServer(async (req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method,
      headers,
      body: hasBody ? Readable.toWeb(req) : undefined,
      duplex: hasBody ? "half" : undefined,
      signal: controller.signal,
    });
    let response;
    try {
      response = await handler(request);
    } catch (err) {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(
        `adapter: handler threw: ${err instanceof Error ? err.message : String(err)}`,
      );
      return;
    }
    const outHeaders = {};
    response.headers.forEach((value, name) => {
      outHeaders[name] = value;
    });
    res.writeHead(response.status, outHeaders);
    if (!response.body) {
      res.end();
      return;
    }
    const reader = response.body.getReader();
    controller.signal.addEventListener("abort", () => {
      reader.cancel(new Error("client disconnected")).catch(() => {});
    });
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (!res.write(value)) {
          await new Promise((resolve) => res.once("drain", resolve));
        }
      }
      res.end();
    } catch (err) {
      res.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  });
  return listening(server);
}

/**
 * Starts a node:http `server` on 127.0.0.1 (random port): its URL, and a close() that ends its
 * open connections too.
 * @param {import("node:http").Server} server
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function listening(server) {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
