/**
 * The request-overhead server as its own process (for `overhead_compare.ts`, which measures
 * the client process's CPU time): serves on 127.0.0.1 (random port), prints the port, and
 * shuts down when stdin closes.
 *
 * Run: `deno run -A bench/overhead_server_process.ts 8 1536`
 *
 * @module
 */
import { embeddingsHandler } from "./overhead_handler.ts";

const dims = Deno.args.map(Number);
const server = Deno.serve({
  port: 0,
  hostname: "127.0.0.1",
  onListen({ port }) {
    console.log(port);
  },
}, embeddingsHandler(dims));
for await (const _ of Deno.stdin.readable) { /* wait for EOF */ }
await server.shutdown();
