// Cold-start worker for workerd: the official `openai` SDK's AzureOpenAI and one embeddings call
// to the endpoint named by the bindings. Bundled by compat/bench/cold_start_workerd.mjs.
import { AzureOpenAI } from "openai";

interface Env {
  UPSTREAM_ENDPOINT: string;
  UPSTREAM_KEY: string;
}

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    const client = new AzureOpenAI({
      endpoint: env.UPSTREAM_ENDPOINT,
      apiKey: env.UPSTREAM_KEY,
      apiVersion: "2024-10-21",
    });
    const res = await client.embeddings.create({
      model: "emb-8",
      input: "hello",
    });
    return Response.json({ length: res.data[0].embedding.length });
  },
};
