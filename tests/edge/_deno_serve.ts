/**
 * `deno run -A --unstable-no-legacy-abort edge/deno.ts` (what `deno task serve` runs) as a child
 * process on 127.0.0.1 with a port of its own and a Deno KV in a temporary folder, for the tests
 * of the entry point's process behaviour (signals, what it prints). Its stderr is the caller's to
 * read.
 */

/** A running edge/deno.ts. */
export interface DenoServe {
  child: Deno.ChildProcess;
  /** The URL it says it listens on; rejects with what stdout said when it ends before that. */
  url: Promise<string>;
  /** Kills the process if it still runs (SIGKILL), waits for it and removes its KV folder. */
  close(): Promise<void>;
}

/**
 * Starts edge/deno.ts with `env` (beside PORT, HOST, AOAI_EDGE_KV_PATH and NO_COLOR). A watchdog
 * kills it after 60 s: a hang fails the test instead of blocking the run. Its stdout is read to
 * its end (a closed pipe would fail the server's writes).
 */
export async function startDenoServe(env: Record<string, string>): Promise<DenoServe> {
  const dir = await Deno.makeTempDir();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--unstable-no-legacy-abort", "edge/deno.ts"],
    cwd: new URL("../../", import.meta.url).pathname,
    env: {
      PORT: "0",
      HOST: "127.0.0.1",
      AOAI_EDGE_KV_PATH: `${dir}/edge.kv`,
      NO_COLOR: "1",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const watchdog = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const stdout = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const url = (async () => {
    let out = "";
    while (!/listening on (http:\/\/\S+) /.test(out)) {
      const { done, value } = await stdout.read();
      if (done) throw new Error(`no start-up line; output was:\n${out}`);
      out += value;
    }
    return /listening on (http:\/\/\S+) /.exec(out)![1];
  })();
  const rest = url.then(async () => {
    while (!(await stdout.read()).done);
  }).catch(() => {});
  return {
    child,
    url,
    async close() {
      clearTimeout(watchdog);
      try {
        child.kill("SIGKILL");
      } catch {
        // Already stopped.
      }
      await child.status;
      await rest;
      await stdout.cancel().catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
