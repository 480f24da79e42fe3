import { normaliseOrigin } from "./cors.ts";
import { cycleLength, MAX_CYCLE, type UpstreamBalance } from "./_upstreams.ts";
import { type EdgeClientKey, JSON_BYTES_CAP, UPLOAD_BYTES } from "./options.ts";
import type { TokenQuotaPeriod } from "./token_quota.ts";
import {
  createCertificateProvider,
  createProvider,
  type EntraCertificateNames,
  EntraTokenError,
  entraTokenUrl,
  type Validity,
} from "./entra.ts";

/**
 * `AOAI_EDGE_RATE_LIMIT_RPM` as a number (undefined when unset or blank), read the same way by
 * the Deno and the Workers entry points. A value that is not a positive number throws an Error
 * naming the variable, so the operator knows which setting to fix.
 */
export function rpmFromEnv(value: string | undefined): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const rpm = decimal(text);
  if (!(rpm > 0 && rpm < Infinity)) {
    // The value is not quoted: on Workers this message reaches clients (500 EdgeMisconfigured).
    throw new Error(
      "AOAI_EDGE_RATE_LIMIT_RPM must be a positive number of requests per minute per client key " +
        "(e.g. 60)",
    );
  }
  return rpm;
}

/** The stream idle timeout of the upstreams built from the environment by default (10 minutes). */
export const STREAM_IDLE_TIMEOUT_MS = 600_000;

const STREAM_IDLE = "AOAI_EDGE_STREAM_IDLE_TIMEOUT_MS";

/**
 * `AOAI_EDGE_STREAM_IDLE_TIMEOUT_MS`: the `streamIdleTimeoutMs` of every upstream the Deno and the
 * Workers entry points build (how long a stream may wait for its next chunk, its first one too:
 * with fallbacks the app awaits that before it relays the headers), a whole number of
 * milliseconds; {@link STREAM_IDLE_TIMEOUT_MS} (the upstreams' `timeoutMs`) when unset or blank:
 * long enough for a reasoning model silent for minutes, and never unbounded. Anything else throws
 * an Error naming the variable, never quoting the value.
 */
export function streamIdleFromEnv(value: string | undefined): number {
  const text = value?.trim();
  if (!text) return STREAM_IDLE_TIMEOUT_MS;
  const ms = decimal(text, true);
  // A timer past 2^31 - 1 ms would not be armed (no timeout at all).
  if (!(ms >= 1 && ms < 2 ** 31)) {
    throw new Error(
      `${STREAM_IDLE} must be a whole number of milliseconds from 1 to 2147483647 (default ` +
        `${STREAM_IDLE_TIMEOUT_MS}, 10 minutes): how long an upstream stream may send nothing ` +
        "before it is ended (or, before its first byte, failed over)",
    );
  }
  return ms;
}

/**
 * A body limit, `AOAI_EDGE_MAX_JSON_BYTES` (the app's `maxJsonBytes`) or
 * `AOAI_EDGE_MAX_MULTIPART_BYTES` (`maxMultipartBytes`) as `name` says, read the same way by the
 * Deno and the Workers entry points: a whole number of bytes of at least 1 and at most the cap
 * (16777216, 16 MiB, for JSON: a body is held several times while read, and a Worker has 128 MB;
 * 26214400, 25 MiB, Azure's own, for uploads); undefined (the app's default) when unset or
 * blank. Anything else throws an Error naming the variable and the cap, never quoting the value.
 */
export function maxBodyBytesFromEnv(name: string, value: string | undefined): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const bytes = decimal(text, true);
  const json = name === MAX_JSON_BYTES;
  const cap = json ? JSON_BYTES_CAP : UPLOAD_BYTES;
  if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > cap) {
    throw new Error(
      `${name} must be a whole number of bytes from 1 to ${cap} (default ` +
        (json
          ? "1048576, 1 MiB; at most 16 MiB: a body is held several times while read, and a " +
            "Worker has 128 MB): the largest JSON body the app accepts"
          : "26214400, 25 MiB, Azure's own and the most): the largest audio upload (multipart " +
            "body) the app accepts"),
    );
  }
  return bytes;
}

/** The variables of the body limits ({@link maxBodyBytesFromEnv}). */
export const MAX_JSON_BYTES = "AOAI_EDGE_MAX_JSON_BYTES";
export const MAX_MULTIPART_BYTES = "AOAI_EDGE_MAX_MULTIPART_BYTES";

/**
 * `AOAI_EDGE_CACHE_SCOPE`: `app` (one cache for every client key) or `client` (a cache per client
 * key; the app's `cacheScope`), any case, spaces around ignored; undefined (the app's default,
 * `app`) when unset or blank. Read the same way by the Deno and the Workers entry points; anything
 * else throws an Error naming the variable, never quoting the value.
 */
export function cacheScopeFromEnv(value: string | undefined): "app" | "client" | undefined {
  const text = value?.trim().toLowerCase();
  if (!text) return undefined;
  if (text === "app" || text === "client") return text;
  throw new Error(
    "AOAI_EDGE_CACHE_SCOPE must be app (the default: one cache for every client key) or client " +
      "(a cache per client key: one key's cached texts are never another's hits)",
  );
}

/**
 * `AOAI_EDGE_CORS_ORIGINS`: comma-separated origins (blank entries skipped), checked as
 * `cors.origins` is; a bad entry throws a TypeError naming the variable and the entry's position
 * as written (from 1), never quoting it. Read the same way by the Deno and the Workers entry points.
 */
export function corsOriginsFromEnv(value: string | undefined): string[] {
  const origins: string[] = [];
  (value ?? "").split(",").forEach((entry, i) => {
    const origin = entry.trim();
    if (!origin) return;
    if (origin !== "*") normaliseOrigin(origin, i, `AOAI_EDGE_CORS_ORIGINS: entry ${i + 1}`);
    origins.push(origin);
  });
  return origins;
}

/**
 * `text` as a decimal number (digits, an optional fraction and exponent; with `whole`, digits
 * only), else NaN: `Number()` would also read `0x10` as 16, `0b11`, `Infinity` or `-0`.
 */
export function decimal(text: string, whole = false): number {
  return (whole ? /^\d+$/ : /^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i).test(text) ? Number(text) : NaN;
}

/**
 * A boolean variable `name` (`AOAI_EDGE_CHAT_CACHE`, `AOAI_EDGE_LOG_REQUESTS`), read the same way
 * by the Deno and the Workers entry points: `1`, `true`, `yes` or `on` is true; `0`, `false`, `no`
 * or `off` false (any case, spaces around ignored); unset or blank is false. Anything else throws
 * an Error naming the variable, never quoting the value: a word it does not know was silently off.
 */
export function flagFromEnv(name: string, value: string | undefined): boolean {
  const text = value?.trim().toLowerCase();
  if (!text) return false;
  if (/^(?:1|true|yes|on)$/.test(text)) return true;
  if (/^(?:0|false|no|off)$/.test(text)) return false;
  throw new Error(`${name} must be 1, true, yes or on (on), or 0, false, no or off (off)`);
}

/**
 * `AOAI_EDGE_TOKEN_LIMIT_TPM` as a whole number (undefined when unset or blank), read the same way
 * by the Deno and the Workers entry points; anything else throws an Error naming the variable.
 */
export function tpmFromEnv(value: string | undefined): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const tpm = decimal(text, true);
  if (!Number.isSafeInteger(tpm) || tpm < 1) {
    throw new Error(
      "AOAI_EDGE_TOKEN_LIMIT_TPM must be a whole number of tokens per minute per client key " +
        "(e.g. 60000)",
    );
  }
  return tpm;
}

/** A token quota read from the environment. */
export interface QuotaFromEnv {
  tokens: number;
  period: TokenQuotaPeriod;
}

/** What a quota entry looks like, for the errors. */
const QUOTA_SYNTAX = "a whole number of tokens per hour, day, week or month (e.g. 5000000/month " +
  "or 200000/day)";

/** `tokens/period` (e.g. `200000/day`), else undefined. */
function quotaOf(text: string): QuotaFromEnv | undefined {
  const match = /^(\d+)\s*\/\s*(hour|day|week|month)$/i.exec(text);
  const tokens = match ? Number(match[1]) : NaN;
  if (!match || !Number.isSafeInteger(tokens) || tokens < 1) return undefined;
  return { tokens, period: match[2].toLowerCase() as TokenQuotaPeriod };
}

/**
 * `AOAI_EDGE_TOKEN_QUOTA` (e.g. `5000000/month`, `200000/day`): the token quota per client key
 * and its window (`hour`, `day`, `week`, `month`, UTC); undefined when unset or blank; read the
 * same way by the Deno and the Workers entry points. Anything else throws an Error naming the
 * variable, never quoting its value.
 */
export function tokenQuotaFromEnv(value: string | undefined): QuotaFromEnv | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const quota = quotaOf(text);
  if (!quota) throw new Error(`AOAI_EDGE_TOKEN_QUOTA must be ${QUOTA_SYNTAX} per client key`);
  return quota;
}

/**
 * `AOAI_EDGE_KEY_TOKEN_QUOTA`: per client key of `AOAI_EDGE_KEYS` (`keyCount` of them; same
 * order, comma-separated), the key's own quota (`1000000/day`), `-` for the app's
 * (`AOAI_EDGE_TOKEN_QUOTA`; none when that is unset) or `off` for none for that key. Undefined
 * when unset or blank; one entry per key otherwise (a quota, `false` for `off`, undefined for
 * `-`). Anything else throws an Error naming the variable and the entry, never quoting a value.
 */
export function keyTokenQuotasFromEnv(
  value: string | undefined,
  keyCount: number,
): (QuotaFromEnv | false | undefined)[] | undefined {
  const syntax = `${QUOTA_SYNTAX}, - (the app's quota) or off (no quota for that key)`;
  return perKeyEntries("AOAI_EDGE_KEY_TOKEN_QUOTA", value, keyCount, "quota", syntax, quotaOf);
}

/**
 * The entries of a per-key variable `name` (one per key of `AOAI_EDGE_KEYS`, comma-separated, in
 * the same order): undefined for `-` (the app's), `false` for `off`, else what `parse` reads (an
 * Error naming the entry and `syntax` when it reads nothing). Undefined when unset or blank.
 */
function perKeyEntries<T>(
  name: string,
  value: string | undefined,
  keyCount: number,
  what: string,
  syntax: string,
  parse: (entry: string) => T | undefined,
): (T | false | undefined)[] | undefined {
  if (!value?.trim()) return undefined;
  if (keyCount === 0) {
    throw new Error(
      `${name} needs AOAI_EDGE_KEYS: it gives each of those keys its ${what}, in the same order`,
    );
  }
  const entries = value.split(",").map((entry) => entry.trim());
  if (entries.length !== keyCount) {
    throw new Error(
      `${name} lists ${entries.length} entr${entries.length === 1 ? "y" : "ies"} but ` +
        `AOAI_EDGE_KEYS lists ${keyCount} key(s); give one entry per key, in the same order: ` +
        syntax,
    );
  }
  return entries.map((entry, i) => {
    if (entry === "-") return undefined;
    if (entry.toLowerCase() === "off") return false;
    const parsed = parse(entry);
    if (parsed === undefined) throw new Error(`${name}: entry ${i + 1} must be ${syntax}`);
    return parsed;
  });
}

/** A quota as the banner prints it. */
export function quotaText({ tokens, period }: QuotaFromEnv): string {
  return `${tokens} tokens per ${period}`;
}

/** One fallback upstream read from the environment. */
export interface FallbackUpstream {
  endpoint: string;
  /** Its key; none with Entra ID (the fallbacks use the primary's token). */
  apiKey?: string;
  /** Its own deployment names (`AZURE_OPENAI_FALLBACK_DEPLOYMENTS`), when it has some. */
  deploymentNames?: Record<string, string>;
}

const FALLBACK_ENDPOINTS = "AZURE_OPENAI_FALLBACK_ENDPOINTS";
const FALLBACK_KEYS = "AZURE_OPENAI_FALLBACK_API_KEYS";
const FALLBACK_DEPLOYMENTS = "AZURE_OPENAI_FALLBACK_DEPLOYMENTS";

/**
 * `AZURE_OPENAI_FALLBACK_ENDPOINTS` and `AZURE_OPENAI_FALLBACK_API_KEYS` (comma-separated, one key
 * per endpoint, in the same order) as fallback upstreams, read the same way by the Deno and the
 * Workers entry points; none when both are unset or blank. `AZURE_OPENAI_FALLBACK_DEPLOYMENTS`
 * (optional) gives each its own deployment names: one entry per endpoint, comma-separated in the
 * same order, each `name=own-name` pairs separated by `;` (the name the app resolves = the one
 * that resource uses), or empty for the same names; e.g. `gpt-4o=gpt-4o-swc;ada=ada-swc,` for
 * two fallbacks of which the second uses the primary's names. Errors name the variables and
 * never quote a value (a key pasted into the wrong variable must not reach a log). With
 * `entra` (the primary authenticates with Microsoft Entra ID), the fallbacks take no keys: they
 * are sent the same token (one service principal, one scope, any resource of its tenant), and
 * `AZURE_OPENAI_FALLBACK_API_KEYS` must be unset.
 */
export function fallbacksFromEnv(
  endpoints: string | undefined,
  apiKeys: string | undefined,
  deployments?: string | undefined,
  entra = false,
): FallbackUpstream[] {
  const list = (value: string | undefined) =>
    (value ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  const urls = list(endpoints);
  const keys = list(apiKeys);
  if (entra && keys.length) {
    throw new Error(
      `${FALLBACK_KEYS} is set, but the primary uses Microsoft Entra ID (AZURE_TENANT_ID, ` +
        "AZURE_CLIENT_ID and a secret or certificate): the fallback endpoints are sent the same " +
        "token; " +
        `unset ${FALLBACK_KEYS} (and give the service principal a role on each fallback resource)`,
    );
  }
  if (!entra && urls.length !== keys.length) {
    throw new Error(
      `${FALLBACK_ENDPOINTS} lists ${urls.length} endpoint(s) but ${FALLBACK_KEYS} lists ` +
        `${keys.length} key(s); give one key per fallback endpoint, comma-separated, in the same ` +
        "order",
    );
  }
  const names = namesFromEnv(deployments, urls.length);
  return urls.map((endpoint, i) => {
    // As the client checks it, whose error would name `upstream[i + 1]`, not the variable.
    if (!isPlainEndpoint(endpoint)) {
      throw new Error(
        `${FALLBACK_ENDPOINTS}: entry ${i + 1} is not an http(s) URL without credentials, query ` +
          "or fragment; list endpoints such as https://my-res-2.openai.azure.com, " +
          `comma-separated (their keys go in ${FALLBACK_KEYS})`,
      );
    }
    if (!entra && !isHeaderText(keys[i])) {
      throw new Error(
        `${FALLBACK_KEYS}: entry ${i + 1} holds a line break, NUL or a character beyond ` +
          "Latin-1, which no header can carry; give each key alone, comma-separated",
      );
    }
    const upstream: FallbackUpstream = entra ? { endpoint } : { endpoint, apiKey: keys[i] };
    if (names[i]) upstream.deploymentNames = names[i];
    return upstream;
  });
}

/**
 * `AZURE_OPENAI_FALLBACK_DEPLOYMENTS` as one map per fallback endpoint (undefined for an empty
 * entry); none when unset or blank. Errors name the variable, the entry and the pair, never a
 * value.
 */
function namesFromEnv(
  value: string | undefined,
  endpoints: number,
): (Record<string, string> | undefined)[] {
  if (!value?.trim()) return [];
  const entries = value.split(",").map((s) => s.trim());
  const syntax = 'name=own-name pairs separated by ";" (e.g. gpt-4o=gpt-4o-swc), or empty for ' +
    "the same names";
  if (entries.length !== endpoints) {
    throw new Error(
      `${FALLBACK_DEPLOYMENTS} lists ${entries.length} entr${
        entries.length === 1 ? "y" : "ies"
      } but ${FALLBACK_ENDPOINTS} lists ${endpoints} endpoint(s); give one entry per fallback ` +
        `endpoint, comma-separated in the same order: ${syntax}`,
    );
  }
  return entries.map((entry, i) => {
    if (entry === "") return undefined;
    const names = new Map<string, string>();
    entry.split(";").forEach((pair, j) => {
      if (pair.trim() === "") return;
      const where = `${FALLBACK_DEPLOYMENTS}: entry ${i + 1} (fallback endpoint ${i + 1}), pair ` +
        `${j + 1}`;
      const parts = pair.split("=").map((s) => s.trim());
      if (parts.length !== 2 || parts[0] === "" || parts[1] === "") {
        throw new Error(`${where} is not name=own-name; write ${syntax}`);
      }
      const [name, own] = parts;
      if (own === "." || own === "..") {
        throw new Error(`${where} names a dot segment (. or ..), which cannot be a deployment`);
      }
      if (names.has(name)) {
        throw new Error(`${where} maps a name an earlier pair of the entry maps already`);
      }
      names.set(name, own);
    });
    return names.size ? Object.fromEntries(names) : undefined;
  });
}

/**
 * `AOAI_EDGE_UPSTREAM_BALANCE` (`primary-first` or `round-robin`; undefined when unset or blank),
 * read the same way by the Deno and the Workers entry points; anything else throws an Error
 * naming the variable. So does `round-robin` with no fallback endpoints (`fallbacks`, their
 * count, is 0): with the primary alone it would do nothing, as a weight does under primary-first.
 */
export function balanceFromEnv(
  value: string | undefined,
  fallbacks?: number,
): UpstreamBalance | undefined {
  const text = value?.trim().toLowerCase();
  if (!text) return undefined;
  if (text === "round-robin" && fallbacks === 0) {
    throw new Error(
      "AOAI_EDGE_UPSTREAM_BALANCE takes turns over the primary and its fallback endpoints, but " +
        `${FALLBACK_ENDPOINTS} lists none; set ${FALLBACK_ENDPOINTS} (and their keys), or unset ` +
        "AOAI_EDGE_UPSTREAM_BALANCE (and AOAI_EDGE_UPSTREAM_WEIGHTS)",
    );
  }
  if (text === "primary-first" || text === "round-robin") return text;
  throw new Error(
    'AOAI_EDGE_UPSTREAM_BALANCE must be "primary-first" (the default: fallbacks take over on ' +
      'failures) or "round-robin" (requests take turns over the upstreams)',
  );
}

const WEIGHTS = "AOAI_EDGE_UPSTREAM_WEIGHTS";

/**
 * `AOAI_EDGE_UPSTREAM_WEIGHTS`: one positive whole number per upstream, comma-separated, the
 * primary's first and then each fallback endpoint's in the order of
 * `AZURE_OPENAI_FALLBACK_ENDPOINTS` (`upstreams` of them: the primary and its fallbacks), read the
 * same way by the Deno and the Workers entry points; undefined when unset or blank. The weights
 * share the turns of `AOAI_EDGE_UPSTREAM_BALANCE=round-robin` (`balance`): with another balance,
 * a wrong count or an entry that is not a positive whole number, it throws an Error naming the
 * variable (and the entry), never quoting a value.
 */
export function weightsFromEnv(
  value: string | undefined,
  upstreams: number,
  balance: UpstreamBalance | undefined,
): number[] | undefined {
  if (!value?.trim()) return undefined;
  if (balance !== "round-robin") {
    throw new Error(
      `${WEIGHTS} shares the turns of round-robin; set AOAI_EDGE_UPSTREAM_BALANCE=round-robin ` +
        `too, or unset ${WEIGHTS}`,
    );
  }
  const entries = value.split(",").map((s) => s.trim());
  if (entries.length !== upstreams) {
    throw new Error(
      `${WEIGHTS} lists ${entries.length} weight(s) but there ${
        upstreams === 1 ? "is 1 upstream" : `are ${upstreams} upstreams`
      } (the primary, AZURE_OPENAI_ENDPOINT, and ${upstreams - 1} from ` +
        `${FALLBACK_ENDPOINTS}); give one weight per upstream, comma-separated, the primary's ` +
        "first (e.g. 3,1)",
    );
  }
  const weights = entries.map((entry, i) => {
    const weight = /^[0-9]+$/.test(entry) ? Number(entry) : NaN;
    if (!Number.isSafeInteger(weight) || weight < 1) {
      throw new Error(
        `${WEIGHTS}: entry ${i + 1} (${
          i === 0 ? "the primary" : `fallback endpoint ${i}`
        }) must be a positive whole number, its share of the round-robin turns`,
      );
    }
    return weight;
  });
  // Checked here too, as createEdgeApp() does: its error names no variable (and on Deno came
  // only once serveEdge() built the app).
  const turns = cycleLength(weights);
  if (turns > MAX_CYCLE) {
    throw new Error(
      `${WEIGHTS} makes a round-robin cycle of ${turns} turns (the weights' sum, once divided ` +
        `by their greatest common divisor); keep it at most ${MAX_CYCLE}, e.g. 3,1 rather than ` +
        "300001,100000",
    );
  }
  return weights;
}

/** A client key's own limit from the environment: a number, `false` (none) or the app's. */
export type KeyLimitFromEnv = number | false | undefined;

/**
 * `AOAI_EDGE_KEY_RPM` (`"rpm"`) or `AOAI_EDGE_KEY_TPM` (`"tpm"`): per client key of
 * `AOAI_EDGE_KEYS` (`keyCount` of them; same order, comma-separated), the key's own requests or
 * tokens per minute, `-` for the app's limit (`AOAI_EDGE_RATE_LIMIT_RPM`,
 * `AOAI_EDGE_TOKEN_LIMIT_TPM`; none when that is unset) or `off` for none for that key; read the
 * same way by the Deno and the Workers entry points. Undefined when unset or blank; one entry
 * per key otherwise (a number, `false` for `off`, undefined for `-`). Requests per minute are a
 * positive number, tokens per minute a positive whole number. Anything else throws an Error
 * naming the variable and the entry, never quoting a value (a key pasted into the wrong variable
 * must not reach a log).
 */
export function keyLimitsFromEnv(
  value: string | undefined,
  keyCount: number,
  kind: "rpm" | "tpm",
): KeyLimitFromEnv[] | undefined {
  const name = kind === "rpm" ? "AOAI_EDGE_KEY_RPM" : "AOAI_EDGE_KEY_TPM";
  const what = kind === "rpm"
    ? "a positive number of requests per minute (e.g. 120)"
    : "a positive whole number of tokens per minute (e.g. 60000)";
  const syntax = `${what}, - (the app's limit) or off (no limit for that key)`;
  return perKeyEntries(name, value, keyCount, "limit", syntax, (entry) => {
    const limit = decimal(entry, kind === "tpm");
    const ok = kind === "rpm"
      ? limit > 0 && limit < Infinity
      : Number.isSafeInteger(limit) && limit >= 1;
    return ok ? limit : undefined;
  });
}

/**
 * The `clientKeys` of `keys` (from `AOAI_EDGE_KEYS`) with what the environment gives each (same
 * order): its deployments (`AOAI_EDGE_KEY_DEPLOYMENTS`), requests per minute (`AOAI_EDGE_KEY_RPM`)
 * tokens per minute (`AOAI_EDGE_KEY_TPM`) and token quota (`AOAI_EDGE_KEY_TOKEN_QUOTA`), as read
 * by {@link keyDeploymentsFromEnv}, {@link keyLimitsFromEnv} and {@link keyTokenQuotasFromEnv}; a
 * key given nothing of its own stays a string. A key under 8 printable ASCII characters, or one
 * listed twice, throws an Error naming its entry, never quoting it.
 */
export function clientKeysFromEnv(
  keys: readonly string[],
  own: {
    deployments?: readonly (string[] | undefined)[];
    rpm?: readonly KeyLimitFromEnv[];
    tpm?: readonly KeyLimitFromEnv[];
    quota?: readonly (QuotaFromEnv | false | undefined)[];
  },
): (string | EdgeClientKey)[] {
  return keys.map((key, i) => {
    // Checked here as createEdgeApp() checks them, whose errors name `clientKeys[i]`.
    const where = `AOAI_EDGE_KEYS: entry ${i + 1}`;
    if (!/^[\x21-\x7e]{8,}$/.test(key)) {
      throw new Error(
        `${where} must be at least 8 printable ASCII characters without spaces (a header carries ` +
          "it as sent)",
      );
    }
    const first = keys.indexOf(key);
    if (first < i) {
      throw new Error(`${where} repeats entry ${first + 1}; list each client key once`);
    }
    const entry: EdgeClientKey = { key };
    const deployments = own.deployments?.[i];
    const rpm = own.rpm?.[i];
    const tpm = own.tpm?.[i];
    if (deployments) entry.deployments = deployments;
    if (rpm !== undefined) entry.rateLimit = rpm === false ? false : { requestsPerMinute: rpm };
    if (tpm !== undefined) entry.tokenLimit = tpm === false ? false : { tokensPerMinute: tpm };
    const quota = own.quota?.[i];
    if (quota !== undefined) entry.tokenQuota = quota === false ? false : { ...quota };
    return Object.keys(entry).length > 1 ? entry : key;
  });
}

/** The Entra ID variables (Azure Identity's EnvironmentCredential names). */
const ENTRA_IDS = ["AZURE_TENANT_ID", "AZURE_CLIENT_ID"] as const;
/** Its credentials: one of them. */
const ENTRA_CREDENTIALS = [
  "AZURE_CLIENT_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PATH",
  "AZURE_CLIENT_CERTIFICATE",
] as const;
/** How a certificate's client assertion is signed: PS256 (default) or RS256. */
const ENTRA_ALGORITHM = "AZURE_CLIENT_CERTIFICATE_ALG";

/** Microsoft Entra ID client credentials read from the environment. */
export interface EntraFromEnv {
  tenantId: string;
  clientId: string;
  /** The `tokenProvider` of every upstream (one, so they share its token). */
  tokenProvider: () => Promise<{ token: string; expiresOnTimestamp: number }>;
  /** The token endpoint's origin (for the start-up message). */
  authority: string;
  /**
   * For the start-up message, after "client credentials": "" with a secret, else what holds the
   * certificate (never the secret or the key).
   */
  credential: string;
  /**
   * With `AZURE_CLIENT_CERTIFICATE_PATH`: the file, which the caller reads and hands to `load`
   * (it checks the PEM, throwing a TypeError naming the variable, and arms `tokenProvider`,
   * which rejects until then).
   */
  certificateFile?: { path: string; load(pem: string): void };
  /**
   * With a certificate: the validity of the key's certificate, for the start-up lines (see
   * {@link certificateExpiryLines}); undefined until the file of `certificateFile` is loaded.
   */
  certificateValidity?: () => Validity | undefined;
}

/** How long before a certificate's expiry the start-up lines warn: 30 days. */
const EXPIRY_WARNING_MS = 30 * 86_400_000;

/**
 * The start-up lines about the Entra ID certificate's expiry at `now`: its date (`certificate:
 * valid until …`), and, when under 30 days away, a warning (Entra ID refuses an expired
 * certificate, which shows otherwise only as failed sign-ins). None without a validity.
 */
export function certificateExpiryLines(
  validity: Validity | undefined,
  now: number,
): { info?: string; warning?: string } {
  if (!validity) return {};
  const { notAfter } = validity;
  if (!Number.isFinite(notAfter)) {
    return { info: "certificate: its expiry date (notAfter) could not be read" };
  }
  const date = new Date(notAfter).toISOString().replace(".000Z", "Z");
  const days = Math.max(0, Math.floor((notAfter - now) / 86_400_000));
  const left = `${days} day${days === 1 ? "" : "s"}`;
  return {
    info: `certificate: valid until ${date} (in ${left})`,
    warning: notAfter - now < EXPIRY_WARNING_MS
      ? `warning: the Entra ID certificate expires in ${left} (${date}); renew it, upload the ` +
        "new certificate to the app registration (Certificates & secrets) and give its key and " +
        "certificate in its place before then: Entra ID refuses an expired certificate"
      : undefined,
  };
}

/**
 * `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, one credential and optional `AZURE_AUTHORITY_HOST` as a
 * token provider, read the same way by the Deno and the Workers entry points. The credential is
 * `AZURE_CLIENT_SECRET`, `AZURE_CLIENT_CERTIFICATE_PATH` (a PEM file with the private key and
 * the certificate, as the Azure SDKs take it; only where there are files, `files`) or
 * `AZURE_CLIENT_CERTIFICATE` (that PEM text, e.g. a Workers secret), signed as
 * `AZURE_CLIENT_CERTIFICATE_ALG` says (PS256 or RS256). Undefined when none of
 * these is set, or when `AZURE_OPENAI_API_KEY` is (a key wins). Missing ids or credential, two
 * credentials, or a value that cannot be right throw an Error naming the variables and what
 * they must be, never quoting a value. `shown` gives the certificate file's path as the start-up
 * line and the certificate's errors print it (the path itself is read).
 */
export function entraFromEnv(
  env: (name: string) => string | undefined,
  files = true,
  shown: (path: string) => string = (path) => path,
): EntraFromEnv | undefined {
  const value = (name: string) => {
    const v = env(name);
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
  };
  const set = [...ENTRA_IDS, ...ENTRA_CREDENTIALS].filter((name) => value(name) !== undefined);
  // A key wins: these variables are often set in a shell or CI for other Azure tools.
  if (set.length === 0 || value("AZURE_OPENAI_API_KEY") !== undefined) return undefined;
  const credentials = ENTRA_CREDENTIALS.filter((name) => set.includes(name));
  if (credentials.length > 1) {
    throw new Error(
      `${credentials.join(" and ")} are ${
        credentials.length === 2 ? "both" : "all"
      } set; Microsoft Entra ID signs in with one ` +
        "credential: keep the certificate (or the secret) and unset the other",
    );
  }
  const missing: string[] = ENTRA_IDS.filter((name) => !set.includes(name));
  if (!credentials.length) missing.push("AZURE_CLIENT_SECRET");
  if (missing.length) {
    throw new Error(
      "Microsoft Entra ID needs AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET; " +
        `${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not set (for a ` +
        "certificate instead of a secret, set " +
        (files
          ? "AZURE_CLIENT_CERTIFICATE_PATH, a PEM file with the private key and the " +
            "certificate, or AZURE_CLIENT_CERTIFICATE, that PEM text"
          : "AZURE_CLIENT_CERTIFICATE, " +
            "a PEM text with the private key and the certificate") +
        "; or set AZURE_OPENAI_API_KEY to use a key instead)",
    );
  }
  const credential = credentials[0];
  if (credential === "AZURE_CLIENT_CERTIFICATE_PATH" && !files) {
    throw new Error(
      "AZURE_CLIENT_CERTIFICATE_PATH names a file, and a Worker has none: put the PEM text (the " +
        "private key and the certificate) into the secret AZURE_CLIENT_CERTIFICATE instead " +
        "(`wrangler secret put AZURE_CLIENT_CERTIFICATE < client.pem`) and unset " +
        "AZURE_CLIENT_CERTIFICATE_PATH",
    );
  }
  // How the client assertion is signed: PS256 (default) or RS256 with x5t, for an app
  // registration set up for that. Never quoted: a secret may have been pasted into it.
  const algorithm = value(ENTRA_ALGORITHM)?.toUpperCase();
  if (algorithm !== undefined && credential === "AZURE_CLIENT_SECRET") {
    throw new Error(
      `${ENTRA_ALGORITHM} is set, but Microsoft Entra ID signs in with AZURE_CLIENT_SECRET: ` +
        "it applies to a certificate only; unset it (or use a certificate)",
    );
  }
  if (algorithm !== undefined && algorithm !== "PS256" && algorithm !== "RS256") {
    throw new Error(
      `${ENTRA_ALGORITHM} must be PS256 (the default: RSA-PSS, the SHA-256 thumbprint as ` +
        "x5t#S256) or RS256 (PKCS#1 v1.5, the SHA-1 thumbprint as x5t), or unset",
    );
  }
  const tenantId = value("AZURE_TENANT_ID")!;
  const clientId = value("AZURE_CLIENT_ID")!;
  const authorityHost = value("AZURE_AUTHORITY_HOST");
  const names = {
    tenantId: "AZURE_TENANT_ID",
    clientId: "AZURE_CLIENT_ID",
    authorityHost: "AZURE_AUTHORITY_HOST",
    scope: "scope",
  };
  // A host that is no URL is reported (naming the variable, not quoting it) by the checks below.
  const host = authorityHost ?? "https://login.microsoftonline.com";
  const authority = URL.canParse(host) ? new URL(host).origin : "";
  const ids = { tenantId, clientId, authority };
  if (credential === "AZURE_CLIENT_SECRET") {
    const tokenProvider = createProvider(
      { tenantId, clientId, clientSecret: value(credential)!, authorityHost },
      { ...names, clientSecret: credential },
    );
    return { ...ids, tokenProvider, credential: "" };
  }
  let validity: Validity | undefined;
  const certificateValidity = () => validity;
  const certificate = (pem: string, name: string) => {
    // A PEM pasted into one line with its line breaks written as \n is read as the PEM.
    const text = /\n/.test(pem) ? pem : pem.replace(/\\n/g, "\n");
    const certNames: EntraCertificateNames = {
      ...names,
      privateKey: name,
      certificate: name,
      algorithm: ENTRA_ALGORITHM,
    };
    return createCertificateProvider(
      { tenantId, clientId, privateKey: text, certificate: text, authorityHost, algorithm },
      certNames,
      (dates) => validity = dates,
    );
  };
  if (credential === "AZURE_CLIENT_CERTIFICATE") {
    return {
      ...ids,
      tokenProvider: certificate(value(credential)!, credential),
      credential: " with a certificate from AZURE_CLIENT_CERTIFICATE",
      certificateValidity,
    };
  }
  // The file is read by the caller (asynchronously); the ids are checked now.
  entraTokenUrl({ tenantId, clientId, authorityHost }, names);
  const path = value(credential)!;
  // The PEM text pasted here would be printed as a file name (banner, read error): not quoted.
  if (path.includes("-----BEGIN")) {
    throw new Error(
      `${credential} holds PEM text, not a file path: put it into AZURE_CLIENT_CERTIFICATE instead`,
    );
  }
  let provider: EntraFromEnv["tokenProvider"] | undefined;
  return {
    ...ids,
    tokenProvider: () =>
      provider ? provider() : Promise.reject(
        new EntraTokenError(
          `Entra ID token request for tenant ${tenantId}: the certificate file of ` +
            "AZURE_CLIENT_CERTIFICATE_PATH is not read yet (serveEdge() reads it before it serves)",
          { tenantId, code: "invalid_credential" },
        ),
      ),
    credential: ` with a certificate from AZURE_CLIENT_CERTIFICATE_PATH (${shown(path)})`,
    certificateValidity,
    certificateFile: {
      path,
      load: (pem) => {
        provider = certificate(pem, `AZURE_CLIENT_CERTIFICATE_PATH (${shown(path)})`);
      },
    },
  };
}

/**
 * `AOAI_EDGE_KEY_DEPLOYMENTS`: per client key of `AOAI_EDGE_KEYS` (same order, comma-separated),
 * `*` for every deployment the app allows or the deployments it may use separated by `;`.
 * Undefined when unset or blank; one list (or undefined for `*`) per key otherwise. Anything else
 * throws an Error naming the variable and the entry, never quoting a key.
 */
export function keyDeploymentsFromEnv(
  value: string | undefined,
  keyCount: number,
): (string[] | undefined)[] | undefined {
  if (!value?.trim()) return undefined;
  const entries = value.split(",").map((entry) => entry.trim());
  if (entries.length !== keyCount) {
    throw new Error(
      `AOAI_EDGE_KEY_DEPLOYMENTS lists ${entries.length} entr${
        entries.length === 1 ? "y" : "ies"
      } but AOAI_EDGE_KEYS lists ${keyCount} key(s); give one entry per key, in the same order ` +
        '(e.g. "*,text-embedding-3-small;gpt-4o-mini": the first key may use every deployment)',
    );
  }
  return entries.map((entry, i) => {
    if (entry === "*") return undefined;
    const names = entry.split(";").map((name) => name.trim());
    // "*" only stands alone: inside a list it would read as a deployment named "*".
    if (entry === "" || names.some((name) => name === "" || name === "*")) {
      throw new Error(
        `AOAI_EDGE_KEY_DEPLOYMENTS: entry ${i + 1} must be * (every deployment) or deployment ` +
          'names separated by ";" (e.g. gpt-4o;gpt-4o-mini), without empty names or *',
      );
    }
    return names;
  });
}

/**
 * Whether `endpoint` is an http(s) URL without credentials, query or fragment, as the client takes
 * it: checked where the environment is read, so the error names the variable.
 */
export function isPlainEndpoint(endpoint: string): boolean {
  const url = URL.parse(endpoint);
  return !!url && /^https?:$/.test(url.protocol) && !url.username && !url.password &&
    !url.search && !url.hash;
}

/** Whether `key` can go in a header: no line break, NUL or character beyond Latin-1. */
export function isHeaderText(key: string): boolean {
  // deno-lint-ignore no-control-regex
  return !/[\x00\r\n]|[^\x00-\xff]/.test(key);
}

/**
 * The error for a primary `AZURE_OPENAI_ENDPOINT` / `AZURE_OPENAI_API_KEY` the client would refuse
 * (naming `upstream`, not the variable), or undefined; it never quotes the value.
 */
export function primaryProblem(endpoint: string, apiKey: string | undefined): Error | undefined {
  if (!isPlainEndpoint(endpoint)) {
    return new Error(
      "AZURE_OPENAI_ENDPOINT is not an http(s) URL without credentials, query or fragment; set " +
        "the resource's endpoint, such as https://my-res.openai.azure.com",
    );
  }
  if (apiKey !== undefined && !isHeaderText(apiKey)) {
    return new Error(
      "AZURE_OPENAI_API_KEY holds a line break, NUL or a character beyond Latin-1, which no " +
        "header can carry; set the key alone",
    );
  }
}
