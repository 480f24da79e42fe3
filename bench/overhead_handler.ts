/**
 * The request-overhead benches' server handler: precomputed embeddings responses per
 * deployment `emb-{dims}`, float JSON unless the body asks for base64 (Azure's default is
 * float). Used by the worker (`overhead_server.ts`) and the process (`overhead_server_process.ts`).
 *
 * @module
 */
import { BENCH_KEY, embeddingsBodies } from "./overhead_fixture.ts";

/** A fetch handler answering embeddings calls for the given dimension counts. */
export function embeddingsHandler(dims: number[]): (req: Request) => Promise<Response> {
  const bodies = new Map<string, { float: string; base64: string }>();
  for (const d of dims) bodies.set(`/openai/deployments/emb-${d}/embeddings`, embeddingsBodies(d));
  return async (req) => {
    const text = await req.text();
    const pair = bodies.get(new URL(req.url).pathname);
    if (!pair || req.headers.get("api-key") !== BENCH_KEY) {
      return new Response('{"error":{"code":"404","message":"no such deployment or bad key"}}', {
        status: 404,
        headers: { "content-type": "application/json" },
      });
    }
    const body = text.includes('"encoding_format":"base64"') ? pair.base64 : pair.float;
    return new Response(body, {
      headers: { "content-type": "application/json", "apim-request-id": "bench" },
    });
  };
}
