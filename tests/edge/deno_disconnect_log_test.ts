/**
 * A client that leaves while the app waits for its upstream, whose answer (200) comes anyway: the
 * app has a response for a client that is gone. Deno.serve (2.9) reports a response body that
 * errors to its `onError`, whose default prints the error with its stack to stderr; the body
 * errored on its first read (the upstream call's signal had aborted), so `deno task serve`
 * printed an `APIUserAbortError` trace for such a disconnect (2 in 10,000 soak requests). A
 * disconnect is quiet; a stream the upstream breaks still reaches the log.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;

async function serve(mode: string, flags: string[]): Promise<{ out: string; err: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", ...flags, "tests/edge/_disconnect_log_server.ts", mode],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // The script stops by itself; this turns a hang into a failure.
  const watchdog = setTimeout(() => child.kill("SIGKILL"), 60_000);
  try {
    const { stdout, stderr, success } = await child.output();
    const out = new TextDecoder().decode(stdout);
    const err = new TextDecoder().decode(stderr);
    assert.ok(success, `the server script failed:\n${out}\n${err}`);
    return { out, err };
  } finally {
    clearTimeout(watchdog);
  }
}

/** Deno's one-time notice about the legacy request.signal (without the flag): no error. */
const LEGACY_NOTICE = /^Deno\.serve: request\.signal aborts on successful responses.*\n?/m;

for (
  const [mode, flags] of [
    ["stream", ["--unstable-no-legacy-abort"]],
    ["json", ["--unstable-no-legacy-abort"]],
    ["stream", []],
  ] as const
) {
  Deno.test(
    `a client gone before the upstream answered (${mode}${
      flags.length ? `, ${flags[0]}` : ""
    }) prints nothing`,
    async () => {
      const { out, err } = await serve(mode, [...flags]);
      // The scenario took place: the upstream answered after the abort, and its body ended.
      assert.match(out, /upstream answered, aborted: true/);
      assert.match(out, /upstream body: (cancelled|read to its end)/);
      assert.match(out, /\ndone\n/);
      assert.doesNotMatch(out, /onError:/);
      assert.equal(err.replace(LEGACY_NOTICE, ""), "");
    },
  );
}

Deno.test("a stream the upstream breaks inside an event, its client still there, is logged", async () => {
  const { out, err } = await serve("cut", ["--unstable-no-legacy-abort"]);
  assert.match(out, /upstream body: errored/);
  // Reported by the app, once; the body then ends cleanly (with the error event), so Deno.serve's
  // default onError prints nothing besides.
  const reports = out.split("\n").filter((line) => line.startsWith("onError: "));
  assert.equal(reports.length, 1, out);
  assert.match(
    reports[0],
    /^onError: chat: the upstream's stream broke before its end \(APIConnectionError: chat\.completions\.create lost the connection/,
  );
  assert.equal(err.replace(LEGACY_NOTICE, ""), "");
});
