/**
 * serveEdge() when it cannot listen: an Error naming the variable to change (PORT, HOST), and
 * the Deno KV it opened closed again.
 */
import assert from "node:assert/strict";
import { edgeConfigFromEnv, serveEdge } from "../../edge/deno.ts";

/** Runs `fn` with a temp dir, counting the Deno KV handles closed. */
async function withKv(fn: (dir: string, closed: () => number) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  const openKv = Deno.openKv;
  let closed = 0;
  const setOpenKv = (value: typeof Deno.openKv) =>
    Object.defineProperty(Deno, "openKv", { value, configurable: true, writable: true });
  setOpenKv(async (path?: string) => {
    const kv = await openKv(path);
    const close = kv.close.bind(kv);
    kv.close = () => (closed++, close());
    return kv;
  });
  try {
    await fn(dir, () => closed);
  } finally {
    setOpenKv(openKv);
    await Deno.remove(dir, { recursive: true });
  }
}

const config = (vars: Record<string, string>) => edgeConfigFromEnv((name) => vars[name]);

Deno.test("serveEdge() on a port in use rejects naming PORT (and the address), and closes its Deno KV", async () => {
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = String(taken.addr.port);
  await withKv(async (dir, closed) => {
    await assert.rejects(
      serveEdge(config({ PORT: port, AOAI_EDGE_KV_PATH: `${dir}/edge.kv` })),
      new RegExp(`^Error: cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use; set PORT`),
    );
    assert.equal(closed(), 1, "the KV handle was closed");
  });
});

Deno.test("serveEdge() on a HOST that is no address of this machine rejects naming HOST, and closes its Deno KV", async () => {
  await withKv(async (dir, closed) => {
    await assert.rejects(
      serveEdge(config({ PORT: "0", HOST: "192.0.2.1", AOAI_EDGE_KV_PATH: `${dir}/edge.kv` })),
      /^Error: cannot listen on 192\.0\.2\.1:0: .*; set HOST to an address of this machine/,
    );
    assert.equal(closed(), 1, "the KV handle was closed");
  });
});
