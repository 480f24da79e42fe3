import assert from "node:assert/strict";
import { createEmulator } from "../src/emulator/mod.ts";
import { parseEmulatorArgs } from "./emulator.ts";

Deno.test("parseEmulatorArgs() defaults to 127.0.0.1:8788 and no options", () => {
  assert.deepEqual(parseEmulatorArgs([], {}), {
    port: 8788,
    hostname: "127.0.0.1",
    options: {},
    help: false,
  });
});

Deno.test("parseEmulatorArgs() reads env and lets flags win", () => {
  const cli = parseEmulatorArgs(["--port", "9000", "--key=a", "--key", "b", "--latency", "5"], {
    PORT: "1234",
    AOAI_EMULATOR_KEYS: "x, y",
    AOAI_EMULATOR_CHUNK_DELAY_MS: "20",
    AOAI_EMULATOR_RPM: "60",
    AOAI_EMULATOR_ERROR_RATE: "0.5",
  });
  assert.equal(cli.port, 9000);
  assert.deepEqual(cli.options.apiKeys, ["a", "b"]);
  assert.equal(cli.options.chunkDelayMs, 20);
  assert.deepEqual(cli.options.rateLimits, { requestsPerMinute: 60, tokensPerMinute: undefined });
  assert.deepEqual(cli.options.faults, { latencyMs: 5, errorRate: 0.5 });
  assert.deepEqual(parseEmulatorArgs([], { AOAI_EMULATOR_KEYS: "x, y" }).options.apiKeys, [
    "x",
    "y",
  ]);
});

Deno.test("parseEmulatorArgs() throws naming the flag for bad input", () => {
  assert.throws(() => parseEmulatorArgs(["--port", "abc"], {}), /--port needs a number/);
  assert.throws(() => parseEmulatorArgs(["--nope", "1"], {}), /Unknown flag --nope/);
  assert.throws(() => parseEmulatorArgs(["--key"], {}), /--key needs a value/);
  assert.throws(() => parseEmulatorArgs(["stray"], {}), /Unknown argument/);
  assert.equal(parseEmulatorArgs(["--help"], {}).help, true);
});

Deno.test("bin/emulator.ts serves on the printed URL with the printed key", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./emulator.ts", import.meta.url).pathname, "--port", "0"],
    env: { AOAI_EMULATOR_KEYS: "cli-test-key" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    for (let i = 0; i < 50 && !out.includes("api-key:"); i++) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    assert.ok(url, out);
    assert.match(out, /api-key:\s+cli-test-key/);
    const res = await fetch(`${url}/openai/v1/embeddings`, {
      method: "POST",
      headers: { authorization: "Bearer cli-test-key", "content-type": "application/json" },
      body: JSON.stringify({ model: "text-embedding-3-small", input: "x", dimensions: 3 }),
    });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).data[0].embedding.length, 3);
    await reader.cancel();
  } finally {
    child.kill("SIGTERM");
    await child.status;
  }
});

Deno.test("parseEmulatorArgs() refuses ports, error rates and statuses that cannot work", () => {
  for (const port of ["1.5", "-1", "65536", "70000"]) {
    assert.throws(() => parseEmulatorArgs(["--port", port], {}), /--port needs a whole number/);
    assert.throws(() => parseEmulatorArgs([], { PORT: port }), /--port needs a whole number/);
  }
  assert.equal(parseEmulatorArgs(["--port", "0"], {}).port, 0);
  assert.equal(parseEmulatorArgs(["--port", "65535"], {}).port, 65535);
  // createEmulator() checks the error rate and status (the CLI exits 2 with its message).
  const start = (args: string[]) => () => createEmulator(parseEmulatorArgs(args, {}).options);
  for (const rate of ["2", "-0.1"]) {
    assert.throws(start(["--error-rate", rate]), /options\.faults\.errorRate .*0 to 1/);
  }
  for (const status of ["200", "99", "600", "500.5"]) {
    assert.throws(start(["--error-status", status]), /options\.faults\.errorStatus .*400 to 599/);
  }
  assert.equal(parseEmulatorArgs(["--error-status", "429"], {}).options.faults?.errorStatus, 429);
  // So are latency, stream faults and rate limits.
  for (
    const [flag, value, option] of [
      ["--latency", "-5", /options\.faults\.latencyMs must be a number >= 0/],
      ["--drop-after", "1.5", /options\.faults\.dropStreamAfterChunks must be a whole number >= 0/],
      ["--malformed-at", "-1", /options\.faults\.malformedChunkAt must be a whole number >= 0/],
      ["--rpm", "-1", /options\.rateLimits\.requestsPerMinute must be a whole number >= 0/],
      ["--tpm", "0.5", /options\.rateLimits\.tokensPerMinute must be a whole number >= 0/],
    ] as const
  ) {
    assert.throws(start([flag, value]), option, flag);
  }
});

/** Runs the CLI to its exit: its code and stderr (stdout is discarded). */
async function runCli(args: string[]): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./emulator.ts", import.meta.url).pathname, ...args],
    env: { NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("bin/emulator.ts names the problem, without a stack trace, when it cannot start", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const { port } = taken.addr as Deno.NetAddr;
    const busy = await runCli(["--port", String(port)]);
    assert.equal(busy.code, 1, busy.stderr);
    assert.match(busy.stderr, new RegExp(`127\\.0\\.0\\.1:${port} is in use`));
    assert.doesNotMatch(busy.stderr, /Uncaught|\n\s+at /);
  } finally {
    taken.close();
  }
  // Values only the emulator checks.
  for (const args of [["--chunk-size", "0"], ["--key="], ["--error-rate", "2"]]) {
    const bad = await runCli(args);
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /createEmulator\(\): options\.(chunkSize|apiKeys|faults\.errorRate)/);
    assert.doesNotMatch(bad.stderr, /Uncaught|\n\s+at /);
  }
});
