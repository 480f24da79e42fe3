/**
 * Helpers of the edge app tests: an app in front of the in-process emulator, with every
 * upstream request recorded.
 *
 * @module
 */
import assert from "node:assert/strict";
import { AzureOpenAI } from "../../src/client.ts";
import type { CacheStore } from "../../src/cache/types.ts";
import { createEmulator, type Emulator, type EmulatorOptions } from "../../src/emulator/mod.ts";
import {
  ClientTokenLimiter,
  createEdgeApp,
  type EdgeApp,
  type EdgeAppOptions,
  type EdgeClientKey,
  MemoryCache,
  type TokenLimiter,
} from "../../edge/mod.ts";

/** The client key the test apps accept. */
export const KEY = "test-client-key-0001";
/** The api-version used in Azure-style test URLs. */
export const VERSION = "2024-10-21";

/** An app, its emulator upstream and the upstream requests seen. */
export interface TestApp {
  app: EdgeApp;
  emulator: Emulator;
  /** Upstream requests (method + path + query), in order. */
  upstream: string[];
  /** Headers of the upstream requests, in order. */
  upstreamHeaders: Headers[];
  /** Bodies (as text) of the upstream requests, in order; filled as they are sent. */
  upstreamBodies: Promise<string>[];
  /** Sends a request to the app with the client key (unless `headers` overrides it). */
  call(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
}

/** Builds an app whose upstream is an in-process emulator. */
export function testApp(
  options: Partial<Omit<EdgeAppOptions, "upstream">> & {
    emulator?: EmulatorOptions;
    cache?: CacheStore;
  } = {},
): TestApp {
  const emulator = createEmulator(options.emulator);
  const upstream: string[] = [];
  const upstreamHeaders: Headers[] = [];
  const upstreamBodies: Promise<string>[] = [];
  const client = new AzureOpenAI({
    endpoint: "http://emulator.local",
    apiKey: emulator.apiKey,
    fetch: (req, init) => {
      const url = new URL(req.url);
      upstream.push(`${req.method} ${url.pathname}${url.search}`);
      upstreamHeaders.push(new Headers(req.headers));
      upstreamBodies.push(req.clone().text());
      return emulator.fetch(req, init);
    },
  });
  const { emulator: _e, ...rest } = options;
  const app = createEdgeApp({ clientKeys: [KEY], ...rest, upstream: client });
  return {
    app,
    emulator,
    upstream,
    upstreamHeaders,
    upstreamBodies,
    call(path, init = {}) {
      const { json, ...requestInit } = init;
      const headers = new Headers(requestInit.headers);
      if (!headers.has("api-key") && !headers.has("authorization")) headers.set("api-key", KEY);
      if (json !== undefined) {
        headers.set("content-type", "application/json");
        requestInit.body = JSON.stringify(json);
        requestInit.method ??= "POST";
      }
      return app.fetch(new Request(`http://edge.test${path}`, { ...requestInit, headers }));
    },
  };
}

/** The `{ error }` object of a service-shaped error response. */
export async function errorOf(
  res: Response,
): Promise<{ code: string; message: string; param: string | null; type: string }> {
  const body = await res.json();
  if (typeof body?.error?.message !== "string") {
    throw new Error(`not a service error body: ${JSON.stringify(body)}`);
  }
  return body.error;
}

/** Azure-style path of a deployment operation. */
export function azurePath(deployment: string, op: string): string {
  return `/openai/deployments/${deployment}/${op}?api-version=${VERSION}`;
}

/** Parses the `data:` events of an SSE body. */
export function sseData(text: string): string[] {
  return text.split("\n\n").filter((e) => e.startsWith("data: ")).map((e) => e.slice(6));
}

/**
 * Collects unhandled promise rejections (and keeps them from failing the test run) until
 * `stop()`; `unhandled` lists their reasons.
 */
export function collectUnhandled(): { unhandled: unknown[]; stop: () => void } {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: PromiseRejectionEvent) => {
    e.preventDefault();
    unhandled.push(e.reason);
  };
  globalThis.addEventListener("unhandledrejection", onUnhandled);
  return {
    unhandled,
    stop: () => globalThis.removeEventListener("unhandledrejection", onUnhandled),
  };
}

/**
 * A token limiter that records its charges (`charges`: client and tokens; `tokens`: the tokens
 * alone), passing them on to `inner` (default: a budget too large to refuse), and a way to wait
 * for the n-th charge.
 */
export function recordingLimiter(
  inner: TokenLimiter = new ClientTokenLimiter({ tokensPerMinute: 1_000_000 }),
) {
  const charges: Array<[string, number]> = [];
  const tokens: number[] = [];
  const waiting: Array<{ n: number; resolve: () => void }> = [];
  const limiter: TokenLimiter = {
    tokensPerMinute: inner.tokensPerMinute,
    check: (client) => inner.check(client),
    async charge(client, n) {
      await inner.charge(client, n);
      charges.push([client, n]);
      tokens.push(n);
      for (const w of waiting.filter((w) => charges.length >= w.n)) w.resolve();
    },
  };
  /** Resolves once `n` charges were made (default: one more than now). */
  const reach = (n = charges.length + 1) =>
    charges.length >= n ? Promise.resolve() : new Promise<void>((resolve) => {
      waiting.push({ n, resolve });
    });
  return { limiter, charges, tokens, reach };
}

/** The key text of a `clientKeys` entry (a string or an `EdgeClientKey`). */
export function keyText(entry: string | EdgeClientKey): string {
  return typeof entry === "string" ? entry : entry.key;
}

/** A POST of `json` to the app at `path`, with client key `key`. */
export function postJson(path: string, json: unknown, key = KEY): Request {
  return new Request(`http://edge.test${path}`, {
    method: "POST",
    headers: { "api-key": key, "content-type": "application/json" },
    body: JSON.stringify(json),
  });
}

/**
 * What the client gets on `route` (with `?api-version=version`) when the upstream at `endpoint`
 * answers `location` in `operation-location`: that header as relayed, and the errors reported.
 */
export async function operationLocationAnswer(
  endpoint: string,
  location: string,
  route: { method: "POST" | "GET" | "DELETE"; path: string },
  version: string,
): Promise<{ location: string | null; errors: string[] }> {
  const upstream = new AzureOpenAI({
    endpoint,
    apiKey: "azure-key",
    fetch: () =>
      Promise.resolve(
        Response.json({ id: "op1", status: "notRunning" }, {
          status: route.method === "POST" ? 202 : 200,
          headers: { "operation-location": location },
        }),
      ),
  });
  const errors: string[] = [];
  const app = createEdgeApp({ clientKeys: [KEY], upstream, onError: (m) => void errors.push(m) });
  const res = await app.fetch(
    new Request(`http://edge.test${route.path}?api-version=${version}`, {
      method: route.method,
      headers: { "api-key": KEY, "content-type": "application/json" },
      body: route.method === "POST" ? JSON.stringify({ prompt: "a fox" }) : undefined,
    }),
  );
  assert.equal(res.status, route.method === "POST" ? 202 : 200);
  await res.body?.cancel();
  return { location: res.headers.get("operation-location"), errors };
}

/**
 * Two upstreams on emulators (their clients on `apiVersion`): the first fails its next call with
 * 503, the second names `gpt-4o` `gpt-4o-eu` (deploymentNames); `bodies[i]` records the bodies
 * that reach upstream `i`.
 */
export function failingOverUpstreams(apiVersion?: string) {
  const bodies: Promise<string>[][] = [[], []];
  const upstream = [0, 1].map((i) => {
    const key = `upstream-${i}-key-${crypto.randomUUID()}`;
    const emulator = createEmulator({
      apiKeys: [key],
      deployments: i === 1 ? [{ name: "gpt-4o-eu", model: "gpt-4o" }] : undefined,
    });
    if (i === 0) emulator.failNext(1, 503);
    const client = new AzureOpenAI({
      endpoint: `http://up${i}.local`,
      apiKey: key,
      apiVersion,
      fetch: (req, init) => {
        bodies[i].push(req.clone().text());
        return emulator.fetch(req, init);
      },
    });
    return i === 1 ? { client, deploymentNames: { "gpt-4o": "gpt-4o-eu" } } : client;
  });
  return { upstream, bodies };
}

/**
 * An app with a chat cache over {@link failingOverUpstreams} (on `apiVersion`): the primary fails
 * its next call with 503, the fallback names `gpt-4o` `gpt-4o-eu`; `bodies[i]` records the bodies
 * that reach upstream `i`.
 */
export function cachedFailover(apiVersion?: string): { app: EdgeApp; bodies: Promise<string>[][] } {
  const { upstream, bodies } = failingOverUpstreams(apiVersion);
  const app = createEdgeApp({
    clientKeys: [KEY],
    upstream,
    cache: new MemoryCache(),
    chatCache: true,
    onError: () => {},
  });
  return { app, bodies };
}
