// Cold-start worker for workerd (floor): one raw fetch of the embeddings endpoint named by the
// bindings. Bundled by compat/bench/cold_start_workerd.mjs.
interface Env {
  UPSTREAM_ENDPOINT: string;
  UPSTREAM_KEY: string;
}

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    const url = `${env.UPSTREAM_ENDPOINT}/openai/deployments/emb-8/embeddings` +
      "?api-version=2024-10-21";
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "api-key": env.UPSTREAM_KEY,
        "content-type": "application/json",
        "accept": "application/json",
      },
      body: JSON.stringify({ input: "hello", encoding_format: "float" }),
    });
    const json = await res.json() as { data: Array<{ embedding: number[] }> };
    return Response.json({ length: json.data[0].embedding.length });
  },
};
