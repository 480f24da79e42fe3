import assert from "node:assert/strict";
import { createCors } from "./cors.ts";

const notAnOrigin = (entry: string) =>
  assert.throws(
    () => createCors({ origins: [entry] }),
    (err: unknown) =>
      err instanceof TypeError &&
      err.message.startsWith(
        `createEdgeApp: cors.origins[0] ${JSON.stringify(entry)} is not an origin`,
      ),
    entry,
  );

Deno.test("createCors() refuses an origin entry with a query, fragment, user or password", () => {
  for (
    const entry of [
      "https://a.example/?q=1",
      "https://a.example/#top",
      "https://user@a.example",
      "https://:pw@a.example",
    ]
  ) notAnOrigin(entry);
});

Deno.test("createCors() refuses an entry with a scheme that is no URL, naming it", () => {
  notAnOrigin("https://a example");
  notAnOrigin("http://[::1");
});

Deno.test("createCors() takes a non-web origin (an extension's) as written, without its trailing slash", () => {
  const cors = createCors({ origins: ["chrome-extension://abcdefgh/"] });
  const req = new Request("http://x/", { headers: { origin: "chrome-extension://abcdefgh" } });
  assert.equal(cors.headersFor(req)["access-control-allow-origin"], "chrome-extension://abcdefgh");
});
