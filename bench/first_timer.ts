/**
 * What a fresh Deno process pays the first time it uses a few web APIs (run it several times; each
 * run is a fresh process): `setTimeout` + `clearTimeout`, `new AbortController()`, `new Headers()`.
 * The default `timeout()` sets a timer on a client's first call, so its first call pays the first.
 *
 * Run: `for i in 1 2 3; do deno run bench/first_timer.ts; done`
 *
 * @module
 */
const time = (f: () => unknown) => {
  const start = performance.now();
  f();
  return (performance.now() - start).toFixed(2);
};
console.log(
  `first AbortController ${time(() => new AbortController())} ms; ` +
    `first setTimeout+clearTimeout ${time(() => clearTimeout(setTimeout(() => {}, 1000)))} ms; ` +
    `first Headers ${time(() => new Headers({ a: "b" }))} ms; ` +
    `second setTimeout+clearTimeout ${time(() => clearTimeout(setTimeout(() => {}, 1000)))} ms`,
);
