// A URL nested in a value may be encoded only in part: `https:%2F%2Fuser%3Apass%40host` (a raw
// ':' before encoded slashes) or `https%3A//user:pass@host`. Only the fully raw and the fully
// encoded `://` were seen, so the user name and password of these showed.
import assert from "node:assert/strict";
import { redactUrl } from "../../src/errors/redact.ts";
import { surfaces } from "./_error_text_surfaces.ts";

Deno.test("redactUrl() drops user info of a nested URL whose '://' is encoded in part", () => {
  for (
    const [url, want] of [
      [
        "https://gw.example/x?next=https:%2F%2Fuser%3Apass%40host%2Fp",
        "https://gw.example/x?next=https:%2F%2Fhost%2Fp",
      ],
      [
        "https://gw.example/x?next=https%3A//user:pass@host/p",
        "https://gw.example/x?next=https%3A//host/p",
      ],
      ["/cb?next=https:/%2fu:pass%40h&a=1", "/cb?next=https:/%2fh&a=1"],
      ["/cb?next=https:%252F%252Fu%253Apass%2540h", "/cb?next=https:%252F%252Fh"],
    ]
  ) assert.equal(redactUrl(url), want);
});

Deno.test("a service's error quoting a nested URL encoded in part shows no password on any surface", async () => {
  const text = await surfaces(
    "upstream refused https://gw.example/x?next=https:%2F%2Fuser%3Ap4ssw0rdX%40host%2Fp",
  );
  assert.ok(!text.includes("p4ssw0rdX"), text);
  assert.ok(text.includes("next=https:%2F%2Fhost%2Fp"), text);
});
