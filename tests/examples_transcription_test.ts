import assert from "node:assert/strict";

Deno.test("examples/transcription.ts uploads the 1 s of silence its comment promises (a WAV the emulator times at 1 s)", async () => {
  const env = Deno.env.toObject();
  delete env.AZURE_OPENAI_ENDPOINT;
  delete env.AZURE_OPENAI_API_KEY;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      new URL("../examples/transcription.ts", import.meta.url).pathname,
    ],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.match(stdout, /silence\.wav, 32044 bytes\..*\(1 s, \d+ segments\)/);
});
