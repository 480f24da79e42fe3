/**
 * Where our per-call overhead over raw fetch goes, against the bench server in its own process
 * (8-dimension embeddings, float JSON): each stage adds one part of the client to the one
 * before, and a hand-fused "floor" does on success what the default stack must (an abortable
 * deadline on the shared alarm clock, the api-key header, one fetch with the signal, JSON) with
 * no pipeline at all. Rounds of 50 calls per stage, interleaved (the order flips every round);
 * medians of the rounds, wall and this process's CPU µs per call, each as a ratio to raw fetch.
 *
 * Stages: raw fetch; raw fetch with a signal; the floor; our terminal (fetch from a client
 * context); the terminal with a deadline by hand and under `timeout()`; `compose()` with the
 * api-key layer; with retry, timeout (no deadline) and auth; `ClientCore.send()`;
 * `embeddings.create()` without retry and timeout, with retry only, with timeout only, and with
 * the default stack (both).
 *
 * Run: `deno run -A bench/overhead_stages.ts [rounds=100]`
 *
 * @module
 */
import { AzureOpenAI } from "../mod.ts";
import { ClientCore } from "../src/_internal/core.ts";
import { createTerminal } from "../src/transport/send.ts";
import { CallContext } from "../src/middleware/_replay.ts";
import { compose } from "../src/middleware/compose.ts";
import { apiKeyAuth } from "../src/auth/auth_middleware.ts";
import { retry } from "../src/middleware/retry.ts";
import { timeout } from "../src/middleware/timeout.ts";
import { ALARMS } from "../src/middleware/_alarm_clock.ts";
import { endParked, PARKED_STATE_KEY } from "../src/middleware/_deadline.ts";
import type { MiddlewareContext } from "../src/middleware/types.ts";
import { BENCH_API_VERSION, BENCH_KEY, INPUT } from "./overhead_fixture.ts";
import { interleave, pinning, ratioRows, startBenchServer } from "./_interleave.ts";

const rounds = Number(Deno.args[0] ?? 100);
if (!Number.isInteger(rounds) || rounds < 2) throw new Error("rounds must be an integer ≥ 2");
const CALLS = 50;

const server = await startBenchServer([8]);
const endpoint = server.endpoint;
const url = `${endpoint}/openai/deployments/emb-8/embeddings?api-version=${BENCH_API_VERSION}`;
type Embedding = { data: Array<{ embedding: number[] }> };
const headers = () => ({
  "api-key": BENCH_KEY,
  accept: "application/json",
  "content-type": "application/json",
});
const body = () => JSON.stringify({ input: INPUT, encoding_format: "float" });

const raw = async () =>
  ((await (await fetch(url, { method: "POST", headers: headers(), body: body() }))
    .json()) as Embedding).data[0].embedding;

/** Raw fetch given a fresh AbortController's signal (what any deadline costs fetch). */
const rawSignal = async () =>
  ((await (await fetch(url, {
    method: "POST",
    headers: headers(),
    body: body(),
    signal: new AbortController().signal,
  })).json()) as Embedding).data[0].embedding;

const TIMED_OUT = new DOMException("the deadline passed", "TimeoutError");
/** The floor: what the default stack does on success, fused by hand (no retry needed). */
const floor = async () => {
  const controller = new AbortController();
  const alarm = ALARMS.set(600_000, () => controller.abort(TIMED_OUT));
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: headers(),
      body: body(),
      signal: controller.signal,
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return ((await res.json()) as Embedding).data[0].embedding;
  } finally {
    ALARMS.cancel(alarm);
  }
};

const context = (timeoutMs = 0) =>
  new CallContext({ url, method: "POST", headers: headers(), body: body() }, {
    operation: "embeddings.create",
    deployment: "emb-8",
    apiVersion: BENCH_API_VERSION,
    params: {},
    attempt: 1,
    signal: undefined,
    stream: false,
    replayable: true,
    options: { timeoutMs, maxRetries: 0 },
    state: { [PARKED_STATE_KEY]: [] },
  });
const via = (run: (ctx: MiddlewareContext) => Promise<Response>) => async () =>
  ((await (await run(context())).json()) as Embedding).data[0].embedding;
const terminal = createTerminal();
/** The terminal with a deadline set by hand, as `timeout()` would (signal and alarm). */
const terminalDeadline = async () => {
  const ctx = context();
  const controller = new AbortController();
  const alarm = ALARMS.set(600_000, () => controller.abort(TIMED_OUT));
  ctx.signal = controller.signal;
  try {
    return ((await (await terminal(ctx)).json()) as Embedding).data[0].embedding;
  } finally {
    ALARMS.cancel(alarm);
  }
};
const withTimeout = compose([timeout()], terminal);
/** The terminal under `timeout()` with a deadline (parked until the body was read). */
const terminalTimeout = async () => {
  const ctx = context(600_000);
  const res = await withTimeout(ctx);
  const data = (await res.json()) as Embedding;
  endParked(ctx.state);
  return data.data[0].embedding;
};
const bare = { endpoint, apiKey: BENCH_KEY, apiVersion: BENCH_API_VERSION, maxRetries: 0 };
const core = new ClientCore({ ...bare, timeoutMs: 0 });
const bareClient = new AzureOpenAI({ ...bare, timeoutMs: 0 });
const defaultClient = new AzureOpenAI({
  endpoint,
  apiKey: BENCH_KEY,
  apiVersion: BENCH_API_VERSION,
});
const retryOnly = new AzureOpenAI({ ...bare, maxRetries: 2, timeoutMs: 0 });
const timeoutOnly = new AzureOpenAI(bare);
const params = { model: "emb-8", input: INPUT, encoding_format: "float" as const };

const stages: Array<[string, () => Promise<number[]>]> = [
  ["raw fetch + JSON", raw],
  ["raw fetch + a fresh AbortController signal", rawSignal],
  ["floor: deadline + signal, fused by hand", floor],
  ["terminal (client context)", via(terminal)],
  ["terminal + deadline by hand", terminalDeadline],
  ["terminal under timeout(), deadline", terminalTimeout],
  ["compose([auth])", via(compose([apiKeyAuth(BENCH_KEY)], terminal))],
  [
    "compose([retry, timeout, auth]), no deadline",
    via(
      compose([retry(), timeout(), apiKeyAuth(BENCH_KEY)], terminal),
    ),
  ],
  ["ClientCore.send()", async () =>
    ((await core.send({
      operation: "embeddings.create",
      method: "POST",
      scope: "deployment",
      path: "embeddings",
      deployment: "emb-8",
      json: { input: INPUT, encoding_format: "float" },
      params: {},
      read: "json",
    })).data as Embedding).data[0].embedding],
  [
    "embeddings.create(), retry and timeout off",
    async () => (await bareClient.embeddings.create(params)).data[0].embedding,
  ],
  [
    "embeddings.create(), retry only",
    async () => (await retryOnly.embeddings.create(params)).data[0].embedding,
  ],
  [
    "embeddings.create(), timeout only",
    async () => (await timeoutOnly.embeddings.create(params)).data[0].embedding,
  ],
  [
    "embeddings.create(), default stack",
    async () => (await defaultClient.embeddings.create(params)).data[0].embedding,
  ],
];

try {
  for (const [name, call] of stages) {
    if ((await call()).length !== 8) throw new Error(`${name}: wrong vector`);
    for (let i = 0; i < 500; i++) await call();
  }
  const medians = await interleave(stages.map(([, call]) => call), rounds, CALLS);
  console.log(
    `Deno ${Deno.version.deno}; ${rounds} interleaved rounds × ${CALLS} calls; medians; ${
      pinning(server)
    }\n`,
  );
  console.log("| stage | wall µs/call | vs raw | client CPU µs/call | vs raw |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const row of ratioRows(stages.map(([name]) => name), medians)) console.log(row);
} finally {
  await server.close();
}
