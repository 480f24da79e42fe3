/**
 * Deno and Deno Deploy entry point: `deno task serve` (or `deno run -A edge/deno.ts`).
 *
 * Environment:
 * - `AZURE_OPENAI_ENDPOINT` + `AZURE_OPENAI_API_KEY`: the upstream resource. Without both, the
 *   built-in emulator answers (in-process), and the start-up message says so.
 * - `AZURE_TENANT_ID` + `AZURE_CLIENT_ID` + `AZURE_CLIENT_SECRET` (optional
 *   `AZURE_AUTHORITY_HOST`): with `AZURE_OPENAI_ENDPOINT` and instead of `AZURE_OPENAI_API_KEY`,
 *   authenticate with Microsoft Entra ID as that service principal (client credentials; see
 *   `entraClientCredentials`), e.g. for resources with key access disabled. Fallback endpoints
 *   then take no keys: they are sent the same token. Instead of the secret, a certificate:
 *   `AZURE_CLIENT_CERTIFICATE_PATH`, a PEM file with the private key (PKCS#8) and the certificate,
 *   read by {@link serveEdge} before it serves, or `AZURE_CLIENT_CERTIFICATE`, that PEM text (see
 *   `entraClientCertificate`); one credential only.
 * - `AZURE_OPENAI_API_VERSION`: upstream api-version for `/v1/...` requests (default 2024-10-21).
 * - `AZURE_OPENAI_FALLBACK_ENDPOINTS` + `AZURE_OPENAI_FALLBACK_API_KEYS`: comma-separated
 *   resources (one key per endpoint) tried in order when the primary answers 429 / 5xx or cannot
 *   be reached (see `EdgeAppOptions.upstream`). They use the primary's deployment names unless
 *   `AZURE_OPENAI_FALLBACK_DEPLOYMENTS` gives theirs: one entry per fallback endpoint,
 *   comma-separated in the same order, each `name=own-name` pairs separated by `;` (the name the
 *   app resolves = that resource's), or empty for the same names, e.g.
 *   `gpt-4o=gpt-4o-swc;text-embedding-3-small=emb-swc,` (the second fallback keeps the names).
 * - `AOAI_EDGE_UPSTREAM_BALANCE`: `primary-first` (default) or `round-robin` (requests take turns
 *   over the upstreams); with `round-robin`, `AOAI_EDGE_UPSTREAM_WEIGHTS`: one positive whole
 *   number per upstream, comma-separated, the primary's first then each fallback endpoint's
 *   (e.g. `3,1`): each upstream's share of the turns (see `EdgeAppOptions.upstreamBalance`).
 * - `AOAI_EDGE_STREAM_IDLE_TIMEOUT_MS`: how long an upstream stream may send nothing (its first
 *   chunk too: with fallbacks, the app awaits it before it relays the headers), in whole
 *   milliseconds (default 600000, 10 minutes); then it ends, or fails over before its first byte.
 * - `AOAI_EDGE_KEYS`: comma-separated client keys. Locally, a random key is generated and
 *   printed when unset; on Deno Deploy it is required (the app is never an open relay).
 * - `PORT` (default 8787), `HOST` (default 127.0.0.1).
 * - `AOAI_EDGE_KV_PATH`: Deno KV file (default `.tmp/edge.kv`; Deno Deploy uses its own KV).
 * - `AOAI_EDGE_EMULATOR_DELAY_MS`: delay between the built-in emulator's streamed chunks
 *   (default 10, so the playground shows tokens arriving; 0 for none).
 * - `AOAI_EDGE_DEPLOYMENTS`: comma-separated allowlist; `AOAI_EDGE_CORS_ORIGINS`: comma-separated
 *   origins (or `*`); `AOAI_EDGE_CHAT_CACHE=1`: cache deterministic chat;
 *   `AOAI_EDGE_CACHE_SCOPE`: `app` (default: one cache for every client key) or `client` (a
 *   cache per client key, so one key's cached texts are never another's hits);
 *   `AOAI_EDGE_RATE_LIMIT_RPM`: requests per minute per client key, counted in Deno KV (one
 *   budget for every instance / isolate sharing the KV; see {@link serveEdge});
 *   `AOAI_EDGE_TOKEN_LIMIT_TPM`: tokens per minute per client key, counted in the same Deno KV;
 *   `AOAI_EDGE_TOKEN_QUOTA`: tokens per client key per UTC hour, day, ISO week or calendar month
 *   (e.g. `5000000/month`), counted in the same Deno KV (403 once used up).
 * - `AOAI_EDGE_KEY_DEPLOYMENTS`, `AOAI_EDGE_KEY_RPM`, `AOAI_EDGE_KEY_TPM`,
 *   `AOAI_EDGE_KEY_TOKEN_QUOTA`: per key of `AOAI_EDGE_KEYS`, comma-separated in the same order:
 *   the deployments it may use (`*` for every one, or names separated by `;`); its own requests /
 *   tokens per minute (a number, `-` for the app's limit, `off` for none); its own quota (e.g.
 *   `1000000/day`, `-` for the app's, `off` for none), counted in Deno KV like the app's.
 * - `AOAI_EDGE_MAX_JSON_BYTES`, `AOAI_EDGE_MAX_MULTIPART_BYTES`: the largest JSON body and audio
 *   upload the app accepts, in whole bytes (defaults 1048576, 1 MiB, and 26214400, 25 MiB: the
 *   options `maxJsonBytes` and `maxMultipartBytes`; at most 16777216, 16 MiB, and 26214400,
 *   Azure's own upload limit, or the app does not start); larger bodies get 413.
 * - `AOAI_EDGE_LOG_REQUESTS=1`: one JSON line per request on stdout (the `onRequest` event:
 *   route, deployment, status, duration, hashed client id, cache, upstream, usage; no key, no
 *   prompt, no reply).
 * - Switches (`AOAI_EDGE_CHAT_CACHE`, `AOAI_EDGE_LOG_REQUESTS`) take `1`, `true`, `yes` or `on`
 *   (any case) and `0`, `false`, `no` or `off`; another value stops the app naming the variable.
 *
 * @module
 */
import { AzureOpenAI } from "../src/client.ts";
import { createEmulator } from "../src/emulator/mod.ts";
import { createEdgeApp, type EdgeApp } from "./app.ts";
import { DenoKvCache } from "./cache/deno_kv.ts";
import { denoHandler, denoOnError } from "./deno_handler.ts";
import { maskEnvValues } from "./_errors.ts";
import { redactSecrets } from "../src/errors/redact.ts";
import type {
  EdgeAppOptions,
  EdgeRateLimitOptions,
  EdgeTokenLimitOptions,
  EdgeTokenQuotaOptions,
} from "./options.ts";
import { DenoKvRateLimiter } from "./rate_limit_deno_kv.ts";
import { DenoKvTokenLimiter } from "./token_limit_deno_kv.ts";
import { DenoKvTokenQuota } from "./token_quota_deno_kv.ts";
import {
  balanceFromEnv,
  cacheScopeFromEnv,
  certificateExpiryLines,
  clientKeysFromEnv,
  corsOriginsFromEnv,
  decimal,
  entraFromEnv,
  fallbacksFromEnv,
  flagFromEnv,
  keyDeploymentsFromEnv,
  type KeyLimitFromEnv,
  keyLimitsFromEnv,
  keyTokenQuotasFromEnv,
  MAX_JSON_BYTES,
  MAX_MULTIPART_BYTES,
  maxBodyBytesFromEnv,
  primaryProblem,
  quotaText,
  rpmFromEnv,
  streamIdleFromEnv,
  tokenQuotaFromEnv,
  tpmFromEnv,
  weightsFromEnv,
} from "./_env.ts";

/** Reads one environment variable. */
export type EnvReader = (name: string) => string | undefined;

/** What {@link edgeConfigFromEnv} decided, with the lines to print at start. */
export interface EdgeConfig {
  /** App options except the cache (the KV store is opened by the caller). */
  options: Omit<EdgeAppOptions, "cache">;
  /** Where Deno KV lives (`undefined`: the platform default, e.g. on Deno Deploy). */
  kvPath: string | undefined;
  hostname: string;
  port: number;
  /** True on Deno Deploy (`DENO_DEPLOYMENT_ID` set): the platform picks host and port. */
  deploy: boolean;
  /** Start-up lines (the generated key included, never the Azure key). */
  banner: string[];
  /**
   * With `AZURE_CLIENT_CERTIFICATE_PATH`: the PEM file {@link serveEdge} reads with
   * `Deno.readTextFile` before it serves, handing its text to `load` (which checks it, throwing a
   * TypeError naming the variable, and arms the upstreams' token provider; until then it
   * rejects). Who builds the app from `options` alone reads the file and calls `load` first.
   */
  entraCertificate?: { path: string; load(pem: string): void };
  /**
   * With an Entra ID certificate: the warning to log when its expiry is under 30 days away at the
   * time of the call (undefined otherwise, or before the file of `entraCertificate` is read),
   * which {@link serveEdge} checks every `everyMs` (a day) while it runs: the start-up lines are
   * long gone when a server that runs for months nears the date.
   */
  certificateCheck?: { everyMs: number; warning(): string | undefined };
  /**
   * With the built-in emulator: its image files, served by {@link serveEdge} at
   * `GET /emulator/images/…` (no key, like a SAS blob URL), and the origin image URLs point to
   * (set by `serveEdge` once it listens).
   */
  emulatorImages?: EmulatorImages;
}

/** The built-in emulator's image files, reachable through the edge server. */
export interface EmulatorImages {
  /** Origin the emulator writes into image URLs; `undefined` until a server listens. */
  origin: string | undefined;
  /** Serves `GET /emulator/images/{id}.png`. */
  fetch(request: Request): Promise<Response>;
}

function list(value: string | undefined): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
}

function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return "edge-" + btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

/**
 * The environment values a config of {@link edgeConfigFromEnv} was made from, by the config and
 * by its options (a copy of the config with a setting changed keeps them): {@link serveEdge}
 * masks them in its errors too.
 */
const envValues = new WeakMap<object, Record<string, string>>();

/** Variables holding secrets (the lists of them split at commas too). */
const SECRET_VARIABLES = [
  "AZURE_OPENAI_API_KEY",
  "AZURE_OPENAI_FALLBACK_API_KEYS",
  "AOAI_EDGE_KEYS",
  "AZURE_CLIENT_SECRET",
  "AZURE_CLIENT_CERTIFICATE",
];

/** The secrets of an environment: the values of SECRET_VARIABLES and their entries. */
function secretsOf(env: EnvReader): string[] {
  return SECRET_VARIABLES.flatMap((name) => {
    const value = env(name)?.trim();
    return value ? [value, ...list(value)] : [];
  });
}

/**
 * The parts of `value` (HOST, a path) that look like a secret pasted into its variable by
 * mistake, to mask where start-up lines and errors print it: one of `secrets` (the environment's
 * keys), or 20 or more letters and digits in a row, mixed, as access keys and tokens have (host
 * names and paths break theirs with dots, dashes and slashes; Deno's temp names have 16). None:
 * the value is worth printing as it is.
 */
function secretParts(value: string, secrets: readonly string[]): string[] {
  const lower = value.toLowerCase();
  return [
    ...secrets.filter((secret) => secret.length >= 8 && lower.includes(secret.toLowerCase())),
    ...(value.match(/[A-Za-z0-9]{20,}/g) ?? []).filter((run) => /\d/.test(run) && /\D/.test(run)),
  ];
}

/**
 * `err` with every value of `env` it quotes masked, as the Worker masks its EdgeMisconfigured
 * message ({@link maskEnvValues}): the start-up error goes to stderr, which Deno Deploy
 * keeps, and a secret pasted into the wrong variable must not. `hidden` (the secret-like parts of
 * HOST and the paths, which errors quote unquoted: `cannot listen on …`, `mkdir '…'`) is masked
 * too. `err` itself when it quotes none.
 */
function maskEnv(
  err: unknown,
  env: Record<string, string> | undefined,
  hidden: readonly string[] = [],
): unknown {
  const message = err instanceof Error ? err.message : String(err);
  const text = redactSecrets(maskEnvValues(message, env ?? {}), hidden);
  if (text === message) return err;
  return err instanceof TypeError
    ? new TypeError(text)
    : err instanceof RangeError
    ? new RangeError(text)
    : new Error(text);
}

/**
 * Turns environment variables into app options; throws an Error that says what to set when
 * they do not fit together (a value of the environment it quotes is masked, `"***"`, as
 * {@link serveEdge}'s errors mask those the config was made from). `options.now` (default `Date.now`) is the clock the start-up lines
 * measure an Entra ID certificate's remaining validity with (a warning under 30 days).
 *
 * @example Configuration with no variables: emulator upstream and a generated key
 * ```ts
 * import { edgeConfigFromEnv } from "./deno.ts";
 * const config = edgeConfigFromEnv(() => undefined);
 * console.log(config.port, config.banner[0]); // 8787 "upstream: the built-in emulator …"
 * ```
 */
export function edgeConfigFromEnv(
  env: EnvReader,
  options: { now?: () => number } = {},
): EdgeConfig {
  const read: Record<string, string> = {};
  let config: EdgeConfig;
  try {
    config = configFromEnv((name) => {
      const value = env(name);
      if (typeof value === "string") read[name] = value;
      return value;
    }, options);
  } catch (err) {
    throw maskEnv(err, read);
  }
  envValues.set(config, read).set(config.options, read);
  return config;
}

function configFromEnv(env: EnvReader, options: { now?: () => number }): EdgeConfig {
  const now = options.now ?? Date.now;
  const endpoint = env("AZURE_OPENAI_ENDPOINT")?.trim() || undefined;
  const apiKey = env("AZURE_OPENAI_API_KEY")?.trim() || undefined;
  const onDeploy = env("DENO_DEPLOYMENT_ID") !== undefined;
  // Checked here, as the fallbacks are: the start-up line reads its origin, and a host without
  // its scheme failed there as "Invalid URL", naming no variable.
  if (endpoint !== undefined) {
    const problem = primaryProblem(endpoint, apiKey);
    if (problem) throw problem;
  }
  const banner: string[] = [];
  // The certificate's path as the start-up line and its errors print it.
  const shown = (path: string) => redactSecrets(path, secretParts(path, secretsOf(env)));
  // Read only for a resource: without one the built-in emulator needs no sign-in (these
  // variables are often set in a shell for other Azure tools).
  const entra = endpoint === undefined ? undefined : entraFromEnv(env, true, shown);
  if (!entra && (endpoint === undefined) !== (apiKey === undefined)) {
    throw new Error(
      "Set both AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY to use Azure OpenAI, or neither " +
        "to use the built-in emulator." + (endpoint === undefined ? "" : " To authenticate " +
          "with Microsoft Entra ID instead of a key, set AZURE_TENANT_ID, AZURE_CLIENT_ID and " +
          "AZURE_CLIENT_SECRET. For a certificate instead of the secret, set " +
          "AZURE_CLIENT_CERTIFICATE_PATH (a PEM file with the private key and the certificate)."),
    );
  }
  let upstream: EdgeAppOptions["upstream"];
  let playground: { chatDeployment?: string; embeddingsDeployment?: string } = {};
  let emulatorImages: EmulatorImages | undefined;
  let certificateFile: EdgeConfig["entraCertificate"];
  let certificateCheck: EdgeConfig["certificateCheck"];
  const apiVersion = env("AZURE_OPENAI_API_VERSION")?.trim() || undefined;
  const fallbacks = fallbacksFromEnv(
    env("AZURE_OPENAI_FALLBACK_ENDPOINTS"),
    env("AZURE_OPENAI_FALLBACK_API_KEYS"),
    env("AZURE_OPENAI_FALLBACK_DEPLOYMENTS"),
    entra !== undefined,
  );
  const upstreamBalance = balanceFromEnv(env("AOAI_EDGE_UPSTREAM_BALANCE"), fallbacks.length);
  // Every upstream's: with fallbacks a stream's first byte is awaited before the headers go out.
  const streamIdleTimeoutMs = streamIdleFromEnv(env("AOAI_EDGE_STREAM_IDLE_TIMEOUT_MS"));
  const weights = weightsFromEnv(
    env("AOAI_EDGE_UPSTREAM_WEIGHTS"),
    fallbacks.length + 1,
    upstreamBalance,
  );
  if (endpoint && (apiKey || entra)) {
    // One provider for every upstream: they share its token.
    const token = entra ? { tokenProvider: entra.tokenProvider } : {};
    upstream = { endpoint, ...(entra ? token : { apiKey }), apiVersion, streamIdleTimeoutMs };
    banner.push(`upstream: Azure OpenAI at ${new URL(endpoint).origin}`);
    if (entra) {
      // Tenant and client ids are no secrets; the client secret is never printed.
      banner.push(
        `auth: Microsoft Entra ID, client ${entra.clientId} of tenant ${entra.tenantId} ` +
          `(client credentials${entra.credential}, tokens from ${entra.authority})`,
      );
      // The certificate's expiry date (and a warning when near), after the line above; for a
      // file, once serveEdge() has read it.
      const at = banner.length;
      const expiry = () => {
        const { info, warning } = certificateExpiryLines(entra.certificateValidity?.(), now());
        banner.splice(at, 0, ...[info, warning].filter((line) => line !== undefined));
      };
      if (entra.certificateValidity) {
        const validity = entra.certificateValidity;
        certificateCheck = {
          everyMs: 86_400_000,
          warning: () => certificateExpiryLines(validity(), now()).warning,
        };
      }
      const file = entra.certificateFile;
      if (file) {
        certificateFile = {
          path: file.path,
          load: (pem) => {
            file.load(pem);
            expiry();
          },
        };
      } else expiry();
    }
    if (fallbacks.length) {
      const all = [
        upstream,
        ...fallbacks.map((f) => ({ ...f, ...token, apiVersion, streamIdleTimeoutMs })),
      ];
      upstream = weights ? all.map((u, i) => ({ ...u, weight: weights[i] })) : all;
      banner.push(
        `fallback upstreams, in order: ${
          fallbacks.map((f) => {
            const own = Object.keys(f.deploymentNames ?? {}).length;
            // A count, not the names: a value in the wrong variable must not be printed.
            return new URL(f.endpoint).origin +
              (own ? ` (${own} deployment name(s) of its own)` : "");
          }).join(", ")
        }`,
      );
    }
  } else {
    if (fallbacks.length) {
      throw new Error(
        "AZURE_OPENAI_FALLBACK_ENDPOINTS needs a primary: set AZURE_OPENAI_ENDPOINT and " +
          "AZURE_OPENAI_API_KEY too (the fallbacks are tried after it).",
      );
    }
    if (onDeploy) {
      throw new Error(
        "On Deno Deploy, set AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY (the emulator is " +
          "for local use).",
      );
    }
    // Decimal only (Number() reads 0x10 as 16); empty means the default, as for PORT.
    const delay = decimal(env("AOAI_EDGE_EMULATOR_DELAY_MS")?.trim() || "10");
    if (!Number.isFinite(delay) || delay < 0) {
      throw new Error("AOAI_EDGE_EMULATOR_DELAY_MS must be a number of milliseconds (0 or more)");
    }
    const emulator = createEmulator({ chunkDelayMs: delay });
    const images: EmulatorImages = {
      origin: undefined,
      fetch: (request) => emulator.fetch(request),
    };
    emulatorImages = images;
    upstream = new AzureOpenAI({
      endpoint: "http://emulator.local",
      apiKey: emulator.apiKey,
      apiVersion,
      streamIdleTimeoutMs,
      // The emulator writes image URLs on the origin it is called at: make that the edge
      // server's, which serves them (http://emulator.local exists only in this process).
      fetch: (request, init) => {
        const url = new URL(request.url);
        const rebased = images.origin === undefined
          ? request
          : new Request(images.origin + url.pathname + url.search, request);
        return emulator.fetch(rebased, init);
      },
    });
    banner.push(
      "upstream: the built-in emulator (AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY are not " +
        `set); deployments: ${emulator.deployments.map((d) => d.name).join(", ")}`,
    );
    playground = { chatDeployment: "gpt-4o", embeddingsDeployment: "text-embedding-3-small" };
  }
  let clientKeys = list(env("AOAI_EDGE_KEYS"));
  if (clientKeys.length === 0) {
    if (onDeploy) {
      throw new Error(
        "Set AOAI_EDGE_KEYS (comma-separated client keys) in the Deno Deploy project settings.",
      );
    }
    clientKeys = [randomKey()];
    banner.push(
      `client key (generated; set AOAI_EDGE_KEYS to choose your own): ${clientKeys[0]}`,
    );
  } else {
    banner.push(`client keys: ${clientKeys.length} from AOAI_EDGE_KEYS`);
  }
  const keyDeployments = env("AOAI_EDGE_KEY_DEPLOYMENTS")?.trim()
    ? keyScopesOf(list(env("AOAI_EDGE_KEYS")).length, env("AOAI_EDGE_KEY_DEPLOYMENTS"))
    : undefined;
  if (keyDeployments?.some((scope) => scope !== undefined)) {
    const scoped = keyDeployments.filter((scope) => scope !== undefined).length;
    banner.push(`client keys limited to some deployments: ${scoped} (AOAI_EDGE_KEY_DEPLOYMENTS)`);
  }
  const keyCount = list(env("AOAI_EDGE_KEYS")).length;
  const keyRpm = keyLimitsFromEnv(env("AOAI_EDGE_KEY_RPM"), keyCount, "rpm");
  // Counted in Deno KV, which takes no rate under one a day (see DenoKvRateLimiter).
  keyRpm?.forEach((rpm, i) => {
    if (rpm !== false && rpm !== undefined && rpm < 1 / 1440) {
      throw new Error(
        `AOAI_EDGE_KEY_RPM: entry ${i + 1} must be at least one request a day (1/1440 per ` +
          "minute), - (the app's limit) or off (no limit for that key)",
      );
    }
  });
  const keyTpm = keyLimitsFromEnv(env("AOAI_EDGE_KEY_TPM"), keyCount, "tpm");
  const ownLimits = (limits: KeyLimitFromEnv[] | undefined, unit: string) =>
    // Positions in AOAI_EDGE_KEYS, never a key.
    limits?.flatMap((limit, i) =>
      limit === undefined ? [] : [`key ${i + 1} ${limit === false ? "none" : `${limit} ${unit}`}`]
    ).join(", ");
  const ownRpm = ownLimits(keyRpm, "requests per minute");
  if (ownRpm) {
    banner.push(`client keys' own rate limits (AOAI_EDGE_KEY_RPM; others: the app's): ${ownRpm}`);
  }
  const ownTpm = ownLimits(keyTpm, "tokens per minute");
  if (ownTpm) {
    banner.push(`client keys' own token limits (AOAI_EDGE_KEY_TPM; others: the app's): ${ownTpm}`);
  }
  const keyQuota = keyTokenQuotasFromEnv(env("AOAI_EDGE_KEY_TOKEN_QUOTA"), keyCount);
  const ownQuota = keyQuota?.flatMap((quota, i) =>
    quota === undefined ? [] : [`key ${i + 1} ${quota === false ? "none" : quotaText(quota)}`]
  ).join(", ");
  if (ownQuota) {
    banner.push(
      `client keys' own token quotas (AOAI_EDGE_KEY_TOKEN_QUOTA; others: the app's): ${ownQuota}`,
    );
  }
  const deployments = list(env("AOAI_EDGE_DEPLOYMENTS"));
  const origins = corsOriginsFromEnv(env("AOAI_EDGE_CORS_ORIGINS"));
  const rpm = rpmFromEnv(env("AOAI_EDGE_RATE_LIMIT_RPM"));
  // Counted in Deno KV, which takes no rate under one a day (see DenoKvRateLimiter).
  if (rpm !== undefined && rpm < 1 / 1440) {
    throw new Error(
      "AOAI_EDGE_RATE_LIMIT_RPM must be at least one request a day (1/1440 per minute) per " +
        "client key",
    );
  }
  const tpm = tpmFromEnv(env("AOAI_EDGE_TOKEN_LIMIT_TPM"));
  const quota = tokenQuotaFromEnv(env("AOAI_EDGE_TOKEN_QUOTA"));
  const maxJsonBytes = maxBodyBytesFromEnv(MAX_JSON_BYTES, env(MAX_JSON_BYTES));
  const maxMultipartBytes = maxBodyBytesFromEnv(MAX_MULTIPART_BYTES, env(MAX_MULTIPART_BYTES));
  const cacheScope = cacheScopeFromEnv(env("AOAI_EDGE_CACHE_SCOPE"));
  // An empty PORT means the default, not 0 (a random port).
  const port = decimal(env("PORT")?.trim() || "8787", true);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error("PORT must be a port number (0 to 65535)");
  }
  const kvPath = onDeploy ? undefined : env("AOAI_EDGE_KV_PATH")?.trim() || ".tmp/edge.kv";
  // The path, unless it looks like a secret pasted there (HOST is printed in errors only: see
  // serveEdge()).
  const kvSecrets = kvPath === undefined ? [] : secretParts(kvPath, secretsOf(env));
  banner.push(
    kvPath === undefined
      ? "cache: Deno KV (Deno Deploy)"
      : kvSecrets.length
      ? `cache: Deno KV in ${
        redactSecrets(kvPath, kvSecrets)
      } (AOAI_EDGE_KV_PATH looks like it holds a secret: masked)`
      : `cache: Deno KV in ${kvPath}`,
  );
  if (rpm) {
    const line = `rate limit: ${rpm} requests per minute per client key`;
    banner.push(`${line}, counted in Deno KV (one budget for every instance)`);
  }
  if (tpm) {
    banner.push(
      `token limit: ${tpm} tokens per minute per client key, counted in Deno KV (one budget ` +
        "for every instance)",
    );
  }
  if (quota) {
    banner.push(
      `token quota: ${quotaText(quota)} (UTC) per client key, counted in Deno KV (one quota for ` +
        "every instance)",
    );
  }
  if (upstreamBalance && Array.isArray(upstream)) {
    banner.push(
      upstreamBalance === "primary-first"
        ? "upstream balance: primary first (fallbacks take over on its failures)"
        : weights
        ? `upstream balance: round-robin, weights ${weights.join(", ")} (the primary's first; ` +
          "requests take turns over the upstreams in proportion)"
        : "upstream balance: round-robin (requests take turns over the upstreams)",
    );
  }
  const logRequests = flagFromEnv("AOAI_EDGE_LOG_REQUESTS", env("AOAI_EDGE_LOG_REQUESTS"));
  const chatCache = flagFromEnv("AOAI_EDGE_CHAT_CACHE", env("AOAI_EDGE_CHAT_CACHE"));
  if (logRequests) banner.push("request log: one JSON line per request on stdout");
  if (cacheScope === "client") {
    banner.push("cache scope: per client key (AOAI_EDGE_CACHE_SCOPE=client)");
  }
  if (maxJsonBytes) banner.push(`JSON body limit: ${maxJsonBytes} bytes (${MAX_JSON_BYTES})`);
  if (maxMultipartBytes) {
    banner.push(`upload body limit: ${maxMultipartBytes} bytes (${MAX_MULTIPART_BYTES})`);
  }
  return {
    options: {
      upstream,
      clientKeys: clientKeysFromEnv(clientKeys, {
        deployments: keyDeployments,
        rpm: keyRpm,
        tpm: keyTpm,
        quota: keyQuota,
      }),
      deployments: deployments.length ? deployments : undefined,
      cors: origins.length ? { origins: origins.includes("*") ? "*" : origins } : undefined,
      chatCache,
      cacheScope,
      rateLimit: rpm ? { requestsPerMinute: rpm } : undefined,
      tokenLimit: tpm ? { tokensPerMinute: tpm } : undefined,
      tokenQuota: quota,
      maxJsonBytes,
      maxMultipartBytes,
      upstreamBalance,
      playground,
      onError: (message) => console.error(`aoai-edge: ${message}`),
      onRequest: logRequests ? (event) => console.log(JSON.stringify(event)) : undefined,
    },
    kvPath,
    hostname: env("HOST")?.trim() || "127.0.0.1",
    port,
    deploy: onDeploy,
    banner,
    emulatorImages,
    entraCertificate: certificateFile,
    certificateCheck,
  };
}

/** `AOAI_EDGE_KEY_DEPLOYMENTS` for `keyCount` keys from `AOAI_EDGE_KEYS` (none: an error). */
function keyScopesOf(keyCount: number, value: string | undefined): (string[] | undefined)[] {
  if (keyCount === 0) {
    throw new Error(
      "AOAI_EDGE_KEY_DEPLOYMENTS needs AOAI_EDGE_KEYS: it lists the deployments of each of those " +
        "keys, in the same order",
    );
  }
  return keyDeploymentsFromEnv(value, keyCount)!;
}

/**
 * The base URL of a server listening on `hostname` and `port`; an IPv6 address (`HOST=::1`) in
 * brackets, as URLs write it (`http://::1:8787` is no URL: the built-in emulator's requests, made
 * on the server's origin, failed on it). A wildcard address (`HOST=0.0.0.0` or `::`, every
 * interface) is shown as its loopback, `127.0.0.1` or `[::1]`: `http://0.0.0.0:8787` is no address
 * a browser opens on every OS (Windows refuses it), and the built-in emulator's image URLs are made
 * on this URL.
 *
 * @example Bracket an IPv6 address
 * ```ts
 * import { listenUrl } from "./deno.ts";
 * console.log(listenUrl("::1", 8787)); // "http://[::1]:8787"
 * ```
 */
export function listenUrl(hostname: string, port: number): string {
  const host = hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname;
  const address = URL.parse(`http://${host}`)?.hostname;
  return `http://${
    address === "0.0.0.0" ? "127.0.0.1" : address === "[::]" ? "[::1]" : host
  }:${port}`;
}

/** A running server of {@link serveEdge}. */
export interface EdgeServer extends AsyncDisposable {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  /** Stops the server and closes Deno KV. */
  close(): Promise<void>;
}

/**
 * Starts the app with `Deno.serve` and Deno KV as the cache. A `rateLimit.requestsPerMinute`
 * in `config.options` is counted in the same Deno KV ({@link DenoKvRateLimiter}), so every
 * instance of a Deno Deploy project shares one budget per client key; a `rateLimit.limiter`
 * given there is used as is. The same goes for `tokenLimit.tokensPerMinute`
 * ({@link DenoKvTokenLimiter}), and for the limits of client keys given with their own
 * (`clientKeys[i].rateLimit`, `.tokenLimit`). With `config.certificateCheck` (an Entra ID
 * certificate), it logs the certificate's expiry warning again each day while the date is under
 * 30 days away (`console.warn`), on a timer that does not keep the process alive. Its errors
 * (options the app refuses, a port in use) mask a value of the environment they quote, for a
 * config of {@link edgeConfigFromEnv} (or a copy of one), as that function's do. A response that
 * fails after it began is reported through `config.options.onError` as one line, its secrets
 * masked, instead of `Deno.serve`'s default print of the error with its stack: a JSON reply whose
 * upstream connection broke mid-body as the app's own `<route>: the upstream's reply broke before
 * its end (<cause>)`, another failure as `response failed: <error name>: <message>`.
 *
 * @example Start on a random port with the emulator
 * ```ts ignore
 * import { edgeConfigFromEnv, serveEdge } from "./deno.ts";
 * await using server = await serveEdge(edgeConfigFromEnv((n) => n === "PORT" ? "0" : undefined));
 * console.log(server.url);
 * ```
 */
export async function serveEdge(config: EdgeConfig): Promise<EdgeServer> {
  try {
    return await serve(config);
  } catch (err) {
    const env = envValues.get(config) ?? envValues.get(config.options);
    const secrets = env === undefined ? [] : secretsOf((name) => env[name]);
    // Errors quote HOST and the paths (a read, mkdir or listen failure): not their parts that
    // look like a secret pasted there.
    const hidden = [config.hostname, config.kvPath, config.entraCertificate?.path]
      .flatMap((value) => value === undefined ? [] : secretParts(value, secrets));
    throw maskEnv(err, env, hidden);
  }
}

/**
 * `Deno.serve`'s `onError` for the app of `config` ({@link denoOnError}): a failed response is
 * one line through `config.options.onError`, with the environment's secrets masked besides the
 * keys of the options.
 */
function responseFailed(config: EdgeConfig): (err: unknown) => Response {
  const env = envValues.get(config) ?? envValues.get(config.options);
  return denoOnError(config.options, env === undefined ? [] : secretsOf((name) => env[name]));
}

async function serve(config: EdgeConfig): Promise<EdgeServer> {
  const certificate = config.entraCertificate;
  if (certificate) {
    let pem: string;
    try {
      pem = await Deno.readTextFile(certificate.path);
    } catch (err) {
      throw new Error(
        `AZURE_CLIENT_CERTIFICATE_PATH: cannot read ${certificate.path} (${
          err instanceof Error ? err.name : "error"
        }); name a PEM file with the private key and the certificate`,
      );
    }
    certificate.load(pem);
  }
  let kv: Deno.Kv;
  try {
    if (config.kvPath) {
      const dir = config.kvPath.replace(/[/\\][^/\\]*$/, "");
      if (dir !== config.kvPath && dir !== "") await Deno.mkdir(dir, { recursive: true });
    }
    kv = await Deno.openKv(config.kvPath);
  } catch (err) {
    if (config.kvPath === undefined) throw err;
    // The OS's words name no setting (and the default path is no variable's value): say which.
    throw new Error(
      `AOAI_EDGE_KV_PATH: cannot open Deno KV at ${config.kvPath} (${
        err instanceof Error ? err.message : String(err)
      }); set AOAI_EDGE_KV_PATH to a file this process may create and write`,
    );
  }
  let app: EdgeApp;
  try {
    // Limits given as a rate count in Deno KV, the app's and those of keys with their own (each
    // client id has its own records, so they share the store).
    const inKv = <T extends EdgeRateLimitOptions | EdgeTokenLimitOptions | false | undefined>(
      limit: T,
    ): T =>
      (!limit || limit.limiter !== undefined
        ? limit
        : "requestsPerMinute" in limit && limit.requestsPerMinute !== undefined
        ? {
          limiter: new DenoKvRateLimiter(kv, { requestsPerMinute: limit.requestsPerMinute }),
          timeoutMs: limit.timeoutMs,
        }
        : "tokensPerMinute" in limit && limit.tokensPerMinute !== undefined
        ? {
          limiter: new DenoKvTokenLimiter(kv, { tokensPerMinute: limit.tokensPerMinute }),
          timeoutMs: limit.timeoutMs,
        }
        : limit) as T;
    // A quota given without its store counts in Deno KV too.
    const quotaInKv = <T extends EdgeTokenQuotaOptions | false | undefined>(quota: T): T =>
      (!quota || quota.limiter !== undefined ? quota : {
        ...quota,
        limiter: new DenoKvTokenQuota(kv, { tokens: quota.tokens, period: quota.period }),
      }) as T;
    const { rateLimit, tokenLimit, tokenQuota, clientKeys } = config.options;
    app = createEdgeApp({
      ...config.options,
      cache: new DenoKvCache(kv),
      rateLimit: inKv(rateLimit),
      tokenLimit: inKv(tokenLimit),
      tokenQuota: quotaInKv(tokenQuota),
      clientKeys: Array.isArray(clientKeys)
        ? clientKeys.map((entry) =>
          typeof entry === "object" && entry !== null
            ? {
              ...entry,
              rateLimit: inKv(entry.rateLimit),
              tokenLimit: inKv(entry.tokenLimit),
              tokenQuota: quotaInKv(entry.tokenQuota),
            }
            : entry
        )
        : clientKeys,
    });
  } catch (err) {
    kv.close(); // options the app refuses: nothing is left open
    throw err;
  }
  let url = "";
  const images = config.emulatorImages;
  const onListen = ({ hostname, port }: Deno.NetAddr) => {
    url = listenUrl(hostname, port);
    if (images) images.origin = url;
  };
  // The work a response leaves running (token charges, cache writes): close() waits for it
  // before it closes the Deno KV that work writes to.
  const background = new Set<Promise<unknown>>();
  const appHandler = denoHandler(app, {
    waitUntil(work) {
      const settled = Promise.resolve(work).then(() => {}, () => {});
      background.add(settled);
      settled.then(() => background.delete(settled));
    },
  });
  const handler = images === undefined
    ? appHandler
    : (request: Request): Promise<Response> =>
      request.method === "GET" && new URL(request.url).pathname.startsWith("/emulator/images/")
        ? images.fetch(request)
        : appHandler(request);
  const onError = responseFailed(config);
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = config.deploy
      ? Deno.serve({ onListen, onError }, handler)
      : Deno.serve({ hostname: config.hostname, port: config.port, onListen, onError }, handler);
  } catch (err) {
    kv.close(); // nothing is left open
    if (config.deploy) throw err;
    // The OS's words name no setting: say which to change.
    const where = `cannot listen on ${config.hostname}:${config.port}`;
    throw new Error(
      err instanceof Deno.errors.AddrInUse
        ? `${where}: the port is in use; set PORT to a free port (or stop what listens there)`
        : `${where}: ${err instanceof Error ? err.message : String(err)}; set HOST to an ` +
          "address of this machine (127.0.0.1, the default; 0.0.0.0 for every interface) and " +
          "PORT to a port number it may use",
    );
  }
  // A near expiry of the Entra ID certificate, warned about again each day (the timer does not
  // keep the process alive).
  const check = config.certificateCheck;
  const daily = check && setInterval(() => {
    const warning = check.warning();
    if (warning) console.warn(`aoai-edge: ${warning}`);
  }, check.everyMs);
  if (daily !== undefined) Deno.unrefTimer(daily);
  const close = async () => {
    clearInterval(daily);
    await server.shutdown();
    // Work may start more work (a charge retried, a write after a read): until none is left.
    while (background.size) await Promise.all(background);
    kv.close();
  };
  url ||= listenUrl(config.hostname, (server.addr as Deno.NetAddr).port);
  return { url, close, [Symbol.asyncDispose]: close };
}

if (import.meta.main) {
  let config: EdgeConfig;
  try {
    config = edgeConfigFromEnv((name) => Deno.env.get(name));
  } catch (err) {
    console.error(`aoai-edge: ${err instanceof Error ? err.message : String(err)}`);
    Deno.exit(1);
  }
  let server: EdgeServer;
  try {
    server = await serveEdge(config);
  } catch (err) {
    // Options the app refuses (AOAI_EDGE_RATE_LIMIT_RPM, AOAI_EDGE_KEYS, …) or a taken port.
    console.error(`aoai-edge: ${err instanceof Error ? err.message : String(err)}`);
    Deno.exit(1);
  }
  console.log(`aoai-edge listening on ${server.url} (playground at ${server.url}/)`);
  for (const line of config.banner) {
    if (line.startsWith("warning: ")) console.warn(line);
    else console.log(line);
  }
  let stopping = false;
  const stop = () => {
    // A second signal stops at once: the close waits for every response in flight, and a stream
    // (or an upstream slow to answer) may run for minutes.
    if (stopping) Deno.exit(130);
    stopping = true;
    console.error(
      "aoai-edge: stopping: waiting for the requests in flight to end (Ctrl-C again to stop " +
        "at once)",
    );
    server.close().finally(() => Deno.exit(0));
  };
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
}
