// logger({ logBodies }) logged a body as it was, but for credential fields and known secrets: a
// service's error body quoting a SAS URL (its `sig`) or a proxy URL with a password showed them
// in the log, while the thrown error and the edge app's relayed body had them masked.
import assert from "node:assert/strict";
import { redactBody } from "../../src/middleware/_redact.ts";
import { surfaces } from "./_error_text_surfaces.ts";

Deno.test("redactBody() masks secret parameters and user info of the URLs a body quotes", () => {
  const body = JSON.stringify({
    error: {
      message: "bad url https://a.blob.core.windows.net/c/x.png?sv=1&sig=S1 via http://u:S2@p",
    },
  });
  const logged = redactBody(body, [], 10_000);
  for (const secret of ["S1", "S2"]) assert.ok(!logged.includes(secret), logged);
  assert.ok(logged.includes("x.png?sv=1&sig=***"), logged);
  assert.ok(logged.includes("via http://p"), logged);
});

Deno.test("a service's error quoting a SAS URL shows its signature on no surface (thrown, logged, relayed)", async () => {
  const text = await surfaces("invalid url https://a.blob.core.windows.net/c/x?sv=1&sig=SiGlOgGeD");
  assert.ok(!text.includes("SiGlOgGeD"), text);
  assert.ok(text.includes("x?sv=1&sig=***"), text);
});
