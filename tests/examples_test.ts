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
  // The tool ran once with the model's arguments, then the answer from its result.
  "run_tools.ts":
    /^model calls get_weather \{"city":"Paris"\}\ntool result \{"city":"Paris","sky":"sunny","celsius":21\}\nanswer: Tool result: \{"city":"Paris",.*\}\n2 completions, \d+ tokens$/m,
  // Three overlapping batches, the tool call, then an answer streamed from the top 3 documents.
  "rag.ts":
    /^docs 0-19: cache -, \d+ tokens billed\ndocs 10-34: .*\ndocs 30-49: .*\nsearch_docs\("When was the lighthouse on island 7 built\?"\)\nquery: cache -, \d+ tokens billed\n(.*Doc \d+: the lighthouse on island \d+ was built in \d+\.\n){3}finish: stop, \d+ tokens\nthe question again: /m,
  // Deltas, then the whole text (the same words) and the token usage of the done event.
  "transcription_stream.ts":
    /^The emulator heard silence\.wav, 32044 bytes\..*\ntext: The emulator heard silence\.wav, 32044 bytes\.[\s\S]*usage: \{[\s\S]*total_tokens: \d+/m,
  // One line per call with its usage; the stream's with its time to the first chunk.
  "usage_logging.ts":
    /^chat\.completions\.create gpt-4o: \d+ in \+ \d+ out = \d+ tokens, \$0\.\d{6} \([\d.]+ ms\)\nembeddings\.create text-embedding-3-small: \d+ in \+ 0 out = \d+ tokens, .*\nchat\.completions\.create \(stream\) gpt-4o: \d+ in \+ \d+ out = \d+ tokens, \$0\.\d{6} \([\d.]+ ms, first chunk [\d.]+ ms\)\n3 calls, \$0\.\d{6} in all$/m,
  // The page rebuilt the whole reply (with the usage chunk), and the stored branch has the same.
  "stream_relay.ts":
    /^You said: Tell me a short story about a lighthouse\.\npage: stop \d+ tokens\nstored: chatcmpl-\S+ \d+ chars, \{ prompt_tokens: \d+, completion_tokens: \d+, total_tokens: \d+ \}\nsame text: true$/m,
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
