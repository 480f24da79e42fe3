/**
 * What an abortable deadline costs a raw fetch, whichever way it is kept (8-dimension embeddings
 * against the bench server in its own process, float JSON): no signal; a fresh signal nobody
 * aborts; a deadline on our shared alarm clock (what `timeout()` uses); the same clock with its
 * idle timer unref'd instead of cleared; one signal shared by every call whose deadline falls in
 * the same second (one controller and no alarm per call); and a `setTimeout`/`clearTimeout` pair
 * per call. Rounds of 50 calls per variant, interleaved (the order flips every round); medians of
 * the rounds, wall and this process's CPU µs per call, each as a ratio to raw fetch.
 *
 * It tells whether a cheaper way to keep the deadline would move the default stack's overhead
 * (see bench/README.md, "Current figures (sixth session)").
 *
 * Run: `deno run -A bench/deadline_variants.ts [rounds=150]`
 *
 * @module
 */
import { AlarmClock } from "../src/middleware/_alarm_clock.ts";
import { BENCH_API_VERSION, BENCH_KEY, INPUT } from "./overhead_fixture.ts";
import { interleave, pinning, ratioRows, startBenchServer } from "./_interleave.ts";

const rounds = Number(Deno.args[0] ?? 150);
if (!Number.isInteger(rounds) || rounds < 2) throw new Error("rounds must be an integer ≥ 2");
const CALLS = 50;
const DEADLINE_MS = 600_000;

const server = await startBenchServer([8]);
const url = `${server.endpoint}/openai/deployments/emb-8/embeddings` +
  `?api-version=${BENCH_API_VERSION}`;
type Embedding = { data: Array<{ embedding: number[] }> };

/** One embeddings call by raw fetch, with `signal` when given. */
const call = async (signal?: AbortSignal) => {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "api-key": BENCH_KEY,
      accept: "application/json",
      "content-type": "application/json",
    },
    body: JSON.stringify({ input: INPUT, encoding_format: "float" }),
    signal,
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return ((await res.json()) as Embedding).data[0].embedding;
};

const TIMED_OUT = new DOMException("the deadline passed", "TimeoutError");

/** Our clock: one shared timer, cleared a few microtasks after its last alarm ends. */
const clock = new AlarmClock();

/** A clock whose idle timer stays armed but unref'd (keeps no process alive). */
const unrefAlarms = new Set<{ at: number; fire: () => void }>();
let unrefTimer: ReturnType<typeof setTimeout> | undefined;
const unrefSet = (ms: number, fire: () => void) => {
  const alarm = { at: performance.now() + ms, fire };
  if (unrefTimer === undefined) {
    const timer = unrefTimer = setTimeout(() => unrefTimer = undefined, ms);
    Deno.unrefTimer(timer);
  }
  unrefAlarms.add(alarm);
  return alarm;
};

/** One signal per second of deadline, shared by the calls that fall in it. */
let bucket: { second: number; controller: AbortController } | undefined;
const bucketSignal = (ms: number) => {
  const second = Math.ceil((performance.now() + ms) / 1000);
  if (bucket?.second !== second) bucket = { second, controller: new AbortController() };
  return bucket.controller.signal;
};

const variants: Array<[string, () => Promise<number[]>]> = [
  ["raw fetch", () => call()],
  ["+ a fresh signal", () => call(new AbortController().signal)],
  ["+ signal, deadline on the shared alarm clock", async () => {
    const controller = new AbortController();
    const alarm = clock.set(DEADLINE_MS, () => controller.abort(TIMED_OUT));
    try {
      return await call(controller.signal);
    } finally {
      clock.cancel(alarm);
    }
  }],
  ["+ signal, deadline on an unref'd idle timer", async () => {
    const controller = new AbortController();
    const alarm = unrefSet(DEADLINE_MS, () => controller.abort(TIMED_OUT));
    try {
      return await call(controller.signal);
    } finally {
      unrefAlarms.delete(alarm);
    }
  }],
  ["+ one signal per second of deadline", () => call(bucketSignal(DEADLINE_MS))],
  ["+ signal, setTimeout/clearTimeout per call", async () => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(TIMED_OUT), DEADLINE_MS);
    try {
      return await call(controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }],
];

try {
  for (const [name, run] of variants) {
    if ((await run()).length !== 8) throw new Error(`${name}: wrong vector`);
    for (let i = 0; i < 300; i++) await run();
  }
  const medians = await interleave(variants.map(([, run]) => run), rounds, CALLS);
  console.log(
    `Deno ${Deno.version.deno}; ${rounds} interleaved rounds × ${CALLS} calls; medians; ${
      pinning(server)
    }\n`,
  );
  console.log("| variant | wall µs/call | vs raw | client CPU µs/call | vs raw |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  for (const row of ratioRows(variants.map(([name]) => name), medians)) console.log(row);
} finally {
  if (unrefTimer !== undefined) clearTimeout(unrefTimer);
  await server.close();
}
