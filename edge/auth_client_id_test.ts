import assert from "node:assert/strict";
import { clientIdOf } from "./auth.ts";

// sha256sum of "aoai-edge client id\0a-long-random-client-key", first 16 bytes in hex: a byte
// under 0x10 (the "01") shows the zero padding, bytes over 0x10 the radix.
Deno.test("clientIdOf() is the first 16 bytes of SHA-256 over its domain and the key, in hex", async () => {
  assert.equal(
    await clientIdOf("a-long-random-client-key"),
    "29e17920ff22864a319e90d3018682ba",
  );
});
