import assert from "node:assert/strict";
import { edgeConfigFromEnv } from "../../edge/deno.ts";

const env = (vars: Record<string, string>) => (name: string) => vars[name];

Deno.test("edgeConfigFromEnv() names AOAI_EDGE_RATE_LIMIT_RPM when it is under what Deno KV counts", () => {
  // Else serveEdge() failed later with 'new DenoKvRateLimiter(): requestsPerMinute must be …'.
  for (const tiny of ["0.0005", "1e-9"]) {
    assert.throws(
      () => edgeConfigFromEnv(env({ AOAI_EDGE_RATE_LIMIT_RPM: tiny })),
      /^Error: AOAI_EDGE_RATE_LIMIT_RPM must be at least one request a day [^"]*$/,
    );
  }
  const daily = edgeConfigFromEnv(env({ AOAI_EDGE_RATE_LIMIT_RPM: String(1 / 1440) }));
  assert.deepEqual(daily.options.rateLimit, { requestsPerMinute: 1 / 1440 });
});
