// Starts the edge app's Cloudflare Worker (edge/worker.ts bundled by compat/worker/build.sh) in
// workerd through miniflare, in front of the emulator served by node:http, for the worker tests.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { serve } from "./_serve.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));

/**
 * Builds the Worker and starts it with `options` (miniflare options such as `kvNamespaces` or
 * `ratelimits`) and `bindings` added to the upstream ones (the emulator's URL and key); with
 * `fallback`, the same emulator is also the one fallback upstream, at 127.0.0.1 where the primary
 * is at localhost.
 * `emulator` adds options of the emulator (e.g. `entra` for a Microsoft Entra ID token endpoint);
 * with `apiKey: false` the Worker gets no AZURE_OPENAI_API_KEY (it signs in with Entra ID) and its
 * AZURE_AUTHORITY_HOST is the emulator. `reply`, when given, answers the upstream requests it
 * returns a Response for (a gateway's error page, say); the emulator answers the others.
 * @param {{ options?: object, bindings: Record<string, string>, fallback?: boolean, emulator?: object, apiKey?: boolean, reply?: (request: Request) => Response | undefined | Promise<Response | undefined> }} setup
 * @returns {Promise<{ mf: Miniflare, base: string, emulator: object, upstreamUrl: string, close: () => Promise<void> }>}
 */
export async function startWorker(
  {
    options = {},
    bindings,
    fallback = false,
    emulator: emulatorOptions = {},
    apiKey = true,
    reply,
  },
) {
  execFileSync("sh", [`${here}../worker/build.sh`], { stdio: "inherit" });
  const { createEmulator } = await import("../.build/emulator.mjs");
  const emulator = createEmulator({
    apiKeys: ["azure-upstream-key"],
    ...emulatorOptions,
  });
  const upstream = await serve(async (request) =>
    (await reply?.(request)) ?? emulator.fetch(request)
  );
  const mf = new Miniflare({
    modules: true,
    scriptPath: `${here}../.build/edge_worker.mjs`,
    compatibilityDate: "2026-04-01",
    ...options,
    bindings: {
      AZURE_OPENAI_ENDPOINT: upstream.url,
      ...(apiKey
        ? { AZURE_OPENAI_API_KEY: "azure-upstream-key" }
        : { AZURE_AUTHORITY_HOST: upstream.url }),
      ...(fallback
        ? {
          AZURE_OPENAI_FALLBACK_ENDPOINTS: upstream.url.replace(
            "127.0.0.1",
            "localhost",
          ),
          AZURE_OPENAI_FALLBACK_API_KEYS: "azure-upstream-key",
        }
        : {}),
      ...bindings,
    },
  });
  const base = (await mf.ready).toString().replace(/\/$/, "");
  return {
    mf,
    base,
    emulator,
    upstreamUrl: upstream.url,
    async close() {
      await mf.dispose();
      await upstream.close();
    },
  };
}
