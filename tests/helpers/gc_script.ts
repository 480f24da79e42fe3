/**
 * Runs `script` (a module's text) in a fresh Deno process with `gc()` exposed (`deno test` has
 * none), from the repo root, and gives the JSON its last line of output printed. Fails with its
 * stderr when it exits non-zero; ends it after 60 s. `T` is the shape the script prints.
 */
export async function runWithGc<T>(script: string): Promise<T> {
  const root = new URL("../../", import.meta.url);
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/script.js`;
    await Deno.writeTextFile(file, script);
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-lock", "--v8-flags=--expose-gc", file],
      cwd: root.pathname,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    if (code !== 0) throw new Error(`exit ${code}: ${new TextDecoder().decode(stderr)}`);
    return JSON.parse(new TextDecoder().decode(stdout).trim().split("\n").at(-1)!);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
