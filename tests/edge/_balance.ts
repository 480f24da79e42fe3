// The app the balance tests share: several emulator upstreams, counted.
import { AzureOpenAI } from "../../src/client.ts";
import { createEmulator, type Emulator } from "../../src/emulator/mod.ts";
import { createEdgeApp, type EdgeAppOptions } from "../../edge/mod.ts";
import { KEY, postJson } from "./_helpers.ts";

/**
 * An app over `n` emulators (hosts up0.local, …, on one clock) and how many requests each got;
 * `call` POSTs JSON and reads the whole answer (parsed when it is JSON). With `weights`, upstream
 * `i` is given as `{ client, weight: weights[i] }`.
 */
export function balancedApp(
  n: number,
  options: Partial<Omit<EdgeAppOptions, "upstream">> = {},
  weights?: readonly number[],
) {
  const clock = { now: 1_000_000 };
  const now = () => clock.now;
  const ups = Array.from({ length: n }, (_, i) => {
    const key = `upstream-${i}-secret-key-${crypto.randomUUID()}`;
    return {
      key,
      emulator: createEmulator({ apiKeys: [key], now, chunkDelayMs: 0 }) as Emulator,
      seen: 0,
    };
  });
  const app = createEdgeApp({
    clientKeys: [KEY],
    now,
    onError: () => {},
    ...options,
    upstream: ups.map((up, i) => {
      const client = new AzureOpenAI({
        endpoint: `http://up${i}.local`,
        apiKey: up.key,
        fetch: (req, init) => {
          up.seen++;
          return up.emulator.fetch(req, init);
        },
      });
      return weights ? { client, weight: weights[i] } : client;
    }),
  });
  const call = async (path: string, json: unknown) => {
    const res = await app.fetch(
      postJson(path, json),
    );
    const text = await res.text();
    const body = /json/.test(res.headers.get("content-type") ?? "") ? JSON.parse(text) : text;
    return { res, body, upstream: res.headers.get("x-aoai-upstream") };
  };
  return { app, ups, clock, call };
}
