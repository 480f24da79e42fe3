import assert from "node:assert/strict";
import { parseEmulatorArgs, USAGE } from "./emulator.ts";
import { createEmulator } from "../src/emulator/mod.ts";

Deno.test("parseEmulatorArgs() passes --region (or AOAI_EMULATOR_REGION) to createEmulator() as region", async () => {
  assert.equal(
    parseEmulatorArgs(["--region", "Sweden Central"], {}).options.region,
    "Sweden Central",
  );
  assert.equal(parseEmulatorArgs(["--region=West US"], {}).options.region, "West US");
  const env = { AOAI_EMULATOR_REGION: "Japan East" };
  assert.equal(parseEmulatorArgs([], env).options.region, "Japan East");
  assert.equal(parseEmulatorArgs(["--region", "West US"], env).options.region, "West US");
  assert.equal(parseEmulatorArgs([], {}).options.region, undefined);
  assert.throws(() => parseEmulatorArgs(["--region"], {}), /--region needs a value/);
  assert.match(USAGE, /--region NAME/);
  const e = createEmulator(parseEmulatorArgs(["--region", "Sweden Central"], {}).options);
  const res = await e.fetch(
    "http://x/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
    {
      method: "POST",
      headers: { "api-key": e.apiKey, "content-type": "application/json" },
      body: '{"messages":[{"role":"user","content":"hi"}]}',
    },
  );
  await res.body?.cancel();
  assert.equal(res.headers.get("x-ms-region"), "Sweden Central");
  // A bad name is createEmulator()'s TypeError naming options.region, as for the other values.
  assert.throws(
    () => createEmulator(parseEmulatorArgs(["--region", "East\nUS"], {}).options),
    /options\.region/,
  );
});
