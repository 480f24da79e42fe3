import assert from "node:assert/strict";

const DIR = new URL("../examples/", import.meta.url);

/** What each example must print (against the built-in emulator). */
const EXPECT: Record<string, RegExp> = {
  "chat.ts": /You said: Name one prime number\.[\s\S]*usage:/,
  "chat_stream.ts": /finish: stop usage: \{/,
  "chat_tools.ts": /^get_weather \{/m,
  "completions.ts": /You said: Once upon a time/,
  "embeddings.ts": /#1: 256 dims, \|v\| = 1\.0000/,
  "images.ts": /PNG bytes: \d+/,
  "images_dalle2.ts": /image: http/,
  // The 1 s of silence its comment promises: a WAV the emulator times at 1 s.
  "transcription.ts": /silence\.wav, 32044 bytes\..*\(1 s, \d+ segments\)[\s\S]*00:00:00,000 -->/,
  "translation.ts": /translated speech\.wav, 32044 bytes, into English/,
  "speech.ts": /audio\/wav \d+ bytes/,
  "entra_token.ts": /token refreshes for two calls: 1/,
  "v1_api.ts": /You said: ping/,
  "middleware.ts": /embeddings\.create attempt 1: 200/,
};

Deno.test("every example is covered by this test", async () => {
  const files: string[] = [];
  for await (const entry of Deno.readDir(DIR)) {
    if (entry.isFile && entry.name.endsWith(".ts") && !entry.name.startsWith("_")) {
      files.push(entry.name);
    }
  }
  assert.deepEqual(files.sort(), Object.keys(EXPECT).sort());
});

for (const [file, expected] of Object.entries(EXPECT)) {
  Deno.test(`examples/${file} runs against the emulator and prints what it promises`, async () => {
    const env = Deno.env.toObject();
    delete env.AZURE_OPENAI_ENDPOINT;
    delete env.AZURE_OPENAI_API_KEY;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", new URL(file, DIR).pathname],
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, `exit ${out.code}\n${stdout}\n${stderr}`);
    assert.match(stdout, expected);
  });
}
