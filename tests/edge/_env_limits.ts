/**
 * Helpers of the tests of per-key limits and quotas read from the environment: embeddings
 * requests of a known size, their statuses, and an emulator upstream for the Worker entry.
 *
 * @module
 */
import type { WorkerEnv } from "../../edge/worker.ts";
import { createEmulator } from "../../src/emulator/mod.ts";

/** A variable reader over `vars`, as `edgeConfigFromEnv()` takes one. */
export const env = (vars: Record<string, string>) => (name: string) => vars[name];

let sent = 0;
/** An embeddings body of 8 tokens (the emulator's count), a new input each time (no cache hit). */
export const embed = () => ({
  model: "text-embedding-3-small",
  input: [`alpha beta gamma delta ${String(++sent).padStart(3, "0")}`],
});

/** The statuses of `n` embeddings requests of `key` sent through `send`, bodies dropped. */
export async function statuses(
  send: (req: Request) => Promise<Response>,
  key: string,
  n: number,
): Promise<number[]> {
  const out = [];
  for (let i = 0; i < n; i++) {
    const res = await send(
      new Request("https://edge.example/v1/embeddings", {
        method: "POST",
        headers: { "api-key": key, "content-type": "application/json" },
        body: JSON.stringify(embed()),
      }),
    );
    out.push(res.status);
    await res.body?.cancel();
  }
  return out;
}

/** An emulator served on 127.0.0.1 and the Worker bindings of it with `keys`. */
export function upstreamServer(keys: readonly string[]) {
  const emulator = createEmulator({ apiKeys: ["azure-upstream-key"] });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => emulator.fetch(request),
  );
  const bindings: WorkerEnv = {
    AZURE_OPENAI_ENDPOINT: `http://127.0.0.1:${server.addr.port}`,
    AZURE_OPENAI_API_KEY: "azure-upstream-key",
    AOAI_EDGE_KEYS: keys.join(","),
  };
  return { bindings, [Symbol.asyncDispose]: () => server.shutdown() };
}
