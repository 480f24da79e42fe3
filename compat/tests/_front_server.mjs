// A node:http server on 127.0.0.1 put between the edge Worker and its emulator, for the tests of
// upstream replies the emulator does not send (a JSON reply cut mid-body, a gzip-encoded one).
import { createServer } from "node:http";
import { listening } from "./_serve.mjs";

const CUT_JSON = Buffer.from(JSON.stringify({ object: "list", data: [{ index: 0 }], model: "m" }));

/**
 * Listens on 127.0.0.1 and hands each request, once its body is read, to
 * `answer(req, body, res)`; resolves as `listening()` does.
 */
export function frontServer(answer) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => answer(req, Buffer.concat(chunks), res));
  });
  return listening(server);
}

/** Sends `req` (its `body` read) on to `base` as it came (host left out): fetch's Response. */
export function forward(base, req, body) {
  const headers = { ...req.headers };
  delete headers.host;
  return fetch(`${base}${req.url}`, {
    method: req.method,
    headers,
    body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
  });
}

/**
 * Answers a 200 JSON whose body stops after 30 bytes (the socket destroyed once they are
 * written), declaring the whole body's content-length when `declared`.
 */
export function cutJson(res, declared = false) {
  const headers = { "content-type": "application/json" };
  if (declared) headers["content-length"] = String(CUT_JSON.length);
  res.writeHead(200, headers);
  res.write(CUT_JSON.subarray(0, 30), () => res.socket?.destroy());
}
