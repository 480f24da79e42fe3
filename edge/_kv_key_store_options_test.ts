import assert from "node:assert/strict";
import { kvKeyBytes, kvStoreOptions } from "./_kv_key.ts";

Deno.test("kvStoreOptions() takes a prefix of exactly 1024 bytes as a key, refuses 1025", () => {
  const fits = ["x".repeat(1022)];
  assert.equal(kvKeyBytes(fits), 1024);
  assert.deepEqual(kvStoreOptions({ prefix: fits }, ["f"], "W").prefix, fits);
  assert.throws(
    () => kvStoreOptions({ prefix: ["x".repeat(1023)] }, ["f"], "W"),
    /^TypeError: W: prefix must be an array of strings or numbers, ≤ 1024 bytes/,
  );
});

Deno.test("kvStoreOptions() tries 32 times by default, takes maxAttempts 1, refuses 0", () => {
  assert.deepEqual(kvStoreOptions({}, ["f"], "W"), { prefix: ["f"], attempts: 32 });
  assert.equal(kvStoreOptions({ maxAttempts: 1 }, ["f"], "W").attempts, 1);
  assert.throws(
    () => kvStoreOptions({ maxAttempts: 0 }, ["f"], "W"),
    /^TypeError: W: maxAttempts must be a whole number of at least 1$/,
  );
});
