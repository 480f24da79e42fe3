/**
 * `deno task emulator`: serves the Azure OpenAI emulator on 127.0.0.1.
 *
 * Flags (each also read from the environment; flags win):
 *
 * | flag | env | meaning |
 * | --- | --- | --- |
 * | `--port N` | `PORT` | port (default 8788; 0 picks a free one) |
 * | `--hostname H` | `AOAI_EMULATOR_HOSTNAME` | bind address (default 127.0.0.1) |
 * | `--key K` (repeatable) | `AOAI_EMULATOR_KEYS` (comma-separated) | accepted keys (default: one random key) |
 * | `--chunk-delay MS` | `AOAI_EMULATOR_CHUNK_DELAY_MS` | delay before each streamed chunk |
 * | `--chunk-size N` | `AOAI_EMULATOR_CHUNK_SIZE` | tokens per streamed chunk |
 * | `--latency MS` | `AOAI_EMULATOR_LATENCY_MS` | delay before every response |
 * | `--error-rate P` | `AOAI_EMULATOR_ERROR_RATE` | share of requests failing (0..1) |
 * | `--error-status S` | `AOAI_EMULATOR_ERROR_STATUS` | status of those failures (500) |
 * | `--rpm N` | `AOAI_EMULATOR_RPM` | requests per minute per deployment |
 * | `--tpm N` | `AOAI_EMULATOR_TPM` | tokens per minute per deployment |
 * | `--drop-after N` | `AOAI_EMULATOR_DROP_AFTER` | break streams after N events |
 * | `--malformed-at N` | `AOAI_EMULATOR_MALFORMED_AT` | malformed JSON at event N |
 * | `--operation-retry-after S` | `AOAI_EMULATOR_OPERATION_RETRY_AFTER` | retry-after of image polls |
 * | `--region NAME` | `AOAI_EMULATOR_REGION` | the `x-ms-region` of every answer (default East US) |
 *
 * @example Start it
 * ```sh
 * deno run -A bin/emulator.ts --port 8788 --key dev-key --chunk-delay 20
 * ```
 *
 * @module
 */

import { createEmulator, type EmulatorOptions } from "../src/emulator/mod.ts";

/** Parsed command line: where to listen and the emulator options. */
export interface EmulatorCli {
  port: number;
  hostname: string;
  options: EmulatorOptions;
  help: boolean;
}

/** The usage text printed by `--help`. */
export const USAGE = `Usage: deno run -A bin/emulator.ts [flags]
  --port N                 port (env PORT, default 8788)
  --hostname H             bind address (env AOAI_EMULATOR_HOSTNAME, default 127.0.0.1)
  --key K                  accepted key, repeatable (env AOAI_EMULATOR_KEYS=k1,k2)
  --chunk-delay MS         delay per streamed chunk (env AOAI_EMULATOR_CHUNK_DELAY_MS)
  --chunk-size N           tokens per streamed chunk (env AOAI_EMULATOR_CHUNK_SIZE)
  --latency MS             delay per response (env AOAI_EMULATOR_LATENCY_MS)
  --error-rate P           share of failing requests (env AOAI_EMULATOR_ERROR_RATE)
  --error-status S         status of failing requests (env AOAI_EMULATOR_ERROR_STATUS)
  --rpm N / --tpm N        per-deployment limits (env AOAI_EMULATOR_RPM / _TPM)
  --drop-after N           break streams after N events (env AOAI_EMULATOR_DROP_AFTER)
  --malformed-at N         malformed JSON at event N (env AOAI_EMULATOR_MALFORMED_AT)
  --operation-retry-after S  retry-after of image polls (env AOAI_EMULATOR_OPERATION_RETRY_AFTER)
  --region NAME            x-ms-region of every answer (env AOAI_EMULATOR_REGION, default East US)`;

const NUMERIC: Record<string, string> = {
  "port": "PORT",
  "chunk-delay": "AOAI_EMULATOR_CHUNK_DELAY_MS",
  "chunk-size": "AOAI_EMULATOR_CHUNK_SIZE",
  "latency": "AOAI_EMULATOR_LATENCY_MS",
  "error-rate": "AOAI_EMULATOR_ERROR_RATE",
  "error-status": "AOAI_EMULATOR_ERROR_STATUS",
  "rpm": "AOAI_EMULATOR_RPM",
  "tpm": "AOAI_EMULATOR_TPM",
  "drop-after": "AOAI_EMULATOR_DROP_AFTER",
  "malformed-at": "AOAI_EMULATOR_MALFORMED_AT",
  "operation-retry-after": "AOAI_EMULATOR_OPERATION_RETRY_AFTER",
};

/**
 * Parses flags and environment into listen settings and emulator options.
 * Throws an Error naming the flag when a value is missing or not a number.
 */
export function parseEmulatorArgs(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): EmulatorCli {
  const numbers: Record<string, number> = {};
  const keys: string[] = [];
  let hostname = env.AOAI_EMULATOR_HOSTNAME ?? "127.0.0.1";
  let region = env.AOAI_EMULATOR_REGION || undefined;
  let help = false;
  const toNumber = (flag: string, raw: string): number => {
    const n = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(n)) {
      throw new Error(`--${flag} needs a number, got "${raw}"`);
    }
    return n;
  };
  for (const [flag, name] of Object.entries(NUMERIC)) {
    const raw = env[name];
    if (raw !== undefined && raw !== "") numbers[flag] = toNumber(flag, raw);
  }
  const envKeys = (env.AOAI_EMULATOR_KEYS ?? "").split(",").map((k) => k.trim()).filter(Boolean);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--help" || arg === "-h") {
      help = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`Unknown argument "${arg}"; see --help`);
    const flag = m[1];
    const value = m[2] ?? args[++i];
    if (value === undefined) throw new Error(`--${flag} needs a value`);
    if (flag === "key") keys.push(value);
    else if (flag === "hostname") hostname = value;
    else if (flag === "region") region = value;
    else if (flag in NUMERIC) numbers[flag] = toNumber(flag, value);
    else throw new Error(`Unknown flag --${flag}; see --help`);
  }
  const whole = (flag: string, min: number, max: number, what: string) => {
    const n = numbers[flag];
    if (n !== undefined && !(Number.isInteger(n) && n >= min && n <= max)) {
      throw new Error(`--${flag} needs a whole number ${what}, got ${n}`);
    }
  };
  whole("port", 0, 65535, "from 0 to 65535");
  // --error-rate, --error-status and the emulator's other values are checked by createEmulator().
  const options: EmulatorOptions = {};
  const apiKeys = keys.length > 0 ? keys : envKeys;
  if (apiKeys.length > 0) options.apiKeys = apiKeys;
  // Checked by createEmulator() (a TypeError naming options.region).
  if (region !== undefined) options.region = region;
  if (numbers["chunk-delay"] !== undefined) options.chunkDelayMs = numbers["chunk-delay"];
  if (numbers["chunk-size"] !== undefined) options.chunkSize = numbers["chunk-size"];
  if (numbers["operation-retry-after"] !== undefined) {
    options.operationRetryAfter = numbers["operation-retry-after"];
  }
  if (numbers.rpm !== undefined || numbers.tpm !== undefined) {
    options.rateLimits = { requestsPerMinute: numbers.rpm, tokensPerMinute: numbers.tpm };
  }
  const faults: NonNullable<EmulatorOptions["faults"]> = {};
  if (numbers.latency !== undefined) faults.latencyMs = numbers.latency;
  if (numbers["error-rate"] !== undefined) faults.errorRate = numbers["error-rate"];
  if (numbers["error-status"] !== undefined) faults.errorStatus = numbers["error-status"];
  if (numbers["drop-after"] !== undefined) faults.dropStreamAfterChunks = numbers["drop-after"];
  if (numbers["malformed-at"] !== undefined) faults.malformedChunkAt = numbers["malformed-at"];
  if (Object.keys(faults).length > 0) options.faults = faults;
  return { port: numbers.port ?? 8788, hostname, options, help };
}

if (import.meta.main) {
  let cli: EmulatorCli;
  let emulator: ReturnType<typeof createEmulator>;
  try {
    cli = parseEmulatorArgs(Deno.args, Deno.env.toObject());
    if (cli.help) {
      console.log(USAGE);
      Deno.exit(0);
    }
    emulator = createEmulator(cli.options);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    Deno.exit(2);
  }
  try {
    Deno.serve({
      port: cli.port,
      hostname: cli.hostname,
      onListen({ hostname, port }) {
        const url = `http://${hostname}:${port}`;
        console.log(`Azure OpenAI emulator listening on ${url}`);
        console.log(`  endpoint: ${url}   (v1: ${url}/openai/v1)`);
        console.log(`  api-key:  ${emulator.apiKey}`);
        console.log(`  deployments: ${emulator.deployments.map((d) => d.name).join(", ")}`);
      },
    }, (req) => emulator.fetch(req));
  } catch (err) {
    const where = `${cli.hostname}:${cli.port}`;
    console.error(
      err instanceof Deno.errors.AddrInUse
        ? `${where} is in use; pick another port with --port (0 picks a free one)`
        : `cannot listen on ${where}: ${err instanceof Error ? err.message : String(err)}`,
    );
    Deno.exit(1);
  }
}
