// The built-ins refuse a function option that is not a function when they are made, with a
// TypeError naming the factory and the option. Before: rateLimit({ now: 5 }) failed raw
// ("this[#now] is not a function"), rateLimit({ estimateTokens: 5 }) counted every call as 0
// tokens and rateLimit({ sleep: 5 }) failed at the first queued deadline; retry({ sleep: 5 })
// read as an abort at the first wait ("aborted while waiting to retry"), retry({ onRetry: 5 }) and
// logger({ onEvent: 5 }) were never called (no wait and no event reported), timeout({ now: 5 })
// and the others failed raw in the middle of a call; cache() accepted a non-function waitUntil and
// onStoreError as well.
import assert from "node:assert/strict";
import { cache, logger, MemoryCache, rateLimit, retry, timeout } from "../../src/middleware/mod.ts";

const cases: [string, (options: Record<string, unknown>) => unknown, string[]][] = [
  ["rateLimit()", (o) => rateLimit(o), ["now", "sleep", "estimateTokens"]],
  ["retry()", (o) => retry(o), ["sleep", "random", "now", "onRetry"]],
  ["timeout()", (o) => timeout(o), ["now"]],
  ["logger()", (o) => logger(o), ["onEvent", "now"]],
  ["cache()", (o) => cache({ store: new MemoryCache(), ...o }), ["waitUntil", "onStoreError"]],
];

for (const [factory, make, names] of cases) {
  Deno.test(`${factory} refuses a non-function function option when made, naming it`, () => {
    for (const name of names) {
      for (const value of ["x", 5, {}]) {
        assert.throws(() => make({ [name]: value }), (err: Error) => {
          assert.ok(err instanceof TypeError, `${name}: ${err}`);
          assert.equal(err.message, `${factory}: ${name} must be a function`);
          return true;
        });
      }
      // Left out (undefined or null) is the default.
      make({ [name]: undefined });
      make({ [name]: null });
    }
  });
}
