// Starts the edge app the way users do (`deno task serve`: `deno run -A --unstable-no-legacy-abort
// edge/deno.ts`)
// on 127.0.0.1 with a random port, the built-in emulator upstream and Deno KV in a temp dir.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** The deno binary npx runs (resolved once, so the server can be stopped by pid). */
function denoPath() {
  return execFileSync("npx", [
    "--yes",
    "deno@2.9.6",
    "eval",
    "console.log(Deno.execPath())",
  ], {
    cwd: root,
    encoding: "utf8",
  }).trim();
}

/**
 * @param {Record<string, string>} [env] extra environment
 * @returns {Promise<{ url: string, key: string, output: () => string, close: () => Promise<void> }>}
 */
export async function startEdgeApp(env = {}) {
  const dir = mkdtempSync(join(tmpdir(), "aoai-edge-"));
  const key = "compat-client-key-" + Math.random().toString(36).slice(2);
  const child = spawn(denoPath(), ["run", "-A", "--unstable-no-legacy-abort", "edge/deno.ts"], {
    cwd: root,
    env: {
      ...process.env,
      PORT: "0",
      NO_COLOR: "1",
      AOAI_EDGE_KV_PATH: join(dir, "edge.kv"),
      AOAI_EDGE_KEYS: key,
      AZURE_OPENAI_ENDPOINT: "",
      AZURE_OPENAI_API_KEY: "",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (s) => (out += s));
  const url = await new Promise((resolve, reject) => {
    child.stdout.on("data", (s) => {
      out += s;
      const m = /listening on (http:\/\/\S+) /.exec(out);
      if (m && /cache: /.test(out)) resolve(m[1]);
    });
    child.on(
      "exit",
      (code) =>
        reject(
          new Error(`edge app exited (${code}) before listening:\n${out}`),
        ),
    );
  });
  const close = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url, key, output: () => out, close };
}
