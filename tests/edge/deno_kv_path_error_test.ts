/**
 * serveEdge() with an AOAI_EDGE_KV_PATH that cannot be opened (a directory, a path under a
 * file): the error names the variable, as a port in use names PORT. Before, it was Deno's own
 * words ("unable to open database file: …", "File exists (os error 17): mkdir '…'"), naming no
 * setting, and the default path (.tmp/edge.kv) did not even say a variable chooses it.
 */
import assert from "node:assert/strict";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";
import { KEY } from "./_helpers.ts";

Deno.test("serveEdge() on an AOAI_EDGE_KV_PATH it cannot open rejects naming AOAI_EDGE_KV_PATH and the path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/a-file`;
    await Deno.writeTextFile(file, "");
    for (const kvPath of [dir, `${file}/kv/edge.kv`]) {
      const config = edgeConfigFromEnv((name) =>
        ({ PORT: "0", AOAI_EDGE_KEYS: KEY, AOAI_EDGE_KV_PATH: kvPath } as Record<string, string>)[
          name
        ]
      );
      await assert.rejects(serveEdge(config), (err: Error) => {
        assert.match(err.message, /^AOAI_EDGE_KV_PATH: cannot open Deno KV at /, err.message);
        assert.ok(err.message.includes(kvPath), err.message);
        return true;
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
