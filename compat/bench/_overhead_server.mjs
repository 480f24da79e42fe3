// Server process of compat/bench/overhead.mjs: answers precomputed embeddings responses
// (compat/.build/bench_fixture.mjs) on 127.0.0.1 (random port), prints the port, and exits
// when its stdin closes.
import { createServer } from "node:http";
import { BENCH_KEY, embeddingsBodies } from "../.build/bench_fixture.mjs";

const bodies = new Map();
for (const dims of [8, 1536]) {
  const { float, base64 } = embeddingsBodies(dims);
  bodies.set(`/openai/deployments/emb-${dims}/embeddings`, {
    float: Buffer.from(float),
    base64: Buffer.from(base64),
  });
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const pair = bodies.get(new URL(req.url, "http://x").pathname);
    if (!pair || req.headers["api-key"] !== BENCH_KEY) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(
        '{"error":{"code":"404","message":"no such deployment or bad key"}}',
      );
      return;
    }
    const text = Buffer.concat(chunks).toString();
    const body = text.includes('"encoding_format":"base64"') ? pair.base64 : pair.float;
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": body.length,
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.stdin.resume();
process.stdin.on("end", () => server.close(() => process.exit(0)));
