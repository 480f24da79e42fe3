/** The URL `serveEdge()` prints and the built-in emulator's image URLs use, for any HOST. */
import assert from "node:assert/strict";
import { listenUrl } from "../../edge/deno.ts";

Deno.test("listenUrl() brackets an IPv6 HOST (HOST=:: or ::1), so the URL parses", () => {
  for (
    const [hostname, expected] of [
      ["127.0.0.1", "http://127.0.0.1:8787"],
      ["localhost", "http://localhost:8787"],
      ["::1", "http://[::1]:8787"],
      ["::", "http://[::1]:8787"],
      ["[::1]", "http://[::1]:8787"],
    ]
  ) {
    const url = listenUrl(hostname, 8787);
    assert.equal(url, expected);
    // The emulator's requests are rebased onto this origin: it must be one.
    assert.equal(new URL(url + "/openai/v1/embeddings").origin, expected);
  }
});

Deno.test("listenUrl() shows a wildcard HOST (0.0.0.0, ::) as its loopback address, which a browser opens on every OS", () => {
  for (
    const [hostname, expected] of [
      ["0.0.0.0", "http://127.0.0.1:8787"],
      ["::", "http://[::1]:8787"],
      ["[::]", "http://[::1]:8787"],
      ["0:0:0:0:0:0:0:0", "http://[::1]:8787"],
      ["192.168.1.20", "http://192.168.1.20:8787"],
    ]
  ) {
    assert.equal(listenUrl(hostname, 8787), expected, hostname);
  }
});
