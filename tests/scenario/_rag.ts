/**
 * The small RAG service of the scenario tests: 50 documents, cosine top-k, and the edge app in
 * front of the in-process emulator, served on 127.0.0.1 with a Deno KV (in memory) cache.
 *
 * @module
 */
import { createEmulator, type EmulatorScript } from "../../src/emulator/mod.ts";
import { createEdgeApp, denoHandler, DenoKvCache, type EdgeRequestEvent } from "../../edge/mod.ts";

/** The client key of the RAG service (every deployment). */
export const KEY = "rag-service-key-0001";
/** The indexer's client key: embeddings only. */
export const INDEXER_KEY = "rag-indexer-key-0002";
/** Deployments the app serves. */
export const EMBEDDINGS = "text-embedding-3-small";
export const CHAT = "gpt-4o";
/** The api-version the Azure-style clients use. */
export const API_VERSION = "2024-10-21";

/** 50 short documents. */
export const DOCS: readonly string[] = Array.from(
  { length: 50 },
  (_, i) => `Doc ${i}: the lighthouse on island ${i} was built in ${1850 + i}.`,
);

/** Cosine similarity of two vectors of the same length. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

/** Indexes of the `k` vectors most similar to `query`, best first. */
export function topK(query: ArrayLike<number>, vectors: ArrayLike<number>[], k: number): number[] {
  return vectors.map((v, i) => ({ i, s: cosine(query, v) }))
    .sort((x, y) => y.s - x.s || x.i - y.i)
    .slice(0, k)
    .map((x) => x.i);
}

/**
 * A model that, given tools, calls `search_docs` with the user's question (a `tool_choice` that
 * forces it gets that call too), and answers from a tool result once it has one.
 */
export const ragScript: EmulatorScript = (req) => {
  const messages = req.body.messages as { role: string; content?: unknown }[];
  const last = messages[messages.length - 1];
  if (last?.role === "tool") return { content: `From the documents: ${String(last.content)}` };
  if (req.body.tools !== undefined) {
    return { toolCalls: [{ name: "search_docs", arguments: { query: req.lastUserText } }] };
  }
  return { content: `You said: ${req.lastUserText}` };
};

/** The running service and what it saw. */
export interface RagApp {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** onRequest events, in order. */
  events: EdgeRequestEvent[];
  /** Inputs of each embeddings request that reached the emulator, in order. */
  upstreamInputs: string[][];
  /** Number of chat requests that reached the emulator. */
  upstreamChats(): number;
  /** Stops the server and closes the KV. */
  close(): Promise<void>;
}

/** Starts the edge app (emulator upstream, Deno KV cache) on a free port of 127.0.0.1. */
export async function startRagApp(): Promise<RagApp> {
  const emulator = createEmulator({ script: ragScript });
  const kv = await Deno.openKv(":memory:");
  const events: EdgeRequestEvent[] = [];
  const upstreamInputs: string[][] = [];
  let chats = 0;
  const pending: Promise<unknown>[] = [];
  const app = createEdgeApp({
    upstream: {
      endpoint: "http://emulator.local",
      apiKey: emulator.apiKey,
      fetch: async (request: Request) => {
        if (request.url.includes("/embeddings")) {
          upstreamInputs.push((await request.clone().json()).input);
        } else if (request.url.includes("/chat/completions")) chats++;
        return emulator.fetch(request);
      },
    },
    clientKeys: [KEY, { key: INDEXER_KEY, name: "indexer", deployments: [EMBEDDINGS] }],
    deployments: [CHAT, EMBEDDINGS],
    cache: new DenoKvCache(kv),
    onRequest: (event) => void events.push(event),
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    denoHandler(app, { waitUntil: (p) => void pending.push(p) }),
  );
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    events,
    upstreamInputs,
    upstreamChats: () => chats,
    async close() {
      await server.shutdown();
      await Promise.allSettled(pending);
      kv.close();
    },
  };
}
