// AOAI_EDGE_EMULATOR_DELAY_MS is read as the other numeric variables are (decimal()): Number()
// took 0x10 as 16 ms, 0b11 as 3 and an empty value as 0.
import assert from "node:assert/strict";
import { edgeConfigFromEnv } from "../../edge/deno.ts";

const config = (delay: string) =>
  edgeConfigFromEnv((name) =>
    ({ AOAI_EDGE_KEYS: "delay-test-client-key", AOAI_EDGE_EMULATOR_DELAY_MS: delay })[name]
  );

Deno.test("AOAI_EDGE_EMULATOR_DELAY_MS: a decimal number of milliseconds; 0x10, 0b11, 1e400, -1 stop the app naming it", () => {
  for (const ok of ["0", "10", " 25 ", "2.5", ""]) assert.doesNotThrow(() => config(ok), ok);
  for (const bad of ["0x10", "0b11", "0o7", "Infinity", "1e400", "-1", "ten"]) {
    assert.throws(
      () => config(bad),
      /AOAI_EDGE_EMULATOR_DELAY_MS must be a number of milliseconds/,
      bad,
    );
  }
});
