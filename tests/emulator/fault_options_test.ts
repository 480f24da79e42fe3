import assert from "node:assert/strict";
import { createEmulator } from "../../src/emulator/mod.ts";

Deno.test("createEmulator() refuses an errorRate outside 0..1, naming the option and range", () => {
  for (const errorRate of [2, -0.1, NaN, Infinity]) {
    assert.throws(
      () => createEmulator({ faults: { errorRate } }),
      (err: unknown) =>
        err instanceof TypeError &&
        /options\.faults\.errorRate must be a number from 0 to 1, got /.test(err.message),
      String(errorRate),
    );
  }
  for (const errorRate of [0, 0.25, 1]) createEmulator({ faults: { errorRate } });
});

Deno.test("createEmulator() refuses an errorStatus that is not a 4xx or 5xx status", () => {
  for (const errorStatus of [200, 99, 600, 500.5, NaN]) {
    assert.throws(
      () => createEmulator({ faults: { errorRate: 1, errorStatus } }),
      (err: unknown) =>
        err instanceof TypeError &&
        /options\.faults\.errorStatus must be a whole number from 400 to 599/.test(err.message),
      String(errorStatus),
    );
  }
  for (const errorStatus of [400, 429, 503, 599]) createEmulator({ faults: { errorStatus } });
});

const refuses = (make: () => unknown, message: RegExp, label: string) =>
  assert.throws(
    make,
    (err: unknown) => err instanceof TypeError && message.test(err.message),
    label,
  );

Deno.test("createEmulator() refuses a failNext.status that is not a 4xx or 5xx status", () => {
  for (const status of [200, 99, 600, 500.5, NaN]) {
    refuses(
      () => createEmulator({ faults: { failNext: { count: 1, status } } }),
      /options\.faults\.failNext\.status must be a whole number from 400 to 599, got /,
      String(status),
    );
  }
  for (const count of [-1, 1.5, NaN]) {
    refuses(
      () => createEmulator({ faults: { failNext: { count } } }),
      /options\.faults\.failNext\.count must be a whole number >= 0, got /,
      String(count),
    );
  }
  createEmulator({ faults: { failNext: { count: 2, status: 429 } } });
});

Deno.test("emulator.failNext() refuses a status that is not 4xx/5xx and a count that is not whole", async () => {
  const emulator = createEmulator({ apiKeys: ["k"] });
  for (const status of [200, 99, 600, 500.5, NaN]) {
    refuses(
      () => emulator.failNext(1, status),
      /emulator\.failNext\(\): status must be a whole number from 400 to 599, got /,
      String(status),
    );
  }
  for (const count of [-1, 1.5, NaN]) {
    refuses(
      () => emulator.failNext(count),
      /emulator\.failNext\(\): count must be a whole number >= 0, got /,
      String(count),
    );
  }
  // A refused call leaves the previous setting alone; a valid one still works.
  emulator.failNext(1, 429);
  const res = await emulator.fetch(
    "http://emulator.local/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21",
    {
      method: "POST",
      headers: { "api-key": "k", "content-type": "application/json" },
      body: JSON.stringify({ input: "hi" }),
    },
  );
  await res.body?.cancel();
  assert.equal(res.status, 429);
});

Deno.test("createEmulator() refuses negative, NaN or infinite delays in ms", () => {
  for (const key of ["latencyMs", "retryAfterMs"] as const) {
    for (const value of [-1, NaN, Infinity]) {
      refuses(
        () => createEmulator({ faults: { [key]: value } }),
        new RegExp(`options\\.faults\\.${key} must be a number >= 0, got `),
        `${key} ${value}`,
      );
    }
    for (const value of [0, 2.5, 1000]) createEmulator({ faults: { [key]: value } });
  }
});

Deno.test("createEmulator() refuses chunk indexes that are not whole numbers >= 0", () => {
  for (const key of ["dropStreamAfterChunks", "malformedChunkAt"] as const) {
    for (const value of [-1, 1.5, NaN, Infinity]) {
      refuses(
        () => createEmulator({ faults: { [key]: value } }),
        new RegExp(`options\\.faults\\.${key} must be a whole number >= 0, got `),
        `${key} ${value}`,
      );
    }
    for (const value of [0, 3]) createEmulator({ faults: { [key]: value } });
  }
});

Deno.test("createEmulator() refuses rate limits, chunk sizes and poll counts that are not whole", () => {
  for (const key of ["requestsPerMinute", "tokensPerMinute"] as const) {
    for (const value of [-1, 0.5, NaN, Infinity]) {
      refuses(
        () => createEmulator({ rateLimits: { [key]: value } }),
        new RegExp(`options\\.rateLimits\\.${key} must be a whole number >= 0, got `),
        `${key} ${value}`,
      );
    }
    for (const value of [0, 60]) createEmulator({ rateLimits: { [key]: value } });
  }
  for (const chunkSize of [0, 1.5, NaN]) {
    refuses(
      () => createEmulator({ chunkSize }),
      /options\.chunkSize must be a whole number >= 1, got /,
      String(chunkSize),
    );
  }
  for (const operationPolls of [-1, 1.5, NaN]) {
    refuses(
      () => createEmulator({ operationPolls }),
      /options\.operationPolls must be a whole number >= 0, got /,
      String(operationPolls),
    );
  }
  createEmulator({ chunkSize: 3, operationPolls: 0 });
});
