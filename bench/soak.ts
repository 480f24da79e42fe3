/**
 * Soak: a leak hunt under sustained load. The edge app (Deno KV cache on `:memory:`, a rate
 * limit and a token limit, an `onRequest` observer) is served on 127.0.0.1 in front of the
 * emulator (429s with `retry-after-ms`, dropped streams, latency jitter) and driven over local
 * HTTP by our client, every call under ONE long-lived AbortSignal (a server's shutdown signal),
 * some also under a per-call one. The mix: embeddings (cache hits and misses), chat JSON, chat
 * streams read fully / broken out of early / aborted mid-way, streamed transcriptions, speech
 * (read or cancelled), `client.request()` responses read or never read, `asResponse()`,
 * `withResponse()`, `tee()`, streams, `asResponse()` bodies and speech dropped unread, and
 * requests the app refuses (a key with a tight rate limit). A
 * third of the calls go through a client with `cache()` and `rateLimit()` middleware (2 at a
 * time: the others queue), a third through one with `streamIdleTimeoutMs`. The app also has a
 * token quota.
 *
 * After each round it waits for the work the responses left running, forces GC and prints heap
 * used, RSS, the listeners left on the shared signal (its add/removeEventListener are wrapped),
 * the timers pending (setTimeout/clearTimeout/setInterval are wrapped before anything is
 * imported), the tokens the app still holds against the main key's budget with nothing in flight
 * (found by probes, see `heldTokens()`) and what the requests did. Steady state: no growth after the first (warm-up) round.
 *
 * Run: `deno run -A --v8-flags=--expose-gc bench/soak.ts [rounds] [requests per round]`
 * (default 5 × 2000). `--only=a,b` or `--skip=a,b` limit the mix to some kinds (bisecting a
 * growth); `--no-events` drops `onRequest`; `--kv-limits` uses `DenoKvRateLimiter`,
 * `DenoKvTokenLimiter` and `DenoKvTokenQuota` (same KV) instead of the in-memory limits;
 * `--entra`: the app signs in to the emulator with `entraClientCredentials` (tokens refreshed in
 * the background) instead of an api key; `--concurrency=N` (default 16).
 *
 * @module
 */

// ---- instrumentation (before any module of the project is loaded) ----
const pendingTimers = new Set<unknown>();
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const realSetInterval = globalThis.setInterval;
const realClearInterval = globalThis.clearInterval;
globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) => {
  const id = realSetTimeout(
    (...a: unknown[]) => {
      pendingTimers.delete(id);
      if (typeof fn === "function") fn(...a);
    },
    ms,
    ...rest,
  );
  pendingTimers.add(id);
  return id;
}) as typeof setTimeout;
globalThis.clearTimeout = ((id?: number) => {
  pendingTimers.delete(id);
  realClearTimeout(id);
}) as typeof clearTimeout;
globalThis.setInterval = ((fn: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) => {
  const id = realSetInterval(fn, ms, ...rest);
  pendingTimers.add(id);
  return id;
}) as typeof setInterval;
globalThis.clearInterval = ((id?: number) => {
  pendingTimers.delete(id);
  realClearInterval(id);
}) as typeof clearInterval;

/** The long-lived signal every call gets; its abort listeners are counted. */
const shutdown = new AbortController();
const shared = shutdown.signal;
const sharedListeners = new Set<unknown>();
{
  const add = shared.addEventListener.bind(shared);
  const remove = shared.removeEventListener.bind(shared);
  shared.addEventListener = ((type: string, listener: unknown, opts?: unknown) => {
    if (type === "abort" && listener) sharedListeners.add(listener);
    add(type, listener as EventListener, opts as AddEventListenerOptions);
  }) as typeof shared.addEventListener;
  shared.removeEventListener = ((type: string, listener: unknown, opts?: unknown) => {
    if (type === "abort") sharedListeners.delete(listener);
    remove(type, listener as EventListener, opts as EventListenerOptions);
  }) as typeof shared.removeEventListener;
}

// ---- arguments ----
const USAGE = "usage: deno run -A --v8-flags=--expose-gc bench/soak.ts [rounds=5] " +
  "[requestsPerRound=2000] [--only=a,b] [--skip=a,b] [--no-events] [--kv-limits] [--entra] " +
  "[--concurrency=16]";
const flags = Deno.args.filter((a) => a.startsWith("--"));
const positional = Deno.args.filter((a) => !a.startsWith("--"));
const flag = (name: string) => flags.find((f) => f.startsWith(`--${name}=`))?.split("=")[1];
const { countArgs, UsageError } = await import("./_args.ts");
const known = /^--(only=|skip=|concurrency=|no-events$|kv-limits$|entra$)/;
const unknown = flags.find((f) => !known.test(f));
if (unknown) throw new UsageError(`unknown flag '${unknown}'; ${USAGE}`);
const [ROUNDS, PER_ROUND] = countArgs(positional, [5, 2000], USAGE);
const [CONCURRENCY] = countArgs([flag("concurrency") ?? "16"], [16], USAGE);
const ONLY = flag("only")?.split(",");
const SKIP = flag("skip")?.split(",") ?? [];
const EVENTS = !flags.includes("--no-events");
const KV_LIMITS = flags.includes("--kv-limits");
const USE_ENTRA = flags.includes("--entra");
const gc = (globalThis as { gc?: () => void }).gc;

const { AzureOpenAI } = await import("../src/client.ts");
const {
  createEdgeApp,
  DenoKvCache,
  DenoKvRateLimiter,
  DenoKvTokenLimiter,
  DenoKvTokenQuota,
  ClientTokenLimiter,
  denoHandler,
  entraClientCredentials,
} = await import("../edge/mod.ts");
const { cache, rateLimit } = await import("../src/middleware/mod.ts");
const { MemoryCache } = await import("../src/cache/mod.ts");
const { createEmulator, DEFAULT_DEPLOYMENTS } = await import("../src/emulator/mod.ts");

// ---- upstream: the emulator with 429s, jittered latency, and 6% of streams cut after 3 chunks ----
const UPSTREAM_KEY = "soak-upstream-key-0001";
const CLIENT_KEY = "soak-client-key-00001";
const TIGHT_KEY = "soak-tight-client-key1";
const ENTRA = {
  tenantId: "00000000-0000-4000-8000-0000000050a4",
  clientId: "00000000-0000-4000-8000-0000000050a4",
  clientSecret: "soak-secret-0001",
};
const deployments = [...DEFAULT_DEPLOYMENTS, {
  name: "gpt-4o-transcribe",
  model: "gpt-4o-transcribe",
}];
const jitter = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms * 2 * Math.random()));
const emulator = createEmulator({
  apiKeys: [UPSTREAM_KEY],
  deployments,
  sleep: jitter,
  chunkSize: 2,
  faults: { latencyMs: 2, errorRate: 0.03, errorStatus: 429, retryAfterMs: 5 },
  // Tokens live 130 s: refreshed in the background from 10 s on (a 120 s margin).
  entra: USE_ENTRA ? { ...ENTRA, tokenLifetimeSeconds: 130 } : undefined,
});
let cutStreams = 0;
/** `body` erroring (as a dropped connection) after 3 chunks. */
function cut(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let n = 0;
  return new ReadableStream({
    async pull(c) {
      if (n++ === 3) {
        cutStreams++;
        c.error(new TypeError("soak: connection dropped"));
        return void reader.cancel();
      }
      const { done, value } = await reader.read();
      done ? c.close() : c.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
const upstreamFetch = async (input: Request | URL | string, init?: RequestInit) => {
  const res = await emulator.fetch(input, init);
  const streamed = res.headers.get("content-type")?.startsWith("text/event-stream");
  return streamed && res.body && Math.random() < 0.06 ? new Response(cut(res.body), res) : res;
};

// ---- the edge app on Deno KV :memory: ----
const kv = await Deno.openKv(":memory:");
/**
 * The token limiter, which the probe can make answer "ok, `remaining` tokens left": the app then
 * refuses a request while the estimates it holds for the key's requests in flight are at least
 * that, which tells how many it holds once nothing is in flight (should be 0).
 */
let probeRemaining: number | undefined;
const budget = KV_LIMITS
  ? new DenoKvTokenLimiter(kv, { tokensPerMinute: 1_000_000_000 })
  : new ClientTokenLimiter({ tokensPerMinute: 1_000_000_000 });
const probing = {
  tokensPerMinute: budget.tokensPerMinute,
  check: (client: string) =>
    probeRemaining === undefined
      ? budget.check(client)
      : { ok: true, retryAfterSeconds: 0, remaining: probeRemaining },
  charge: (client: string, tokens: number) => budget.charge(client, tokens),
};
let events = 0;
const errors: Record<string, number> = {};
const app = createEdgeApp({
  upstream: USE_ENTRA
    ? {
      endpoint: "http://emulator.local",
      tokenProvider: entraClientCredentials({
        ...ENTRA,
        authorityHost: "http://localhost",
        fetch: upstreamFetch,
      }),
      fetch: upstreamFetch,
    }
    : { endpoint: "http://emulator.local", apiKey: UPSTREAM_KEY, fetch: upstreamFetch },
  clientKeys: [CLIENT_KEY, {
    key: TIGHT_KEY,
    name: "tight",
    rateLimit: { requestsPerMinute: 5 },
  }],
  cache: new DenoKvCache(kv),
  // Misses expire, so the store does not grow with unique inputs (that is not a leak).
  embeddingsTtlSeconds: 2,
  chatCache: true,
  rateLimit: KV_LIMITS
    ? { limiter: new DenoKvRateLimiter(kv, { requestsPerMinute: 10_000_000 }) }
    : { requestsPerMinute: 10_000_000 },
  tokenLimit: { limiter: probing },
  tokenQuota: {
    tokens: 1e12,
    period: "day",
    limiter: KV_LIMITS ? new DenoKvTokenQuota(kv, { tokens: 1e12, period: "day" }) : undefined,
  },
  playground: false,
  onError: (message) => {
    const kind = message.replace(/[0-9a-f-]{8,}|\d+/g, "#").slice(0, 80);
    errors[kind] = (errors[kind] ?? 0) + 1;
  },
  onRequest: EVENTS ? () => void events++ : undefined,
});
const pendingWork = new Set<Promise<unknown>>();
const ctx = {
  waitUntil(p: Promise<unknown>) {
    pendingWork.add(p);
    p.finally(() => pendingWork.delete(p)).catch(() => {});
  },
};
const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen() {} },
  denoHandler(app, ctx),
);
const endpoint = `http://127.0.0.1:${server.addr.port}`;

// ---- clients ----
const client = new AzureOpenAI({ endpoint, apiKey: CLIENT_KEY, maxRetries: 3, timeoutMs: 30_000 });
const idleClient = new AzureOpenAI({
  endpoint,
  apiKey: CLIENT_KEY,
  maxRetries: 3,
  timeoutMs: 30_000,
  streamIdleTimeoutMs: 10_000,
});
const tightClient = new AzureOpenAI({ endpoint, apiKey: TIGHT_KEY, maxRetries: 0 });
// Client-side middleware: a cache (hits, misses, concurrent misses of one key) and a limiter.
const mwClient = new AzureOpenAI({
  endpoint,
  apiKey: CLIENT_KEY,
  maxRetries: 3,
  middleware: [
    cache({ store: new MemoryCache({ maxBytes: 4 * 2 ** 20 }), chat: true }),
    rateLimit({ maxConcurrent: 2, requestsPerMinute: 10_000_000, tokensPerMinute: 1e9 }),
  ],
});
type Client = InstanceType<typeof AzureOpenAI>;

const WAV = (() => {
  // A 0.1 s 8 kHz mono 8-bit WAV.
  const data = 800;
  const buf = new Uint8Array(44 + data);
  const v = new DataView(buf.buffer);
  const text = (at: number, s: string) => [...s].forEach((c, i) => buf[at + i] = c.charCodeAt(0));
  text(0, "RIFF");
  v.setUint32(4, 36 + data, true);
  text(8, "WAVEfmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, 8000, true);
  v.setUint32(28, 8000, true);
  v.setUint16(32, 1, true);
  v.setUint16(34, 8, true);
  text(36, "data");
  v.setUint32(40, data, true);
  return buf;
})();

let unique = 0;
const message = (i: number) => [{
  role: "user" as const,
  content: `soak request ${i}: count from one to twelve please`,
}];
const perCall = () => {
  const own = new AbortController();
  return { own, signal: AbortSignal.any([shared, own.signal]) };
};
const CLIENT = flag("client");
const pick = (i: number): Client => [idleClient, client, mwClient][Number(CLIENT ?? i % 3)];
/** `call` under a per-call signal (and the shared one) aborted 0-4 ms later. */
async function abortSoon(call: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
  const { own, signal } = perCall();
  const timer = setTimeout(() => own.abort(), Math.random() * 4);
  try {
    await call(signal);
  } finally {
    clearTimeout(timer);
  }
}

/** The kinds of calls; each resolves to a label of its outcome. */
const KINDS: Record<string, [weight: number, (i: number) => Promise<unknown>]> = {
  embedHit: [10, (i) =>
    pick(i).embeddings.create({
      model: "text-embedding-3-small",
      input: `hit ${i % 16}`,
    }, { signal: shared })],
  embedMiss: [6, (i) =>
    pick(i).embeddings.create({
      model: "text-embedding-3-small",
      input: `miss ${unique++}`,
    }, { signal: shared })],
  chatJson: [8, (i) =>
    pick(i).chat.completions.create({ model: "gpt-4o", messages: message(i) }, {
      signal: shared,
    })],
  streamFull: [8, async (i) => {
    const stream = await pick(i).chat.completions.create({
      model: "gpt-4o",
      messages: message(i),
      stream: true,
    }, { signal: shared });
    for await (const _ of stream);
  }],
  streamBreak: [6, async (i) => {
    const stream = await pick(i).chat.completions.create({
      model: "gpt-4o",
      messages: message(i),
      stream: true,
    }, { signal: shared });
    let n = 0;
    for await (const _ of stream) if (++n == 2) break;
  }],
  streamAbort: [6, async (i) => {
    const { own, signal } = perCall();
    const stream = await pick(i).chat.completions.create({
      model: "gpt-4o",
      messages: message(i),
      stream: true,
    }, { signal: i % 2 ? signal : shared });
    let n = 0;
    // Half abort their own signal, half the stream's controller.
    for await (const _ of stream) {
      if (++n == 2) i % 2 ? own.abort() : stream.controller.abort();
    }
  }],
  streamAbortEarly: [3, async (i) => {
    // Aborted before the headers came.
    const { own, signal } = perCall();
    const p = pick(i).chat.completions.create({
      model: "gpt-4o",
      messages: message(i),
      stream: true,
    }, { signal });
    own.abort();
    await p;
  }],
  // Aborted 0-4 ms in: on its way, at the app while upstream thinks, or in the body.
  abortEmbed: [
    2,
    (i) =>
      abortSoon((signal) =>
        pick(i).embeddings.create({ model: "text-embedding-3-small", input: `abort ${i}` }, {
          signal,
        })
      ),
  ],
  abortChat: [
    1,
    (i) =>
      abortSoon((signal) =>
        pick(i).chat.completions.create({ model: "gpt-4o", messages: message(i) }, { signal })
      ),
  ],
  abortTranscribe: [1, (i) =>
    abortSoon((signal) =>
      pick(i).audio.transcriptions.create({
        model: "gpt-4o-transcribe",
        file: new File([WAV], "soak.wav", { type: "audio/wav" }),
      }, { signal })
    )],
  transcribeStream: [4, async (i) => {
    const stream = await pick(i).audio.transcriptions.create({
      model: "gpt-4o-transcribe",
      file: new File([WAV], "soak.wav", { type: "audio/wav" }),
      stream: true,
    }, { signal: shared });
    for await (const _ of stream);
  }],
  speech: [4, async (i) => {
    const res = await pick(i).audio.speech.create({
      model: "tts",
      input: `soak ${i}`,
      voice: "alloy",
    }, { signal: shared });
    if (i % 2) await res.arrayBuffer();
    else await res.body?.cancel();
  }],
  rawRead: [5, async (i) => {
    const res = await pick(i).request({
      path: "chat/completions",
      deployment: "gpt-4o",
      json: { messages: message(i) },
    }, { signal: shared });
    await res.json();
  }],
  rawUnread: [5, async (i) => {
    // Never read, never cancelled: dropped.
    await pick(i).request({
      path: "embeddings",
      deployment: "text-embedding-3-small",
      json: { input: `raw ${i % 8}` },
    }, { signal: shared });
  }],
  rawStreamRead: [3, async (i) => {
    const res = await pick(i).request({
      path: "chat/completions",
      deployment: "gpt-4o",
      json: { messages: message(i), stream: true },
      stream: true,
      accept: "text/event-stream",
    }, { signal: shared });
    await res.text();
  }],
  asResponse: [4, async (i) => {
    const res = await pick(i).chat.completions.create({
      model: "gpt-4o",
      messages: message(i),
      stream: true,
    }, { signal: shared }).asResponse();
    if (i % 2) await res.text();
    else await res.body?.cancel();
  }],
  asResponseJson: [3, async (i) => {
    const res = await pick(i).embeddings.create({
      model: "text-embedding-3-small",
      input: `hit ${i % 16}`,
    }, { signal: shared }).asResponse();
    await res.json();
  }],
  withResponse: [4, async (i) => {
    if (i % 2) {
      const { data } = await pick(i).chat.completions.create({
        model: "gpt-4o",
        messages: message(i),
        stream: true,
      }, { signal: shared }).withResponse();
      for await (const _ of data);
    } else {
      await pick(i).chat.completions.create({ model: "gpt-4o", messages: message(i) }, {
        signal: shared,
      }).withResponse();
    }
  }],
  tee: [4, async (i) => {
    const stream = await pick(i).chat.completions.create({
      model: "gpt-4o",
      messages: message(i),
      stream: true,
    }, { signal: shared });
    const [a, b] = stream.tee();
    if (i % 2) {
      await Promise.all([
        (async () => {
          for await (const _ of a);
        })(),
        (async () => {
          for await (const _ of b);
        })(),
      ]);
    } else {
      // One branch read, the other broken out of at once.
      for await (const _ of b) break;
      for await (const _ of a);
    }
  }],
  refused: [2, (i) =>
    tightClient.embeddings.create({
      model: "text-embedding-3-small",
      input: `tight ${i}`,
    }, { signal: shared })],
};

/**
 * Bodies handed to the caller and dropped unread: each keeps its link to the caller's signal (and
 * its connection) until what the caller held (the stream, the response) is collected, which
 * unlinks it and aborts its call; `settle()` forces GC, so none should be left after a round.
 */
/**
 * Not the client with rateLimit(): a body dropped unread frees its slot only once it is
 * garbage-collected (or the call's signal aborts, and `shared` never does before the end), which
 * the forced GC does only between rounds, so its 2 slots could stall the round's other calls
 * until then. tests/middleware/rate_limit_dropped_gc_test.ts checks that freeing.
 */
const plain = (i: number): Client => [idleClient, client][i % 2];
const UNREAD: typeof KINDS = {
  streamUnread: [1, async (i) => {
    await plain(i).chat.completions.create(
      { model: "gpt-4o", messages: message(i), stream: true },
      {
        signal: shared,
      },
    );
  }],
  asResponseUnread: [1, async (i) => {
    await plain(i).chat.completions.create(
      { model: "gpt-4o", messages: message(i), stream: true },
      {
        signal: shared,
      },
    ).asResponse();
  }],
  speechUnread: [1, async (i) => {
    await plain(i).audio.speech.create({ model: "tts", input: `soak ${i}`, voice: "alloy" }, {
      signal: shared,
    });
  }],
};
Object.assign(KINDS, UNREAD);
for (const name of [...ONLY ?? [], ...SKIP]) {
  if (!(name in KINDS)) {
    throw new UsageError(
      `no kind '${name}' (--only / --skip take ${Object.keys(KINDS)}); ${USAGE}`,
    );
  }
}
const kinds = Object.entries(KINDS).filter(([name, [weight]]) =>
  (ONLY ? ONLY.includes(name) : weight > 0) && !SKIP.includes(name)
);
const wheel = kinds.flatMap(([name, [weight]]) => Array(weight || 1).fill(name) as string[]);

const outcomes: Record<string, number> = {};
async function one(i: number): Promise<void> {
  const name = wheel[i % wheel.length];
  let outcome = "ok";
  try {
    await KINDS[name][1](i);
  } catch (err) {
    outcome = (err as Error)?.constructor?.name ?? "error";
  }
  outcomes[`${name}:${outcome}`] = (outcomes[`${name}:${outcome}`] ?? 0) + 1;
}

async function round(start: number): Promise<void> {
  let next = start;
  const end = start + PER_ROUND;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < end) await one(next++);
  }));
}

/**
 * Tokens the app still holds for CLIENT_KEY's requests (none in flight): found by bisection, the
 * least of two measurements (one may see a hold let go during it).
 */
async function heldTokens(): Promise<number> {
  const first = await measureHeld();
  return first && Math.min(first, await measureHeld());
}

async function measureHeld(): Promise<number> {
  const refused = async (remaining: number) => {
    probeRemaining = remaining;
    try {
      const res = await fetch(
        `${endpoint}/openai/deployments/text-embedding-3-small/embeddings` +
          "?api-version=2024-10-21",
        {
          method: "POST",
          headers: { "api-key": CLIENT_KEY, "content-type": "application/json" },
          body: JSON.stringify({ input: "probe" }),
        },
      );
      await res.text();
      // Its own hold goes once the app saw its body end (which may come after the client read
      // it all) and delivered its event.
      await new Promise((resolve) => realSetTimeout(resolve, 20));
      await Promise.allSettled([...pendingWork]);
      return res.status === 429;
    } finally {
      probeRemaining = undefined;
    }
  };
  if (!await refused(1)) return 0;
  let low = 1; // refused: held >= low
  let high = 1;
  while (await refused(high *= 2)) low = high;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (await refused(mid)) low = mid;
    else high = mid;
  }
  return low;
}

const MiB = 2 ** 20;
async function settle(): Promise<void> {
  // Work the responses left running (charges, cache writes, events), then timers of cancelled
  // bodies. 3 s also lets the 2 s cache entries expire.
  await Promise.allSettled([...pendingWork]);
  await new Promise((resolve) => realSetTimeout(resolve, 3000));
  await Promise.allSettled([...pendingWork]);
  for (let k = 0; k < 3; k++) {
    gc?.();
    await new Promise((resolve) => realSetTimeout(resolve, 50));
  }
}

if (!gc) console.log("note: run with --v8-flags=--expose-gc: without it the numbers mean little");
console.log(
  `soak: ${ROUNDS} rounds × ${PER_ROUND} requests, concurrency ${CONCURRENCY}, kinds: ${
    kinds.map(([n]) => n).join(",")
  }${EVENTS ? " (+onRequest)" : ""}`,
);
console.log(
  "round  heapUsed MiB  rss MiB  sharedListeners  pendingTimers  pendingWork  heldTokens  s",
);
const rows: number[][] = [];
for (let r = 0; r < ROUNDS; r++) {
  const t0 = performance.now();
  await round(r * PER_ROUND);
  const secs = (performance.now() - t0) / 1000;
  await settle();
  const held = await heldTokens();
  const mem = Deno.memoryUsage();
  const row = [
    r + 1,
    mem.heapUsed / MiB,
    mem.rss / MiB,
    sharedListeners.size,
    pendingTimers.size,
    pendingWork.size,
    held,
    secs,
  ];
  rows.push(row);
  console.log(
    `${String(row[0]).padStart(5)}  ${row[1].toFixed(2).padStart(12)}  ${
      row[2].toFixed(1).padStart(7)
    }  ${String(row[3]).padStart(15)}  ${String(row[4]).padStart(13)}  ${
      String(row[5]).padStart(11)
    }  ${String(row[6]).padStart(10)}  ${row[7].toFixed(1)}`,
  );
}
const first = rows[Math.min(1, rows.length - 1)];
const last = rows[rows.length - 1];
console.log(
  `after warm-up (round ${first[0]} -> ${last[0]}): heap ${
    (last[1] - first[1]).toFixed(2)
  } MiB, rss ${(last[2] - first[2]).toFixed(1)} MiB, listeners ${last[3] - first[3]}, timers ${
    last[4] - first[4]
  }, held tokens ${last[6] - first[6]}`,
);
console.log("outcomes:", JSON.stringify(outcomes));
console.log(
  "upstream:",
  JSON.stringify(emulator.stats),
  "cut streams:",
  cutStreams,
  "events:",
  events,
);
if (Object.keys(errors).length) console.log("onError:", JSON.stringify(errors));

shutdown.abort();
await server.shutdown();
await Promise.allSettled([...pendingWork]);
kv.close();
for (const id of pendingTimers) realClearTimeout(id as number);
