import assert from "node:assert/strict";
import { createCors } from "./cors.ts";

Deno.test("createCors() lets browsers cache a preflight answer for 600 s by default", () => {
  const preflight = createCors({ origins: "*" }).preflight(
    new Request("http://x/", { method: "OPTIONS", headers: { origin: "https://a.example" } }),
  );
  assert.equal(preflight?.headers.get("access-control-max-age"), "600");
});
