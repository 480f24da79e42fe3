// A limiter's timeoutMs is a timer's delay: past 2 147 483 647 ms (about 24.8 days; Infinity
// too) a timer fires at once, so "wait as long as it takes" gave the limiter 1 ms and let every
// request through, over the limit. Such a value stops the app instead.
import assert from "node:assert/strict";
import { createEdgeApp, type EdgeAppOptions, entraClientCredentials } from "../../edge/mod.ts";

/** A limiter that refuses, a little later than at once. */
const slowRefusal = {
  take: () =>
    new Promise<{ ok: boolean; retryAfterSeconds: number }>((resolve) =>
      setTimeout(() => resolve({ ok: false, retryAfterSeconds: 5 }), 20)
    ),
};
const base = {
  upstream: { endpoint: "http://127.0.0.1:9", apiKey: "an-azure-key-0001", maxRetries: 0 },
  clientKeys: ["a-client-key-0001"],
  onError: () => {},
};

Deno.test("createEdgeApp() refuses a limiter timeoutMs no timer can wait", () => {
  const check = { check: () => ({ ok: true, retryAfterSeconds: 0 }), charge: () => {} };
  for (const timeoutMs of [Infinity, 2 ** 31, 3e9]) {
    const cases: [Partial<EdgeAppOptions>, RegExp][] = [
      [{ rateLimit: { limiter: slowRefusal, timeoutMs } }, /rateLimit\.timeoutMs must be/],
      [{ tokenLimit: { limiter: check, timeoutMs } }, /tokenLimit\.timeoutMs must be/],
      [
        {
          clientKeys: [{
            key: "a-client-key-0001",
            rateLimit: { requestsPerMinute: 1, timeoutMs },
          }],
        },
        /clientKeys\[0\]\.rateLimit\.timeoutMs must be/,
      ],
    ];
    for (const [options, error] of cases) {
      assert.throws(() => createEdgeApp({ ...base, ...options }), error, String(timeoutMs));
    }
  }
});

Deno.test("a limiter timeoutMs of 2 147 483 647 ms waits for the limiter's refusal", async () => {
  const app = createEdgeApp({
    ...base,
    rateLimit: { limiter: slowRefusal, timeoutMs: 2 ** 31 - 1 },
  });
  const res = await app.fetch(
    new Request("http://edge.test/v1/embeddings", {
      method: "POST",
      headers: { "api-key": "a-client-key-0001", "content-type": "application/json" },
      body: JSON.stringify({ model: "m", input: "x" }),
    }),
  );
  await res.body?.cancel();
  assert.equal(res.status, 429);
});

Deno.test("entraClientCredentials() refuses a timeoutMs no timer can wait (every sign-in failed at once)", () => {
  const credentials = {
    tenantId: "4d1f8a62-0c1e-4b7a-9a55-2f7c3e1b9d10",
    clientId: "0b6f2c1e-3d4a-4e5f-8a9b-1c2d3e4f5a6b",
    clientSecret: "a-client-secret-value",
  };
  for (const timeoutMs of [2 ** 31, 3e9]) {
    assert.throws(
      () => entraClientCredentials({ ...credentials, timeoutMs }),
      /timeoutMs must be a positive number of ms up to 2147483647/,
    );
  }
  entraClientCredentials({ ...credentials, timeoutMs: 2 ** 31 - 1 });
});
