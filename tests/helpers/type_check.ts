/**
 * `deno check` of sources that exist only in a test (README blocks, SDK snippets after an import
 * switch), with the repository's deno.json: its import map and lock file, nothing fetched.
 */

const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

/**
 * Writes `files` (name → source) to a temporary folder and type-checks the `.ts` ones whose name
 * does not start with `_` (a `_` file is a stub the others import). `output` is what `deno check`
 * printed, with file names relative to that folder.
 */
export async function typeCheck(
  files: Record<string, string>,
  prefix = "type_check_",
): Promise<{ ok: boolean; output: string }> {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    const paths: string[] = [];
    for (const [name, source] of Object.entries(files)) {
      const path = `${dir}/${name}`;
      await Deno.writeTextFile(path, source);
      if (name.endsWith(".ts") && !name.startsWith("_")) paths.push(path);
    }
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", "--frozen", "--config", CONFIG, ...paths],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const output = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    return { ok: out.code === 0, output: output.replaceAll(dir + "/", "") };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
