import assert from "node:assert/strict";

// The symptom behind pausing a raw response's deadline: a script that checks only the status of
// a `client.request()` answer must end at once, not when timeoutMs (600 s by default) is over.
Deno.test("a script that never reads a client.request() body exits at once", async () => {
  const root = new URL("../../", import.meta.url);
  const dir = await Deno.makeTempDir();
  try {
    const script = `${dir}/unread.ts`;
    await Deno.writeTextFile(
      script,
      `import { AzureOpenAI } from "${new URL("mod.ts", root).href}";
import { createEmulator } from "${new URL("src/emulator/mod.ts", root).href}";
const emulator = createEmulator();
const client = new AzureOpenAI({
  endpoint: "http://emulator.local",
  apiKey: emulator.apiKey,
  fetch: emulator.fetch,
});
const res = await client.request({
  path: "embeddings",
  deployment: "text-embedding-3-small",
  json: { input: "hi" },
});
console.log(res.status);
`,
    );
    const started = Date.now();
    const { code, stdout } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-lock", script],
      cwd: root.pathname,
      stdout: "piped",
      stderr: "inherit",
      // Killed if it lingers: the process of the old behaviour stayed up for timeoutMs.
      signal: AbortSignal.timeout(20_000),
    }).output();
    assert.equal(new TextDecoder().decode(stdout).trim(), "200");
    assert.equal(code, 0, `exit code ${code} after ${Date.now() - started} ms`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
